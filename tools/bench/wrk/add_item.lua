-- POST /api/v1/cart/items, quantity 1 at "9.99", for cust-<0..19999> x prod-<0..49>.
-- Counts per (customer, product) what was sent and what was answered 200; the
-- response is matched to its request by X-Request-Id, which both servers echo.
local lib = dofile(os.getenv("BENCH_LUA_DIR") .. "/lib.lua")

setup = lib.setup
done = lib.done

function init(args)
  sent, acked, codes = {}, {}, {}
  lib.seed(thread_id)
end

function request()
  local customer = "cust-" .. math.random(0, lib.add_customers - 1)
  local k = math.random(0, lib.products - 1)
  local key = customer .. ":prod-" .. k
  lib.tally(sent, key)
  return lib.add_request(customer, k, 1, "9.99", key)
end

function response(status, headers, body)
  lib.tally(codes, status)
  if status == 200 then lib.tally(acked, lib.header(headers, "X-Request-Id")) end
end

-- POST /api/v1/cart/checkout with a fresh Idempotency-Key, each for a cart
-- the bench filled beforehand (two lines): co-<run>-<thread>-<1..n>. Status 201
-- counts the checkouts; once a thread has used up its carts it would get 409s.
local lib = dofile(os.getenv("BENCH_LUA_DIR") .. "/lib.lua")
local SHIPPING = '{"street":"1 Bench Way","city":"Seattle","state":"WA","zip":"98101","country":"US"}'
local n = 0

setup = lib.setup
done = lib.done

function init(args)
  codes = {}
  lib.seed(thread_id)
end

function request()
  n = n + 1
  local customer = "co-" .. lib.run .. "-" .. thread_id .. "-" .. n
  return wrk.format("POST", "/api/v1/cart/checkout",
    { ["Content-Type"] = "application/json", ["Idempotency-Key"] = "key-" .. customer },
    '{"customer_id":"' .. customer .. '","payment_method":"credit_card","shipping_address":' .. SHIPPING .. '}')
end

function response(status, headers, body)
  lib.tally(codes, status)
end

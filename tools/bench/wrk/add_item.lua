-- POST /api/v1/cart/items, quantity 1 at "9.99", for cust-<0..19999> x prod-<0..49>.
-- Counts per (customer, product) what was sent and what was answered 200; the
-- response is matched to its request by X-Request-Id, which both servers echo.
local lib = dofile(os.getenv("BENCH_LUA_DIR") .. "/lib.lua")

lib.install_counting()

function request()
  return lib.counted_add("cust-" .. math.random(0, lib.add_customers - 1), math.random(0, lib.products - 1))
end

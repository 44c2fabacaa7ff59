-- Hot keys: adds of quantity 1 to 20 customers x 2 products only, every
-- connection contending for the same few cart rows. Each thread moves to a
-- fresh set of customers every 1,000 requests (25 per line per thread, so
-- about 50 per line per set), which keeps every line under the 99 limit.
local lib = dofile(os.getenv("BENCH_LUA_DIR") .. "/lib.lua")
local HOT_CUSTOMERS, HOT_PRODUCTS, PER_SET = 20, 2, 1000
local n = 0

lib.install_counting()

function request()
  local set = math.floor(n / PER_SET)
  local slot = n % (HOT_CUSTOMERS * HOT_PRODUCTS)
  n = n + 1
  local customer = "hot-" .. lib.run .. "-" .. set .. "-" .. (slot % HOT_CUSTOMERS)
  return lib.counted_add(customer, math.floor(slot / HOT_CUSTOMERS))
end

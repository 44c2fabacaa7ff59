-- GET /api/v1/cart/bench-<0..1999>: a seeded 5-line cart. Requests are built once per thread.
local lib = dofile(os.getenv("BENCH_LUA_DIR") .. "/lib.lua")
local requests
lib.install(function() requests = lib.seeded_cart_gets() end)

function request()
  return requests[math.random(#requests)]
end

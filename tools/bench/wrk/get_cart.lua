-- GET /api/v1/cart/bench-<0..1999>: a seeded 5-line cart. Requests are built once per thread.
local lib = dofile(os.getenv("BENCH_LUA_DIR") .. "/lib.lua")
local requests = {}

setup = lib.setup
done = lib.done

function init(args)
  for i = 0, lib.seeded_carts - 1 do
    requests[i + 1] = wrk.format("GET", "/api/v1/cart/bench-" .. i)
  end
  lib.seed(thread_id)
end

function request()
  return requests[math.random(#requests)]
end

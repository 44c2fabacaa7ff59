-- On a seeded cart: 80 % GET, 15 % add one more of one of its 5 products, 5 %
-- PUT the quantity (1-5) of one of its lines. Carts keep their size, so rounds
-- stay comparable.
local lib = dofile(os.getenv("BENCH_LUA_DIR") .. "/lib.lua")
local gets
lib.install(function() gets = lib.seeded_cart_gets() end)

function request()
  local roll = math.random()
  local cart = math.random(0, lib.seeded_carts - 1)
  if roll < 0.8 then return gets[cart + 1] end
  local k = lib.seeded_product(cart, math.random(0, lib.lines_per_cart - 1))
  if roll < 0.95 then return lib.add_request("bench-" .. cart, k, 1, lib.product_price(k)) end
  return wrk.format("PUT", "/api/v1/cart/bench-" .. cart .. "/items/prod-" .. k, lib.json_headers,
    '{"quantity":' .. math.random(1, 5) .. '}')
end

-- Shared by the scenario scripts (loaded with dofile). Settings arrive in the
-- environment: BENCH_RUN (a label unique per run), BENCH_OUT (a path prefix for
-- per-thread count files), BENCH_SEEDED_CARTS, BENCH_ADD_CUSTOMERS, BENCH_PRODUCTS.
local lib = {}

lib.run = os.getenv("BENCH_RUN") or "run"
lib.out = os.getenv("BENCH_OUT")
lib.seeded_carts = tonumber(os.getenv("BENCH_SEEDED_CARTS") or "2000")
lib.add_customers = tonumber(os.getenv("BENCH_ADD_CUSTOMERS") or "20000")
lib.products = tonumber(os.getenv("BENCH_PRODUCTS") or "50")
lib.lines_per_cart = 5

local threads = {}

-- Runs in the main Lua state, once per thread before init.
function lib.setup(thread)
  table.insert(threads, thread)
  thread:set("thread_id", #threads)
end

function lib.seed(thread_id)
  math.randomseed(os.time() * 1000 + thread_id * 7919)
end

function lib.product_name(k) return "Bench product " .. k end
function lib.product_price(k) return ((k % 20) + 1) .. ".99" end
-- The five distinct products seeded into cart i (catalog.mjs: seededProduct).
function lib.seeded_product(cart, line) return (cart + line * 10) % lib.products end

function lib.add_body(customer, k, quantity, price)
  return '{"customer_id":"' .. customer .. '","product_id":"prod-' .. k .. '","product_name":"' ..
    lib.product_name(k) .. '","price":"' .. price .. '","quantity":' .. quantity .. '}'
end

lib.json_headers = { ["Content-Type"] = "application/json" }

function lib.add_request(customer, k, quantity, price, request_id)
  local headers = { ["Content-Type"] = "application/json" }
  if request_id then headers["X-Request-Id"] = request_id end
  return wrk.format("POST", "/api/v1/cart/items", headers, lib.add_body(customer, k, quantity, price))
end

local function tally(table_, key)
  table_[key] = (table_[key] or 0) + 1
end
lib.tally = tally

-- One GET per seeded cart, built once per thread.
function lib.seeded_cart_gets()
  local gets = {}
  for i = 0, lib.seeded_carts - 1 do
    gets[i + 1] = wrk.format("GET", "/api/v1/cart/bench-" .. i)
  end
  return gets
end

-- Installs wrk's setup and done, and an init that runs `prepare` and seeds the thread's randomness.
function lib.install(prepare)
  setup = lib.setup
  done = lib.done
  function init(args)
    if prepare then prepare() end
    lib.seed(thread_id)
  end
end

-- The counting add scenarios: what was sent per (customer, product), and what was answered 200.
function lib.install_counting()
  lib.install(function() sent, acked, codes = {}, {}, {} end)
  function response(status, headers, body) lib.count_response(status, headers) end
end

function lib.counted_add(customer, k)
  local key = customer .. ":prod-" .. k
  tally(sent, key)
  return lib.add_request(customer, k, 1, "9.99", key)
end

function lib.count_response(status, headers)
  tally(codes, status)
  if status == 200 then tally(acked, lib.header(headers, "X-Request-Id")) end
end

function lib.header(headers, name)
  return headers[name] or headers[string.lower(name)]
end

-- Writes each thread's `sent` and `acked` counts (key -> n) to BENCH_OUT-<thread>.tsv:
-- one line "key<TAB>sent<TAB>acknowledged" per key sent.
local function write_counts()
  if not lib.out then return end
  for i, thread in ipairs(threads) do
    local sent = thread:get("sent") or {}
    local acked = thread:get("acked") or {}
    local file = assert(io.open(lib.out .. "-" .. i .. ".tsv", "w"))
    for key, n in pairs(sent) do
      file:write(key, "\t", n, "\t", acked[key] or 0, "\n")
    end
    for key, n in pairs(acked) do
      if sent[key] == nil then file:write(key, "\t0\t", n, "\n") end
    end
    file:close()
  end
end

local function status_counts()
  local merged = {}
  for _, thread in ipairs(threads) do
    for code, n in pairs(thread:get("codes") or {}) do merged[code] = (merged[code] or 0) + n end
  end
  local parts = {}
  for code, n in pairs(merged) do table.insert(parts, '"' .. code .. '":' .. n) end
  return "{" .. table.concat(parts, ",") .. "}"
end

-- One line of JSON on stdout that tools/bench/wrk.mjs reads; latencies in microseconds.
function lib.done(summary, latency, requests)
  write_counts()
  local e = summary.errors
  io.write(string.format(
    'BENCH_RESULT {"requests":%d,"duration_us":%d,"bytes":%d,"connect_errors":%d,"read_errors":%d,' ..
    '"write_errors":%d,"status_errors":%d,"timeouts":%d,"p50_us":%d,"p90_us":%d,"p99_us":%d,' ..
    '"max_us":%d,"mean_us":%.1f,"status_codes":%s}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean,
    status_counts()))
end

return lib

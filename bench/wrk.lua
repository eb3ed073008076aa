-- wrk script for bench/run.sh.  BENCH_MODE selects the requests:
--   static  one file served by nginx (the size of a typical search page)
--   html    the HTML search page /organisations?…, rotating among typical queries
--   json    the JSON search endpoint /api/v1/organisations?…, the same queries
--   path    one address, BENCH_PATH (a map picture of the cluster map, or the same
--           picture as a static file of nginx); with BENCH_INM, sent as If-None-Match
--           (a browser revalidating what it holds: klaster answers 304)
-- done() prints one machine-readable line for run.sh:
--   BENCH requests duration_us rps p50_us p99_us errors non2xx

local mode = os.getenv("BENCH_MODE") or "static"

local queries = {
  "?q=krakow", "?q=Krak%C3%B3w", "?q=lodz", "?q=warszawa", "?q=gdansk",
  "?q=stocznia", "?q=meble", "?q=systemy+informatyczne", "?q=62.01.Z", "?q=instytut",
  "?q=fundacja", "?q=zaklady+mechaniczne", "?q=wroclaw&type=enterprise", "?q=poznan&size=small",
  "?type=research", "?voiv=10", "?voiv=12&type=enterprise&size=medium", "?section=C",
  "?q=kowalski&sort=newest", "?q=logistyka&page=3",
}

local paths = {}
local inm = os.getenv("BENCH_INM")
if mode == "static" then
  paths = { "/search.html" }
elseif mode == "path" then
  paths = { os.getenv("BENCH_PATH") }
else
  local prefix = mode == "json" and "/api/v1/organisations" or "/organisations"
  for i, q in ipairs(queries) do paths[i] = prefix .. q end
end

local n = 0
function init(args)
  -- threads start at different places in the list
  n = math.random(#paths)
end

function request()
  n = n % #paths + 1
  if inm and inm ~= "" then
    return wrk.format("GET", paths[n], { ["If-None-Match"] = inm })
  end
  return wrk.format("GET", paths[n])
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("BENCH %d %d %.1f %d %d %d %d\n",
    summary.requests, summary.duration, summary.requests / (summary.duration / 1e6),
    latency:percentile(50), latency:percentile(99),
    e.connect + e.read + e.write + e.timeout, e.status))
end

-- wrk script: GET a random URL path from the file named after "--"; print a JSON summary at the end.
-- With "in-order" after the file name the paths are asked for in their order instead, the two wrk
-- threads taking alternate lines, so that every path is asked for once while the list lasts.
local paths = {}
local in_order = false
local threads = 0
id = 0  -- set per thread by setup()
step = 1
local i = 0

setup = function(thread)
  thread:set("id", threads)
  threads = threads + 1
  thread:set("step", 2)
end

init = function(args)
  for line in io.lines(args[1]) do
    if #line > 0 then paths[#paths + 1] = line end
  end
  in_order = args[2] == "in-order"
  -- Each wrk thread has its own Lua state: seed from a per-state address so threads differ.
  math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)"), 16) % 100000)
end

request = function()
  if in_order then
    local path = paths[(i * step + id) % #paths + 1]
    i = i + 1
    return wrk.format("GET", path)
  end
  return wrk.format("GET", paths[math.random(#paths)])
end

done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout
  io.write(string.format(
    'WRKJSON {"requests": %d, "duration_us": %d, "errors": %d, "non2xx": %d, '
      .. '"p50_ms": %.3f, "p95_ms": %.3f, "p99_ms": %.3f, "mean_ms": %.3f}\n',
    summary.requests, summary.duration, errors, summary.errors.status,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    latency.mean / 1000))
end

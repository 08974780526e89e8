-- wrk script for bench/load.sh: each connection walks a list of request lines
-- (METHOD PATH [BODYFILE]) from the file named by $LOAD_REQUESTS, from its own offset.
local requests = {}
local function read_all(path)
  local f = assert(io.open(path, "rb"))
  local data = f:read("*a")
  f:close()
  return data
end
for line in io.lines(os.getenv("LOAD_REQUESTS")) do
  local method, path, body = line:match("^(%S+)%s+(%S+)%s*(%S*)$")
  if method then
    local b = nil
    if body ~= "" then b = read_all(body) end
    table.insert(requests, wrk.format(method, path, {["Content-Type"] = "application/x-ndjson"}, b))
  end
end
local counter = 0
function setup(thread)
  thread:set("offset", counter * 7)
  counter = counter + 1
end
local i = 0
function request()
  i = i + 1
  return requests[((offset or 0) + i) % #requests + 1]
end
local errors = 0
function response(status, headers, body)
  if status ~= 200 then errors = errors + 1 end
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests": %d, "seconds": %.1f, "rps": %.0f, "p50_ms": %.2f, "p90_ms": %.2f, "p99_ms": %.2f, "max_ms": %.2f, "non_2xx": %d, "socket_errors": %d}\n',
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, e.status, e.connect + e.read + e.write + e.timeout))
end

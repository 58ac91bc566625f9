-- tests/bench/storm.lua: the login storm of script/bench (issue 11). wrk POSTs the body in
-- $STORM_LOGIN_BODY to the URL it is given (/api/auth/login), counts the answers by status over all
-- of its threads, and prints one line script/bench reads:
--   RESULT requests=… duration_us=… non2xx=… socket_errors=… timeouts=… p50_us=… p99_us=… max_us=…
--          status_200=… status_503=… status_other=… statuses=200:…,503:…
-- By hand: STORM_LOGIN_BODY='{"email":…,"password":…}' wrk -t2 -c8 -d5s --latency \
--            -H 'Connection: keep-alive' -s tests/bench/storm.lua http://127.0.0.1:PORT/api/auth/login
wrk.method = "POST"
wrk.body = os.getenv("STORM_LOGIN_BODY") or error("STORM_LOGIN_BODY is not set")
wrk.headers["Content-Type"] = "application/json"

-- setup() runs in the main Lua state, once per wrk thread; done() reads each thread's counts there.
local threads = {}
setup = function(thread) threads[#threads + 1] = thread end

-- Each wrk thread has its own Lua state: these are that thread's answers by status.
counts = {}
response = function(status, headers, body)
  counts[status] = (counts[status] or 0) + 1
end

done = function(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("counts") or {}) do total[status] = (total[status] or 0) + n end
  end
  local codes, other = {}, 0
  for status in pairs(total) do
    codes[#codes + 1] = status
    if status ~= 200 and status ~= 503 then other = other + total[status] end
  end
  table.sort(codes)
  local listed = {}
  for _, status in ipairs(codes) do listed[#listed + 1] = status .. ":" .. total[status] end
  local e = summary.errors
  io.write(string.format("RESULT requests=%d duration_us=%d non2xx=%d socket_errors=%d timeouts=%d"
      .. " p50_us=%d p99_us=%d max_us=%d status_200=%d status_503=%d status_other=%d statuses=%s\n",
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout, e.timeout,
    latency:percentile(50), latency:percentile(99), latency.max,
    total[200] or 0, total[503] or 0, other, #listed > 0 and table.concat(listed, ",") or "none"))
end

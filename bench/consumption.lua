-- wrk script for POST /api/v1/accounts/{id}/consumptions: every request carries a unique idempotencyKey
-- (run id, thread, counter), so each one is a new consumption, never a replay.
-- Arguments after "--": PATH LIST_ID API_KEY RUN_ID
local threads = {}
local counter = 0

function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  path, list, key, run = args[1], args[2], args[3], args[4]
  headers = { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. key }
end

function request()
  counter = counter + 1
  local body = string.format(
    '{"channel":"Email","listId":%s,"quantity":1,"reference":"bench","idempotencyKey":"%s-%d-%d"}',
    list, run, tid, counter)
  return wrk.format("POST", path, headers, body)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'RESULT requests=%d duration_us=%d non2xx=%d socket_errors=%d p50_us=%d p99_us=%d\n',
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(99)))
end

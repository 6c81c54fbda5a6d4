/**
 * The scripts that change jobs: a worker's outcomes (complete, fail,
 * release), which check that the worker still holds the job, and an
 * operator's cancel and retry. Each returns 1 when it changed the job,
 * else 0 (completion, which takes several jobs, returns the ids it
 * completed). Each loads only the fields it needs. Completing, failing
 * and cancelling record a state event when the pair is watched, in the
 * same script.
 *
 * @module
 */
import { LUA_LOAD, LUA_PLACE, LUA_SETTLE } from "./_lua_prelude.ts";

/**
 * `ARGV[2]` worker, `ARGV[3..]` ids: completes each job the worker still
 * holds; returns the ids it completed. The hot path of every job: it reads
 * the five fields it needs of each and nothing else.
 */
export const COMPLETE_MANY: string = `${LUA_SETTLE}
local worker, now, done = ARGV[2], now_ms(), {}
for i = 3, #ARGV do
  local id = ARGV[i]
  local values = redis.call('HMGET', key('job', id), 'state', 'leaseOwner', 'name', 'seq',
    'uniqueKey')
  if values[1] == 'running' and values[2] == worker then
    settle({id = id, state = 'running', name = values[3], seq = values[4], uniqueKey = values[5]},
      'completed', now)
    table.insert(done, id)
  end
end
return done
`;

/**
 * `ARGV[2]` id, `ARGV[3]` worker, `ARGV[4]` error, `ARGV[5]` retry time in
 * ms, or empty for a job that is dead.
 */
export const FAIL: string = `${LUA_PLACE}${LUA_LOAD}${LUA_SETTLE}
local job = load(ARGV[2], {'state', 'leaseOwner', 'name', 'seq', 'priority', 'uniqueKey'})
if not held(job, ARGV[3]) then return 0 end
local now = now_ms()
if ARGV[5] == '' then
  settle(job, 'dead', now, ARGV[4])
  return 1
end
local hash = key('job', job.id)
redis.call('ZREM', key('leases', job.name), job.id)
redis.call('HDEL', hash, 'leaseOwner', 'leaseExpiresAt')
redis.call('HSET', hash, 'state', 'failed', 'lastError', ARGV[4], 'runAt', ARGV[5],
  'updatedAt', int(now))
job.runAt = tonumber(ARGV[5])
reindex(job, 'failed')
record(job, 'failed', now, ARGV[4])
if place(job, now) then wake() end
return 1
`;

/** `ARGV[2]` id, `ARGV[3]` worker. The attempt is given back. */
export const RELEASE: string = `${LUA_PLACE}${LUA_LOAD}${LUA_SETTLE}
local job = load(ARGV[2],
  {'state', 'leaseOwner', 'name', 'seq', 'priority', 'runAt', 'attempts', 'lastError'})
if not held(job, ARGV[3]) then return 0 end
local now = now_ms()
local to = 'queued'
if job.lastError then to = 'failed' end
local hash = key('job', job.id)
redis.call('ZREM', key('leases', job.name), job.id)
redis.call('HDEL', hash, 'leaseOwner', 'leaseExpiresAt')
redis.call('HSET', hash, 'state', to, 'attempts', int(job.attempts - 1), 'updatedAt', int(now))
reindex(job, to)
if place(job, now) then wake() end
return 1
`;

/** `ARGV[2]` id. Only a queued, scheduled or failed job is cancelled. */
export const CANCEL: string = `${LUA_LOAD}${LUA_SETTLE}
local job = load(ARGV[2], {'state', 'name', 'seq', 'runAt', 'uniqueKey'})
if job == nil or (job.state ~= 'queued' and job.state ~= 'failed') then return 0 end
settle(job, 'cancelled', now_ms())
return 1
`;

/** `ARGV[2]` id. A failed, dead or cancelled job is queued again now, with fresh attempts. */
export const RETRY: string = `${LUA_PLACE}${LUA_LOAD}${LUA_SETTLE}
local job = load(ARGV[2], {'state', 'name', 'seq', 'priority', 'runAt'})
if job == nil or (job.state ~= 'failed' and job.state ~= 'dead' and job.state ~= 'cancelled') then
  return 0
end
local now = now_ms()
if job.state == 'failed' then unplace(job) end
job.runAt = now
local hash = key('job', job.id)
redis.call('HSET', hash, 'state', 'queued', 'attempts', '0', 'runAt', int(now),
  'updatedAt', int(now))
redis.call('HDEL', hash, 'finishedAt')
reindex(job, 'queued')
place(job, now)
wake()
return 1
`;

/**
 * The Lua the queue scripts start with: key names, the server clock, and
 * the moves that keep a job's hash and its index entries in step. Every
 * script gets the key prefix as `ARGV[1]`. Times are milliseconds from
 * Redis's own clock (`TIME`), so workers on machines whose clocks disagree
 * still agree on leases and run times.
 *
 * Redis runs a script's top level on every call, so each `local function`
 * is built again each time: every script starts with
 * {@linkcode LUA_PRELUDE} and adds only the other parts it uses
 * ({@linkcode LUA_PLACE}, {@linkcode LUA_LOAD}, {@linkcode LUA_SETTLE}).
 *
 * Where a job is: a waiting job (stored state `queued` or `failed`) is in
 * exactly one of its ready set, `scheduled` (when queued) or `retrying`
 * (when failed); a running job is in its leases set and holds the lease
 * fields; a completed, dead or cancelled job is in none of these.
 *
 * @module
 */

/** Lua shared by every script; see `_key_space.ts` for the key layout. */
export const LUA_PRELUDE = `
local P = ARGV[1]

-- A key under the prefix, from one to three parts.
local function key(a, b, c)
  if c then return P .. ':' .. a .. ':' .. b .. ':' .. c end
  if b then return P .. ':' .. a .. ':' .. b end
  return P .. ':' .. a
end

local function int(n)
  return string.format('%d', n)
end

local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

-- Within one priority (the score), ready entries sort by runAt, then seq.
-- Dates before 1970 get a lower first digit; 8640000000000000 is the
-- earliest JavaScript date, negated.
local function ready_member(run_at, seq, id)
  local sortable
  if run_at >= 0 then
    sortable = '1' .. string.format('%016d', run_at)
  else
    sortable = '0' .. string.format('%016d', run_at + 8640000000000000)
  end
  return sortable .. ':' .. string.format('%016d', seq) .. ':' .. id
end
`;

/** Lua for the scripts that make a job wait: place it, and wake workers. */
export const LUA_PLACE = `
-- Puts a waiting job where claims find it: its ready set when due, else
-- the delayed set of its state. Returns whether it is due now.
local function place(job, now)
  if job.runAt <= now then
    redis.call('ZADD', key('ready', job.name), int(-job.priority),
      ready_member(job.runAt, job.seq, job.id))
    return true
  end
  local delayed = 'retrying'
  if job.state == 'queued' then delayed = 'scheduled' end
  redis.call('ZADD', key(delayed), int(job.runAt), job.id)
  return false
end

local function wake()
  redis.call('PUBLISH', key('wake'), '')
end
`;

/** Lua for the scripts that read a stored job before they change it. */
export const LUA_LOAD = `
local NUMERIC = {priority = true, runAt = true, seq = true, attempts = true}

-- The given fields of a job (state first), numbers converted; nil when
-- there is no such job.
local function load(id, fields)
  local values = redis.call('HMGET', key('job', id), unpack(fields))
  if not values[1] then return nil end
  local job = {id = id}
  for i, field in ipairs(fields) do
    local value = values[i]
    if value then
      if NUMERIC[field] then job[field] = tonumber(value) else job[field] = value end
    end
  end
  return job
end

local function held(job, worker)
  return job ~= nil and job.state == 'running' and job.leaseOwner == worker
end
`;

/**
 * Lua for the scripts that move a job to another state, or end it. A job
 * that reaches a watched `(name, state)` pair (the `watched` set) is
 * recorded on the `events` stream by the same script, so the event is
 * written with the change or not at all.
 */
export const LUA_SETTLE = `
-- Moves a job's index entries from its state to another; the caller
-- writes the state field.
local function reindex(job, to)
  local from = job.state
  redis.call('ZREM', key('state', from), job.id)
  redis.call('ZREM', key('state', from, job.name), job.id)
  redis.call('ZADD', key('state', to), int(job.seq), job.id)
  redis.call('ZADD', key('state', to, job.name), int(job.seq), job.id)
  job.state = to
end

-- Takes a waiting job out of where claims find it.
local function unplace(job)
  local member = ready_member(job.runAt, job.seq, job.id)
  if redis.call('ZREM', key('ready', job.name), member) == 0 then
    local delayed = 'retrying'
    if job.state == 'queued' then delayed = 'scheduled' end
    redis.call('ZREM', key(delayed), job.id)
  end
end

-- Records a state event when the job's name and the state it reached
-- are watched; err is the attempt's error, or nil. The caller has just
-- changed the job, in the same script.
local function record(job, to, now, err)
  if redis.call('SISMEMBER', key('watched'), job.name .. '\\0' .. to) == 0 then return end
  if err then
    redis.call('XADD', key('events'), '*', 'name', job.name, 'subject', job.id, 'state', to,
      'at', int(now), 'error', err)
  else
    redis.call('XADD', key('events'), '*', 'name', job.name, 'subject', job.id, 'state', to,
      'at', int(now))
  end
end

-- Ends a job: completed, dead or cancelled. It gives up its lease or its
-- place, and its uniqueKey; err, when given, is written as its lastError
-- and recorded with its state event.
local function settle(job, to, now, err)
  if job.uniqueKey and redis.call('HGET', key('unique'), job.uniqueKey) == job.id then
    redis.call('HDEL', key('unique'), job.uniqueKey)
  end
  local hash = key('job', job.id)
  if job.state == 'running' then
    redis.call('ZREM', key('leases', job.name), job.id)
    redis.call('HDEL', hash, 'leaseOwner', 'leaseExpiresAt', 'uniqueKey')
  else
    unplace(job)
    if job.uniqueKey then redis.call('HDEL', hash, 'uniqueKey') end
  end
  if err then
    redis.call('HSET', hash, 'state', to, 'updatedAt', int(now), 'finishedAt', int(now),
      'lastError', err)
  else
    redis.call('HSET', hash, 'state', to, 'updatedAt', int(now), 'finishedAt', int(now))
  end
  reindex(job, to)
  record(job, to, now, err)
end
`;

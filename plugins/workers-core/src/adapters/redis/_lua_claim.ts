/**
 * The scripts a worker runs to take jobs and keep them: claim and
 * heartbeat.
 *
 * @module
 */
import { LUA_LOAD } from "./_lua_prelude.ts";

/** Delayed entries one claim moves to the ready sets at most. */
const PROMOTE_BATCH = 500;

/** Members one variadic `ZADD`/`ZREM` takes at most (even: `ZADD` takes pairs). */
const CALL_BATCH = 1000;

/**
 * Moves due entries of `scheduled` and `retrying` to the ready sets;
 * returns true when a batch was full, so more may be due.
 */
const LUA_PROMOTE = `
local function promote(now)
  local more = false
  for _, delayed in ipairs({'scheduled', 'retrying'}) do
    local due = redis.call('ZRANGEBYSCORE', key(delayed), '-inf', int(now),
      'LIMIT', 0, ${PROMOTE_BATCH})
    for _, id in ipairs(due) do
      local job = redis.call('HMGET', key('job', id), 'name', 'priority', 'runAt', 'seq')
      redis.call('ZADD', key('ready', job[1]), int(-tonumber(job[2])),
        ready_member(tonumber(job[3]), tonumber(job[4]), id))
    end
    if #due > 0 then redis.call('ZREM', key(delayed), unpack(due)) end
    if #due == ${PROMOTE_BATCH} then more = true end
  end
  return more
end
`;

/**
 * Collects the members a claim adds to or removes from each key, so each
 * key gets one variadic call (a few, for a very large claim).
 */
const LUA_BATCHES = `
local function batches()
  local keys, items = {}, {}
  local function add(k, a, b)
    local list = items[k]
    if not list then
      list = {}
      items[k] = list
      table.insert(keys, k)
    end
    table.insert(list, a)
    if b then table.insert(list, b) end
  end
  local function flush(command)
    for _, k in ipairs(keys) do
      local list = items[k]
      for first = 1, #list, ${CALL_BATCH} do
        redis.call(command, k, unpack(list, first, math.min(first + ${CALL_BATCH - 1}, #list)))
      end
    end
  end
  return add, flush
end
`;

/**
 * Gathers the candidates of a claim: the first `limit` entries of the
 * ready set of each name in `ARGV[5..last]`, then up to `limit` jobs of
 * each whose lease ran out. Returns them with whether they need sorting:
 * entries of one ready set alone are in claim order already (the score is
 * the priority, negated; the member starts with `runAt` and `seq`, fixed
 * width, see `ready_member`), so only candidates from several sets, or
 * from a leases set, are read and sorted.
 */
const LUA_CANDIDATES = `
local function gather(limit, now, last)
  local candidates, sources = {}, 0
  for i = 5, last do
    local name = ARGV[i]
    local ready = redis.call('ZRANGE', key('ready', name), 0, limit - 1)
    if #ready > 0 then sources = sources + 1 end
    for _, member in ipairs(ready) do
      -- The id follows runAt (17 characters), seq (16) and two colons.
      table.insert(candidates, {id = string.sub(member, 36), name = name, member = member})
    end
    local expired = redis.call('ZRANGEBYSCORE', key('leases', name), '-inf', int(now),
      'LIMIT', 0, limit)
    if #expired > 0 then sources = sources + 2 end
    for _, id in ipairs(expired) do table.insert(candidates, {id = id, name = name}) end
  end
  return candidates, sources > 1
end

local function sort_candidates(candidates)
  for _, job in ipairs(candidates) do
    local order = redis.call('HMGET', key('job', job.id), 'priority', 'runAt', 'seq')
    job.priority, job.runAt, job.seq = tonumber(order[1]), tonumber(order[2]), tonumber(order[3])
  end
  table.sort(candidates, function(a, b)
    if a.priority ~= b.priority then return a.priority > b.priority end
    if a.runAt ~= b.runAt then return a.runAt < b.runAt end
    return a.seq < b.seq
  end)
end
`;

/**
 * Claims up to `limit` of the jobs waiting under the names in
 * `ARGV[5..last]`, for worker `ARGV[2]` with a lease of `ARGV[3]` ms; returns
 * `{0, job fields...}`: ready jobs and jobs whose lease ran out, taken by
 * priority, then `runAt`, then `seq`. Each is running under the worker's
 * lease, its attempt counted. A job's fields in the reply are the ones it
 * is written with and the others read once, before the writes.
 */
const LUA_TAKE = `
local function take(now, limit, last)
  local worker = ARGV[2]
  local expires = int(now + tonumber(ARGV[3]))
  local candidates, unsorted = gather(limit, now, last)
  if unsorted then sort_candidates(candidates) end
  local READ = {'state', 'attempts', 'priority', 'runAt', 'seq', 'input', 'maxAttempts',
    'createdAt', 'uniqueKey', 'lastError', 'traceparent'}
  local remove, removed = batches()
  local add, added = batches()
  local updated, running = int(now), key('state', 'running')
  local by_name = {}
  local out = {0}
  for i = 1, math.min(limit, #candidates) do
    local job = candidates[i]
    local keys = by_name[job.name]
    if not keys then
      keys = {ready = key('ready', job.name), running = key('state', 'running', job.name),
        leases = key('leases', job.name)}
      by_name[job.name] = keys
    end
    local hash = key('job', job.id)
    local values = redis.call('HMGET', hash, unpack(READ))
    local state, attempts, seq = values[1], int(values[2] + 1), values[5]
    if state ~= 'running' then
      remove(keys.ready, job.member)
      remove(key('state', state), job.id)
      remove(key('state', state, job.name), job.id)
      add(running, seq, job.id)
      add(keys.running, seq, job.id)
    end
    add(keys.leases, expires, job.id)
    redis.call('HSET', hash, 'state', 'running', 'attempts', attempts, 'leaseOwner', worker,
      'leaseExpiresAt', expires, 'updatedAt', updated)
    local fields = {'id', job.id, 'name', job.name, 'state', 'running', 'attempts', attempts,
      'leaseOwner', worker, 'leaseExpiresAt', expires, 'updatedAt', updated}
    for j = 3, #READ do
      if values[j] then
        table.insert(fields, READ[j])
        table.insert(fields, values[j])
      end
    end
    table.insert(out, fields)
  end
  removed('ZREM')
  added('ZADD')
  return out
end
`;

/** The parts every claim script starts with. */
const LUA_CLAIM_PARTS = `${LUA_PROMOTE}${LUA_BATCHES}${LUA_CANDIDATES}${LUA_TAKE}`;

/**
 * `ARGV[2]` worker, `ARGV[3]` lease in ms, `ARGV[4]` limit, `ARGV[5..]`
 * names. Returns `{1}` when due jobs are still being promoted (call again),
 * else what `take` returns.
 */
export const CLAIM: string = `${LUA_CLAIM_PARTS}
local now = now_ms()
if promote(now) then return {1} end
return take(now, tonumber(ARGV[4]), #ARGV)
`;

/**
 * `ARGV[2]` worker, `ARGV[3]` lease in ms, `ARGV[4]` limit, `ARGV[5]` name,
 * `ARGV[6]` the name's kind limit. {@linkcode CLAIM} for one name, taking
 * no more than the kind limit minus the name's jobs running under a lease
 * that has not run out, whoever holds them: its leases set holds exactly
 * its running jobs, scored by lease expiry, so they are counted there and
 * no other script does any more work for a limited kind.
 */
export const CLAIM_KIND: string = `${LUA_CLAIM_PARTS}
local now = now_ms()
if promote(now) then return {1} end
local live = redis.call('ZCOUNT', key('leases', ARGV[5]), '(' .. int(now), '+inf')
local room = tonumber(ARGV[6]) - live
if room <= 0 then return {0} end
return take(now, math.min(tonumber(ARGV[4]), room), 5)
`;

/**
 * `ARGV[2]` worker, `ARGV[3]` lease in ms, `ARGV[4..]` ids. Extends the
 * leases the worker holds; returns the ids it holds, in order.
 */
export const HEARTBEAT: string = `${LUA_LOAD}
local expires = int(now_ms() + tonumber(ARGV[3]))
local held_ids = {}
for i = 4, #ARGV do
  local job = load(ARGV[i], {'state', 'leaseOwner', 'name'})
  if held(job, ARGV[2]) then
    redis.call('HSET', key('job', job.id), 'leaseExpiresAt', expires)
    redis.call('ZADD', key('leases', job.name), expires, job.id)
    table.insert(held_ids, job.id)
  end
end
return held_ids
`;

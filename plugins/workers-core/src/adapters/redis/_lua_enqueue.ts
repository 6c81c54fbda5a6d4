/**
 * The scripts that add jobs: a batch of jobs, one job at most once per
 * once-key, and a schedule's tick with its job. Each job comes as two arguments: its fields as JSON (decoded
 * with `cjson`; absent optional fields are left out) and its input as JSON
 * text, stored as given.
 *
 * @module
 */
import { LUA_PLACE } from "./_lua_prelude.ts";

/** Adds one job, or answers with the unfinished job holding its `uniqueKey`. */
const LUA_ENQUEUE_ONE = `${LUA_PLACE}
local function enqueue(meta, input, now)
  local unique = meta.uniqueKey
  if unique then
    local existing = redis.call('HGET', key('unique'), unique)
    if existing then return existing, '1', false end
  end
  local job = {id = meta.id, name = meta.name, state = 'queued', priority = meta.priority,
    runAt = meta.runAt or now, seq = redis.call('INCR', key('seq'))}
  local fields = {'id', job.id, 'name', job.name, 'input', input, 'state', 'queued',
    'priority', int(job.priority), 'runAt', int(job.runAt), 'attempts', '0',
    'maxAttempts', int(meta.maxAttempts), 'createdAt', int(now), 'updatedAt', int(now),
    'seq', int(job.seq)}
  if unique then
    table.insert(fields, 'uniqueKey')
    table.insert(fields, unique)
    redis.call('HSET', key('unique'), unique, job.id)
  end
  if meta.traceparent then
    table.insert(fields, 'traceparent')
    table.insert(fields, meta.traceparent)
  end
  redis.call('HSET', key('job', job.id), unpack(fields))
  redis.call('ZADD', key('all'), int(job.seq), job.id)
  redis.call('ZADD', key('name', job.name), int(job.seq), job.id)
  redis.call('ZADD', key('state', 'queued'), int(job.seq), job.id)
  redis.call('ZADD', key('state', 'queued', job.name), int(job.seq), job.id)
  return job.id, '0', place(job, now)
end
`;

/**
 * `ARGV[2..]`: pairs of job fields and input. Returns the id and
 * `'1'`/`'0'` (deduplicated) of each job, flat, in order.
 */
export const ENQUEUE: string = `${LUA_ENQUEUE_ONE}
local now = now_ms()
local out, due = {}, false
for i = 2, #ARGV, 2 do
  local id, deduplicated, placed = enqueue(cjson.decode(ARGV[i]), ARGV[i + 1], now)
  table.insert(out, id)
  table.insert(out, deduplicated)
  due = due or placed
end
if due then wake() end
return out
`;

/**
 * `ARGV[2]` once-key, `ARGV[3]` job fields, `ARGV[4]` input. Returns
 * `{id, deduplicated}`: the job recorded for the key, or the job added now
 * (or the unfinished one holding its `uniqueKey`), recorded for the key in
 * the same script.
 */
export const ENQUEUE_ONCE: string = `${LUA_ENQUEUE_ONE}
local recorded = redis.call('HGET', key('once'), ARGV[2])
if recorded then return {recorded, '1'} end
local id, deduplicated, due = enqueue(cjson.decode(ARGV[3]), ARGV[4], now_ms())
redis.call('HSET', key('once'), ARGV[2], id)
if due then wake() end
return {id, deduplicated}
`;

/**
 * `ARGV[2]` schedule, `ARGV[3]` tick in ms, `ARGV[4]` job fields,
 * `ARGV[5]` input. Returns `{id, deduplicated}` to the caller that moved
 * the tick forward, nil when this tick or a later one already fired.
 */
export const FIRE_TICK: string = `${LUA_ENQUEUE_ONE}
local last = redis.call('HGET', key('ticks'), ARGV[2])
if last and tonumber(last) >= tonumber(ARGV[3]) then return false end
redis.call('HSET', key('ticks'), ARGV[2], ARGV[3])
local id, deduplicated, due = enqueue(cjson.decode(ARGV[4]), ARGV[5], now_ms())
if due then wake() end
return {id, deduplicated}
`;

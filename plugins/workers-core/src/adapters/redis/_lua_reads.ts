/**
 * The scripts that read: one job, a page of jobs, the counts. Each reply
 * starts with the server's time, which decides whether a queued job is
 * reported as `scheduled`.
 *
 * @module
 */

/** `ARGV[2]` id. Returns `{now, job fields}`; the fields are empty when there is no such job. */
export const GET = `
return {int(now_ms()), redis.call('HGETALL', key('job', ARGV[2]))}
`;

/**
 * `ARGV[2]` state or empty, `ARGV[3]` `'1'` when `ARGV[4]` is a name to
 * match, `ARGV[5]` limit, `ARGV[6]` offset. Returns `{now, total, job
 * fields...}`, newest first. A queued or scheduled filter splits the
 * stored `queued` jobs by the `scheduled` entries still ahead, in two
 * temporary sets the script deletes before it returns.
 */
export const LIST = `
local now = now_ms()
local state, limit, offset = ARGV[2], tonumber(ARGV[5]), tonumber(ARGV[6])
local stored = state
if state == 'scheduled' then stored = 'queued' end
local source
if stored == '' then
  if ARGV[3] == '1' then source = key('name', ARGV[4]) else source = key('all') end
elseif ARGV[3] == '1' then
  source = key('state', stored, ARGV[4])
else
  source = key('state', stored)
end
local temporary = {}
if stored == 'queued' then
  local ahead = '(' .. int(now)
  if redis.call('ZCOUNT', key('scheduled'), ahead, '+inf') > 0 then
    local future, matching = key('tmp', 'future'), key('tmp', 'matching')
    temporary = {future, matching}
    redis.call('ZRANGESTORE', future, key('scheduled'), ahead, '+inf', 'BYSCORE')
    if state == 'scheduled' then
      redis.call('ZINTERSTORE', matching, 2, source, future, 'WEIGHTS', 1, 0)
    else
      redis.call('ZDIFFSTORE', matching, 2, source, future)
    end
    source = matching
  elseif state == 'scheduled' then
    return {int(now), 0}
  end
end
local total = redis.call('ZCARD', source)
local out = {int(now), total}
if limit > 0 and offset < total then
  for _, id in ipairs(redis.call('ZREVRANGE', source, offset, offset + limit - 1)) do
    table.insert(out, redis.call('HGETALL', key('job', id)))
  end
end
if #temporary > 0 then redis.call('DEL', unpack(temporary)) end
return out
`;

/**
 * Returns `{now, queued, scheduled, running, completed, failed, dead,
 * cancelled}`: queued jobs whose `runAt` is ahead count as scheduled.
 */
export const STATS = `
local now = now_ms()
local count = function(state) return redis.call('ZCARD', key('state', state)) end
local scheduled = redis.call('ZCOUNT', key('scheduled'), '(' .. int(now), '+inf')
return {int(now), count('queued') - scheduled, scheduled, count('running'), count('completed'),
  count('failed'), count('dead'), count('cancelled')}
`;

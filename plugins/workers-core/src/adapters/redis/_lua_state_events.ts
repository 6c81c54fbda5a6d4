/**
 * The script that replaces the watched pairs of a queue's state events
 * (see `_key_space.ts`); the settle scripts read them (`LUA_SETTLE`), and
 * the events are read and removed with plain stream commands.
 *
 * @module
 */

/** Members one `SADD` takes at most, well inside Lua's `unpack` limit. */
const CALL_BATCH = 1000;

/**
 * `ARGV[2..]` the watched members, `<name>` NUL `<state>`, without
 * repeats: replaces the `watched` set with them in one step, so a settle
 * sees either the old pairs or the new ones. None deletes the set.
 */
export const WATCH_STATES: string = `
redis.call('DEL', key('watched'))
for first = 2, #ARGV, ${CALL_BATCH} do
  redis.call('SADD', key('watched'), unpack(ARGV, first, math.min(first + ${CALL_BATCH} - 1, #ARGV)))
end
return 1
`;

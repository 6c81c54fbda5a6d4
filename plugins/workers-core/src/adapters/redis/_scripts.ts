/**
 * The queue's Lua scripts as commands on an ioredis connection
 * (`defineCommand`): each runs atomically on the server, is sent with
 * `EVALSHA`, and is sent again in full when the server has not seen it
 * (after a restart, or on a new connection).
 *
 * @module
 */
import type { Redis } from "ioredis";
import { CLAIM, CLAIM_KIND, HEARTBEAT } from "./_lua_claim.ts";
import { ENQUEUE, ENQUEUE_ONCE, FIRE_TICK } from "./_lua_enqueue.ts";
import { CANCEL, COMPLETE_MANY, FAIL, RELEASE, RETRY } from "./_lua_outcomes.ts";
import { LUA_PRELUDE } from "./_lua_prelude.ts";
import { GET, LIST, STATS } from "./_lua_reads.ts";
import { WATCH_STATES } from "./_lua_state_events.ts";

const SCRIPTS = {
  enqueue: ENQUEUE,
  enqueueOnce: ENQUEUE_ONCE,
  fireTick: FIRE_TICK,
  claim: CLAIM,
  claimKind: CLAIM_KIND,
  heartbeat: HEARTBEAT,
  completeMany: COMPLETE_MANY,
  fail: FAIL,
  release: RELEASE,
  cancel: CANCEL,
  retry: RETRY,
  get: GET,
  list: LIST,
  stats: STATS,
  watchStates: WATCH_STATES,
} as const;

/** The name of one of the queue's scripts. */
export type ScriptName = keyof typeof SCRIPTS;

/** Runs a script with the key prefix and its arguments; resolves to its reply. */
export type RunScript = (name: ScriptName, args: readonly string[]) => Promise<unknown>;

/** Commands are defined under this prefix, so they cannot clash with Redis's own. */
const COMMAND_PREFIX = "netscriptWorkers_";

type DefinedCommand = (...args: string[]) => Promise<unknown>;

/**
 * Defines the scripts on a connection.
 *
 * @param client The connection.
 * @param prefix The key prefix, passed to every script as `ARGV[1]`.
 * @returns A function that runs them.
 */
export function defineScripts(client: Redis, prefix: string): RunScript {
  for (const [name, body] of Object.entries(SCRIPTS)) {
    client.defineCommand(COMMAND_PREFIX + name, { numberOfKeys: 0, lua: LUA_PRELUDE + body });
  }
  const commands = client as unknown as Record<string, DefinedCommand>;
  return (name, args) => commands[COMMAND_PREFIX + name]!(prefix, ...args);
}

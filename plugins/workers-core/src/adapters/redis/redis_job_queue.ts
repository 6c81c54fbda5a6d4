import type { Redis } from "ioredis";
import {
  closeRedisConnection,
  createRedisListener,
  describeRedisTarget,
  reportRedisConnection,
} from "@netscript/store/redis";
import {
  checkStateEventLimit,
  classifyStoreError,
  type StateEvent,
  type WakeListener,
  type WatchedState,
} from "@netscript/store";
import { createLogger, type Logger } from "@netscript/telemetry";
import {
  checkKindLimit,
  checkOnceKey,
  type ClaimOptions,
  type Enqueued,
  JOB_STATES,
  type JobPage,
  type JobQueue,
  type JobRecord,
  type JobStats,
  type ListOptions,
  type NewJob,
  type ScheduleStore,
} from "../../ports/job_queue.ts";
import { storableText } from "../../ports/job_limits.ts";
import { jobArguments, timeArgument } from "./_job_arguments.ts";
import { toJobRecord } from "./_job_fields.ts";
import { DEFAULT_KEY_PREFIX, type KeySpace, keySpace } from "./_key_space.ts";
import { JOB_STORE } from "../job_store_names.ts";
import { defineScripts, type RunScript, type ScriptName } from "./_scripts.ts";
import {
  isStreamId,
  type StreamEntry,
  toStateEvent,
  watchedMembers,
} from "./_state_event_entries.ts";

/** Options of {@linkcode RedisJobQueue}. */
export interface RedisJobQueueOptions {
  /**
   * The first part of every key (`<prefix>:job:<id>`, …), so one Redis
   * database can hold several queues, or other data.
   * @default {"workers"}
   */
  keyPrefix?: string | undefined;
  /**
   * Where the queue reports failures in the background (its connections
   * dropping and coming back).
   * @default {a JSON logger for the service "workers"}
   */
  logger?: Logger | undefined;
  /**
   * Close the connection in `close()`; {@linkcode createRedisJobQueue} sets it.
   * @default {false}
   */
  ownsClient?: boolean | undefined;
}

/** A job reply's fields, alternating names and values. */
type Fields = string[];

/**
 * The job queue and schedule store on Redis. Every operation is one Lua
 * script, so it is atomic on the server: two workers never claim one job
 * nor exceed a job kind's `kindLimit` together, and a tick is recorded
 * with its job or not at all. Waiting jobs sit in a sorted set per job
 * name, in claim order (priority, then `runAt`, then age); jobs whose
 * `runAt` is ahead wait in a sorted set by time and move over when due.
 * Every time comes from the Redis clock. `waitForWork` wakes on a pub/sub
 * message, on a subscriber connection of its own. State events are a
 * stream under the prefix, appended by the script that changes the job
 * when a set of watched pairs holds its name and new state.
 *
 * Jobs are only as durable as the Redis server: without AOF persistence
 * (`appendonly yes`), a restart loses the jobs written since the last
 * snapshot.
 *
 * @example
 * ```ts ignore
 * import { Redis } from "ioredis";
 * import { RedisJobQueue } from "@netscript/plugin-workers-core/redis";
 *
 * const redis = new Redis("redis://127.0.0.1:6379", { maxRetriesPerRequest: 2 });
 * const queue = new RedisJobQueue(redis, { keyPrefix: "app:jobs" });
 * await queue.enqueue({ name: "send-email", input: { to: "a@example.com" } });
 * await queue.close(); // the connection stays open: it is yours
 * redis.disconnect();
 * ```
 */
export class RedisJobQueue implements JobQueue, ScheduleStore {
  readonly #client: Redis;
  readonly #keys: KeySpace;
  readonly #run: RunScript;
  readonly #target: string;
  readonly #ownsClient: boolean;
  readonly #listener: WakeListener;
  readonly #stopReporting: () => void;
  #closed = false;

  /**
   * Uses a connection; `close()` leaves it open unless `ownsClient` is set.
   * The queue defines its scripts on it as commands named
   * `netscriptWorkers_*`.
   *
   * @param client An ioredis connection to a standalone Redis 6.2 or newer.
   * @param options The key prefix, a logger and ownership.
   * @throws {TypeError} When the key prefix is empty.
   */
  constructor(client: Redis, options: RedisJobQueueOptions = {}) {
    const logger = options.logger ?? createLogger({ service: "workers" });
    this.#client = client;
    this.#keys = keySpace(options.keyPrefix ?? DEFAULT_KEY_PREFIX);
    this.#run = defineScripts(client, this.#keys.prefix);
    this.#target = describeRedisTarget(client);
    this.#ownsClient = options.ownsClient ?? false;
    this.#listener = createRedisListener({
      source: client,
      channels: [this.#keys.wake],
      name: "workers listener",
      connectionName: "netscript-workers-listener",
      logger,
      store: JOB_STORE,
    });
    this.#stopReporting = reportRedisConnection(client, {
      name: "workers store connection",
      logger,
      store: JOB_STORE,
    });
  }

  /** {@inheritDoc JobQueue.enqueue} */
  async enqueue(job: NewJob): Promise<Enqueued> {
    const [enqueued] = await this.enqueueMany([job]);
    return enqueued!;
  }

  /**
   * {@inheritDoc JobQueue.enqueueOnce}
   *
   * One script checks the key, adds the job and records the key.
   */
  async enqueueOnce(key: string, job: NewJob): Promise<Enqueued> {
    checkOnceKey(key);
    const reply = await this.#script<[string, string]>("enqueueOnce", [key, ...jobArguments(job)]);
    return { id: reply[0], deduplicated: reply[1] === "1" };
  }

  /**
   * {@inheritDoc JobQueue.enqueueMany}
   *
   * One script adds the whole batch, so it is atomic as a whole. Jobs are
   * checked before it runs: a bad one (a non-integer priority, an input
   * that is not JSON) throws and adds none.
   */
  async enqueueMany(jobs: readonly NewJob[]): Promise<Enqueued[]> {
    if (jobs.length === 0) return [];
    const reply = await this.#script<string[]>("enqueue", jobs.flatMap(jobArguments));
    return jobs.map((_, i) => ({ id: reply[2 * i]!, deduplicated: reply[2 * i + 1] === "1" }));
  }

  /**
   * {@inheritDoc JobQueue.claim}
   *
   * With a `kindLimit`, the script counts the name's unexpired leases before
   * it claims, so limited claims need no key of their own and outcomes no
   * extra work.
   *
   * @throws {RangeError} When `kindLimit` is set and is not a positive
   * integer, or `names` does not hold exactly one name.
   */
  async claim(options: ClaimOptions): Promise<JobRecord[]> {
    checkKindLimit(options);
    const names = [...new Set(options.names)];
    const limit = Math.floor(options.limit);
    if (limit <= 0 || names.length === 0) return [];
    const args = [options.workerId, String(options.leaseMs), String(limit), ...names];
    const { kindLimit } = options;
    if (kindLimit !== undefined) args.push(String(kindLimit));
    const script = kindLimit === undefined ? "claim" : "claimKind";
    for (;;) {
      const [promoting, ...jobs] = await this.#script<[number, ...Fields[]]>(script, args);
      if (promoting === 0) return jobs.map((fields) => toJobRecord(fields, new Date()));
    }
  }

  /** {@inheritDoc JobQueue.heartbeat} */
  heartbeat(workerId: string, ids: readonly string[], leaseMs: number): Promise<string[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.#script<string[]>("heartbeat", [workerId, String(leaseMs), ...ids]);
  }

  /** {@inheritDoc JobQueue.complete} */
  async complete(id: string, workerId: string): Promise<boolean> {
    return (await this.completeMany([id], workerId)).length === 1;
  }

  /** {@inheritDoc JobQueue.completeMany} */
  async completeMany(ids: readonly string[], workerId: string): Promise<string[]> {
    if (ids.length === 0) return [];
    const completed = new Set(await this.#script<string[]>("completeMany", [workerId, ...ids]));
    return ids.filter((id) => completed.has(id));
  }

  /** {@inheritDoc JobQueue.fail} */
  fail(id: string, workerId: string, error: string, retryAt: Date | null): Promise<boolean> {
    const retry = retryAt === null ? "" : String(timeArgument(retryAt, "retry time", id));
    return this.#changed("fail", [id, workerId, storableText(error), retry]);
  }

  /** {@inheritDoc JobQueue.release} */
  release(id: string, workerId: string): Promise<boolean> {
    return this.#changed("release", [id, workerId]);
  }

  /** {@inheritDoc JobQueue.get} */
  async get(id: string): Promise<JobRecord | null> {
    const [now, fields] = await this.#script<[string, Fields]>("get", [id]);
    return fields.length === 0 ? null : toJobRecord(fields, new Date(Number(now)));
  }

  /**
   * {@inheritDoc JobQueue.list}
   *
   * @throws {RangeError} When `limit` or `offset` is not a non-negative integer.
   */
  async list(options: ListOptions = {}): Promise<JobPage> {
    const limit = _count(options.limit ?? 50, "limit");
    const offset = _count(options.offset ?? 0, "offset");
    const [now, total, ...jobs] = await this.#script<[string, number, ...Fields[]]>("list", [
      options.state ?? "",
      options.name === undefined ? "0" : "1",
      options.name ?? "",
      String(limit),
      String(offset),
    ]);
    const at = new Date(Number(now));
    return { items: jobs.map((fields) => toJobRecord(fields, at)), total };
  }

  /** {@inheritDoc JobQueue.cancel} */
  cancel(id: string): Promise<boolean> {
    return this.#changed("cancel", [id]);
  }

  /** {@inheritDoc JobQueue.retry} */
  retry(id: string): Promise<boolean> {
    return this.#changed("retry", [id]);
  }

  /** {@inheritDoc JobQueue.stats} */
  async stats(): Promise<JobStats> {
    const [, ...counts] = await this.#script<[string, ...number[]]>("stats", []);
    return Object.fromEntries(JOB_STATES.map((state, i) => [state, counts[i]!])) as JobStats;
  }

  /**
   * {@inheritDoc JobQueue.watchStates}
   *
   * One script replaces the set of watched pairs, which the scripts that
   * complete, fail and cancel jobs check as they change a job.
   */
  async watchStates(watched: readonly WatchedState[]): Promise<void> {
    await this.#script("watchStates", watchedMembers(watched));
  }

  /**
   * {@inheritDoc JobQueue.readStateEvents}
   *
   * The events are a stream; an event's id is its entry's id.
   *
   * @throws {RangeError} When `limit` is not a positive integer.
   */
  async readStateEvents(limit: number): Promise<StateEvent[]> {
    checkStateEventLimit(limit);
    const entries = await this.#guard(() =>
      this.#client.xrange(this.#keys.events, "-", "+", "COUNT", limit)
    );
    return (entries as StreamEntry[]).map(toStateEvent);
  }

  /**
   * {@inheritDoc JobQueue.removeStateEvents}
   *
   * Strings that are not stream ids cannot name an event and are skipped.
   */
  async removeStateEvents(ids: readonly string[]): Promise<void> {
    const streamIds = [...new Set(ids.filter(isStreamId))];
    if (streamIds.length === 0) return;
    await this.#guard(() => this.#client.xdel(this.#keys.events, ...streamIds));
  }

  /**
   * {@inheritDoc JobQueue.waitForWork}
   *
   * The first wait opens the queue's subscriber connection and returns once
   * it listens, as does the first wait after that connection comes back:
   * jobs may have been enqueued while nobody listened.
   */
  waitForWork(timeoutMs: number, signal?: AbortSignal): Promise<void> {
    return this.#listener.wait(timeoutMs, signal);
  }

  /** Ends pending waits and closes the subscriber, then the connection if the queue owns it. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#listener.close();
    if (this.#ownsClient) await closeRedisConnection(this.#client);
    this.#stopReporting();
  }

  /** {@inheritDoc ScheduleStore.fireTick} */
  async fireTick(schedule: string, tick: Date, job: NewJob): Promise<Enqueued | null> {
    const at = timeArgument(tick, "schedule tick", job.name);
    const reply = await this.#script<[string, string] | null>("fireTick", [
      schedule,
      String(at),
      ...jobArguments(job),
    ]);
    return reply === null ? null : { id: reply[0], deduplicated: reply[1] === "1" };
  }

  /** {@inheritDoc ScheduleStore.lastTick} */
  async lastTick(schedule: string): Promise<Date | null> {
    const tick = await this.#guard(() => this.#client.hget(this.#keys.ticks, schedule));
    return tick === null ? null : new Date(Number(tick));
  }

  /** Runs a change of one job and tells whether it changed it. */
  async #changed(name: ScriptName, args: string[]): Promise<boolean> {
    return await this.#script<number>(name, args) === 1;
  }

  #script<TReply>(name: ScriptName, args: readonly string[]): Promise<TReply> {
    return this.#guard(() => this.#run(name, args) as Promise<TReply>);
  }

  async #guard<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw classifyStoreError(error, { ...JOB_STORE, driver: "redis", target: this.#target });
    }
  }
}

function _count(value: number, what: string): number {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`The ${what} of a job list must be a non-negative integer, got ${value}`);
  }
  return value;
}

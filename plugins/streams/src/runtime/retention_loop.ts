import {
  applyRetention,
  expireStreams,
  type RetentionPolicy,
  type StreamStore,
} from "@netscript/plugin-streams-core";
import type { Logger } from "@netscript/telemetry";

/** The `streams` config topic's value: what retention keeps. */
export interface StreamsConfig {
  /** What is dropped from every stream, oldest first. */
  readonly retention?: {
    /** Drop data older than this many seconds. */
    readonly maxAgeSeconds?: number;
    /** Keep at most about this many bytes per stream. */
    readonly maxBytes?: number;
    /** How often retention runs, in seconds. */
    readonly intervalSeconds?: number;
  };
}

/** How often retention runs when the config topic does not say. */
export const DEFAULT_RETENTION_INTERVAL_SECONDS = 60;

/** A running retention loop. */
export interface RetentionLoop {
  /**
   * Takes a new value of the `streams` config topic; the next pass uses it.
   *
   * @param config The topic's value.
   */
  configure(config: StreamsConfig): void;
  /**
   * Stops the loop and waits for a pass in progress.
   *
   * @returns Resolves once stopped.
   */
  stop(): Promise<void>;
}

/** Options of {@linkcode startRetentionLoop}. */
export interface RetentionLoopOptions {
  /** The store to trim. */
  readonly store: StreamStore;
  /** Only streams under this path prefix. */
  readonly prefix: string;
  /** Where each pass's outcome and failures are logged. */
  readonly logger: Logger;
}

/**
 * Starts the loop that removes expired streams and applies the retention
 * policy of the `streams` config topic to every stream, every
 * `intervalSeconds`. A failed pass is logged and the loop goes on.
 *
 * @param options The store, the path prefix and the logger.
 * @returns The loop; `configure()` it with each config value, `stop()` it on shutdown.
 *
 * @example
 * ```ts
 * import { createMemoryStreamStore } from "@netscript/plugin-streams-core/memory";
 * import { startRetentionLoop } from "@netscript/plugin-streams";
 * import { createLogger } from "@netscript/telemetry";
 *
 * const store = await createMemoryStreamStore();
 * const loop = startRetentionLoop({ store, prefix: "/v1/stream/", logger: createLogger({ service: "demo" }) });
 * loop.configure({ retention: { maxAgeSeconds: 86_400 } });
 * await loop.stop();
 * await store.close();
 * ```
 */
export function startRetentionLoop(options: RetentionLoopOptions): RetentionLoop {
  const { store, prefix, logger } = options;
  let config: StreamsConfig = {};
  let timer: ReturnType<typeof setTimeout> | undefined;
  let pass: Promise<void> = Promise.resolve();
  let stopped = false;

  const runPass = async () => {
    try {
      const expired = await expireStreams(store, { prefix });
      const policy = _policy(config);
      const trimmed = policy === undefined
        ? { streamsTrimmed: 0, chunksDropped: 0 }
        : await applyRetention(store, policy, { prefix });
      if (expired > 0 || trimmed.chunksDropped > 0) {
        logger.info("retention pass", { expired, ...trimmed });
      }
    } catch (error) {
      logger.error("retention pass failed; the next pass tries again", { error });
    }
  };
  const schedule = () => {
    if (stopped) return;
    const seconds = config.retention?.intervalSeconds ?? DEFAULT_RETENTION_INTERVAL_SECONDS;
    timer = setTimeout(() => {
      timer = undefined;
      pass = runPass().then(schedule);
    }, seconds * 1000);
  };
  schedule();
  return {
    configure(next) {
      const before = config.retention?.intervalSeconds;
      config = next;
      // Only a loop waiting for its next pass is rescheduled; a running pass schedules the next itself.
      if (next.retention?.intervalSeconds !== before && timer !== undefined) {
        clearTimeout(timer);
        schedule();
      }
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await pass;
    },
  };
}

function _policy(config: StreamsConfig): RetentionPolicy | undefined {
  const { maxAgeSeconds, maxBytes } = config.retention ?? {};
  if (maxAgeSeconds === undefined && maxBytes === undefined) return undefined;
  return {
    ...(maxAgeSeconds === undefined ? {} : { maxAgeMs: maxAgeSeconds * 1000 }),
    ...(maxBytes === undefined ? {} : { maxBytes }),
  };
}

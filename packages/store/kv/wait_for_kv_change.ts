/**
 * Waiting for a Deno KV key to change. `kv.watch` reports writes made
 * through this process's handles at once, but not writes by other
 * processes on the same file, so the key is also read every `pollMs`.
 *
 * @module
 */

/** Options of {@linkcode waitForKvChange}. */
export interface WaitForKvChangeOptions {
  /** The versionstamp already seen; any other one is news. */
  readonly seen: string | null;
  /** Give up after this long. */
  readonly timeoutMs: number;
  /** How often to read the key, for writes by other processes. */
  readonly pollMs: number;
  /** Stops the wait early. */
  readonly signal: AbortSignal;
}

/**
 * Resolves when the key's versionstamp differs from `seen`, after
 * `timeoutMs`, or when `signal` aborts, whichever is first; the watch and
 * the timers are gone by then.
 *
 * @param kv The store.
 * @param key The key to watch, e.g. a wake-up counter.
 * @param options What was seen, the timeout, the polling interval and an abort signal.
 * @returns The versionstamp seen last.
 *
 * @example
 * ```ts
 * import { waitForKvChange } from "@netscript/store/kv";
 *
 * const kv = await Deno.openKv(":memory:");
 * const seen = (await kv.get(["wake"])).versionstamp;
 * setTimeout(() => kv.set(["wake"], Date.now()), 10);
 * const now = await waitForKvChange(kv, ["wake"], {
 *   seen,
 *   timeoutMs: 5_000,
 *   pollMs: 100,
 *   signal: new AbortController().signal,
 * });
 * console.log(now !== seen); // true
 * kv.close();
 * ```
 */
export async function waitForKvChange(
  kv: Deno.Kv,
  key: Deno.KvKey,
  options: WaitForKvChangeOptions,
): Promise<string | null> {
  const done = new AbortController();
  const stop = AbortSignal.any([done.signal, options.signal]);
  const timer = setTimeout(() => done.abort(), options.timeoutMs);
  let seen = options.seen;
  const observe = (versionstamp: string | null) => {
    if (versionstamp === options.seen) return;
    seen = versionstamp;
    done.abort();
  };
  try {
    await Promise.all([
      _watch(kv, key, stop, observe),
      _poll(kv, key, stop, options.pollMs, observe),
    ]);
  } finally {
    clearTimeout(timer);
    done.abort();
  }
  return seen;
}

async function _watch(
  kv: Deno.Kv,
  key: Deno.KvKey,
  stop: AbortSignal,
  observe: (versionstamp: string | null) => void,
): Promise<void> {
  if (stop.aborted) return;
  const stopped = new Promise<null>((resolve) =>
    stop.addEventListener("abort", () => resolve(null), { once: true })
  );
  const reader = kv.watch([key]).getReader();
  try {
    while (!stop.aborted) {
      const next = await Promise.race([reader.read(), stopped]);
      if (next === null || next.done) return;
      observe(next.value[0]!.versionstamp);
    }
  } finally {
    await reader.cancel();
  }
}

async function _poll(
  kv: Deno.Kv,
  key: Deno.KvKey,
  stop: AbortSignal,
  pollMs: number,
  observe: (versionstamp: string | null) => void,
): Promise<void> {
  while (await _sleep(pollMs, stop)) observe((await kv.get(key)).versionstamp);
}

function _sleep(ms: number, stop: AbortSignal): Promise<boolean> {
  if (stop.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const wake = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      stop.removeEventListener("abort", wake);
      resolve(true);
    }, ms);
    stop.addEventListener("abort", wake, { once: true });
  });
}

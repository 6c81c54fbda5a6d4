/**
 * What the guard adds to a whole request, measured in the benchmark process
 * without HTTP: the ping call sent to `service.fetch` of the NetScript
 * service, unguarded and guarded by a guard whose session is already in
 * memory, in pairs of blocks, each pair in the other order than the one
 * before. Other work on the machine slows both alike within a pair, so the
 * medians compare more steadily than two HTTP rows measured one after the
 * other.
 *
 * @module
 */
import { createService, type Guard } from "@netscript/service";
import { createLogger } from "@netscript/telemetry";
import { pingContract, pingRouter } from "./servers/ping_router.ts";
import { LOOPBACK, PING_BODY, PING_PATH, PING_RESPONSE } from "./workload.ts";

/** One ping call through `service.fetch`, unguarded and guarded. */
export interface GuardedRequestCost {
  /** µs per call without a guard (median block). */
  unguardedMicros: number;
  /** µs per call with the guard, its session in memory (median block). */
  guardedMicros: number;
  /** Timed blocks of each, in pairs. */
  blocks: number;
  /** Calls per block. */
  callsPerBlock: number;
}

const BLOCKS = 16;
const CALLS_PER_BLOCK = 5_000;
const URL_OF_PING = `http://${LOOPBACK}${PING_PATH}`;

/**
 * Times the ping call through both services. Both requests carry the same
 * session cookie, so they differ only in the guard.
 *
 * @param guard A guard whose revocation feed is connected and which already holds the session.
 * @param cookie The session's `Cookie` header.
 * @returns The median µs per call of each.
 * @throws {Error} When a call is not answered 200 with the ping's body.
 */
export async function measureGuardedRequest(
  guard: Guard,
  cookie: string,
): Promise<GuardedRequestCost> {
  const logger = createLogger({ service: "bench", sink: () => {} });
  const options = { name: "bench", contract: pingContract, router: pingRouter, logger };
  const unguarded = createService({ ...options, guard: null });
  const guarded = createService({ ...options, guard, defaultAccess: "all" });
  const call = async (service: typeof unguarded) => {
    const response = await service.fetch(
      new Request(URL_OF_PING, {
        method: "POST",
        headers: { "content-type": "application/json", cookie },
        body: PING_BODY,
      }),
    );
    const body = await response.text();
    if (response.status !== 200 || body !== PING_RESPONSE) {
      throw new Error(`service.fetch answered the ping with ${response.status} ${body}`);
    }
  };
  const unguardedBlocks: number[] = [];
  const guardedBlocks: number[] = [];
  for (let block = 0; block <= BLOCKS; block++) {
    // Every other pair starts with the guarded service, so neither always runs first.
    const guardedFirst = block % 2 === 1;
    const first = await _block(() => call(guardedFirst ? guarded : unguarded));
    const second = await _block(() => call(guardedFirst ? unguarded : guarded));
    // The first pair warms both up.
    if (block === 0) continue;
    unguardedBlocks.push(guardedFirst ? second : first);
    guardedBlocks.push(guardedFirst ? first : second);
  }
  return {
    unguardedMicros: _median(unguardedBlocks),
    guardedMicros: _median(guardedBlocks),
    blocks: BLOCKS,
    callsPerBlock: CALLS_PER_BLOCK,
  };
}

async function _block(call: () => Promise<void>): Promise<number> {
  const started = performance.now();
  for (let done = 0; done < CALLS_PER_BLOCK; done++) await call();
  return (performance.now() - started) * 1_000 / CALLS_PER_BLOCK;
}

function _median(values: readonly number[]): number {
  const sorted = values.toSorted((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? Number.NaN;
}

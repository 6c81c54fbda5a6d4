/**
 * What one session check costs, measured in the benchmark process with
 * `performance.now()` over many calls of `Guard.authenticate` against the
 * running `auth-api`, one call at a time:
 *
 * - **cached**: a guard subscribed to the revocation feed, asked again and
 *   again for a session it already checked (a map lookup);
 * - **uncached**: a guard with `cacheTtlMs: 0`, which asks `auth-api`
 *   (`GET /api/session` over loopback HTTP) on every call; the CPU each
 *   side spends per check is read from this process and from `auth-api`'s;
 * - **service credential**: a guard given the same `Bearer` service
 *   credential again and again (kept after its first check), and the HS256
 *   check of a credential seen for the first time (`verifyServiceCredential`);
 * - **in a request**: the cached check as part of a whole ping call through
 *   `service.fetch`, against the same call unguarded (`guarded_request.ts`).
 *
 * @module
 */
import {
  mintServiceCredential,
  serviceSecretKey,
  verifyServiceCredential,
} from "@netscript/contracts/credential";
import { createGuard, type Guard } from "@netscript/service";
import process from "node:process";
import { type GuardedRequestCost, measureGuardedRequest } from "./guarded_request.ts";
import { percentile } from "./load.ts";
import type { RunningAuthApi } from "./signed_in_auth_api.ts";

/** What one check costs, in µs of wall time per call, with the calls it was averaged over. */
export interface SessionCheckCosts {
  /** A session the guard keeps in memory, the revocation feed connected. */
  cached: CallCost;
  /** A session asked of `auth-api` on every call (`cacheTtlMs: 0`). */
  uncached: CallCost & {
    /** Median of the single calls, in µs. */
    p50Micros: number;
    /** 99th percentile of the single calls, in µs. */
    p99Micros: number;
    /** This process's CPU time (user + system) per check, in µs: the guard's side. */
    guardCpuMicros: number;
    /** `auth-api`'s CPU time (user + system) per check, in µs; Linux only. */
    authApiCpuMicros?: number;
  };
  /** A service credential the guard has checked before. */
  serviceCredentialCached: CallCost;
  /** The HS256 check of a service credential (`verifyServiceCredential`), as on its first use. */
  serviceCredentialVerify: CallCost;
  /** A whole ping call through `service.fetch`, unguarded and guarded (cached). */
  request: GuardedRequestCost;
  /** Whether the guard asked `auth-api` during the cached calls, alone or in requests (it must not). */
  cachedAskedAuthApi: boolean;
}

/** The mean wall time of one call. */
export interface CallCost {
  /** µs per call. */
  micros: number;
  /** Timed calls. */
  calls: number;
}

const CACHED_CALLS = 200_000;
const UNCACHED_CALLS = 2_000;
/** Uncached calls before the timed ones: `auth-api`'s JIT needs more than a tenth of them. */
const UNCACHED_WARMUP_CALLS = 1_000;
const VERIFY_CALLS = 5_000;
const LIVE_TIMEOUT_MS = 10_000;

/**
 * Measures the session checks against a running `auth-api`.
 *
 * @param auth The `auth-api` and its signed-in session.
 * @returns The cost of each kind of check.
 * @throws {Error} When the guard's revocation feed does not connect within 10 s.
 */
export async function measureSessionChecks(auth: RunningAuthApi): Promise<SessionCheckCosts> {
  const key = serviceSecretKey(auth.serviceSecret)!;
  const session = new Headers({ cookie: auth.cookie });
  let asked = 0;
  const cachedGuard = createGuard({
    authUrl: auth.url,
    serviceSecret: key,
    subject: "bench-session-check",
    fetch: (request) => {
      asked++;
      return fetch(request);
    },
  });
  try {
    await _untilCached(cachedGuard, session, () => asked);
    const askedBefore = asked;
    const cached = await _time(CACHED_CALLS, () => cachedGuard.authenticate(session));
    const request = await measureGuardedRequest(cachedGuard, auth.cookie);
    const cachedAskedAuthApi = asked !== askedBefore;
    const uncached = await _uncached(auth, session);
    const bearer = new Headers({
      authorization: `Bearer ${await mintServiceCredential(key, "bench-caller")}`,
    });
    const token = bearer.get("authorization")!.slice("Bearer ".length);
    return {
      cached,
      uncached,
      serviceCredentialCached: await _time(CACHED_CALLS, () => cachedGuard.authenticate(bearer)),
      serviceCredentialVerify: await _time(VERIFY_CALLS, () => verifyServiceCredential(key, token)),
      request,
      cachedAskedAuthApi,
    };
  } finally {
    cachedGuard.close();
  }
}

/** Asks until a call is answered from memory: the feed is connected and the session kept. */
async function _untilCached(guard: Guard, headers: Headers, asked: () => number): Promise<void> {
  const deadline = Date.now() + LIVE_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const before = asked();
    if (await guard.authenticate(headers) === null) {
      throw new Error("auth-api did not take the signed-in session");
    }
    if (asked() === before) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(
    `The guard's revocation feed did not connect within ${LIVE_TIMEOUT_MS / 1000} s`,
  );
}

async function _uncached(
  auth: RunningAuthApi,
  headers: Headers,
): Promise<SessionCheckCosts["uncached"]> {
  const guard = createGuard({
    authUrl: auth.url,
    serviceSecret: serviceSecretKey(auth.serviceSecret),
    cacheTtlMs: 0,
  });
  try {
    for (let call = 0; call < UNCACHED_WARMUP_CALLS; call++) await guard.authenticate(headers);
    const cpuBefore = await auth.cpuSeconds();
    const guardCpuBefore = process.cpuUsage();
    const single = new Float64Array(UNCACHED_CALLS);
    const started = performance.now();
    for (let call = 0; call < UNCACHED_CALLS; call++) {
      const from = performance.now();
      if (await guard.authenticate(headers) === null) {
        throw new Error("auth-api did not take the signed-in session");
      }
      single[call] = (performance.now() - from) * 1_000;
    }
    const micros = (performance.now() - started) * 1_000 / UNCACHED_CALLS;
    const guardCpu = process.cpuUsage(guardCpuBefore);
    const cpuAfter = await auth.cpuSeconds();
    single.sort();
    return {
      micros,
      calls: UNCACHED_CALLS,
      p50Micros: percentile(single, 0.5),
      p99Micros: percentile(single, 0.99),
      guardCpuMicros: (guardCpu.user + guardCpu.system) / UNCACHED_CALLS,
      ...(cpuBefore === undefined || cpuAfter === undefined
        ? {}
        : { authApiCpuMicros: (cpuAfter - cpuBefore) * 1e6 / UNCACHED_CALLS }),
    };
  } finally {
    guard.close();
  }
}

/** Calls `call` a tenth as many times to warm it up, then times `calls` calls one after another. */
async function _time(calls: number, call: () => Promise<unknown>): Promise<CallCost> {
  for (let warm = 0; warm < calls / 10; warm++) await call();
  const started = performance.now();
  for (let done = 0; done < calls; done++) await call();
  return { micros: (performance.now() - started) * 1_000 / calls, calls };
}

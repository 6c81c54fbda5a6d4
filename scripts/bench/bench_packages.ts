/**
 * The npm packages only the benchmarks use, pinned here instead of in the
 * root import map, and the lockfile that pins their dependencies.
 *
 * Deno downloads every npm package in a workspace's `deno.lock` before
 * `deno task` runs anything, so a package in the root lockfile is one every
 * first `deno task demo` downloads. The benchmarks therefore load these
 * packages with {@linkcode loadBenchPackage}, whose specifier is not a
 * literal: `deno check` and `deno test` never resolve them into the root
 * lockfile, and the processes that load them run with
 * `--lock=scripts/bench/deno.lock` ({@linkcode BENCH_LOCK}) instead.
 *
 * @module
 */
import { fileURLToPath } from "node:url";

/** The benchmarks' own lockfile, for every process that loads a package below. */
export const BENCH_LOCK: string = fileURLToPath(new URL("./deno.lock", import.meta.url));

/** The HTTP load generator of `deno task bench`. */
export const AUTOCANNON = "npm:autocannon@9.0.0";
/** BullMQ, a peer of the Redis job queue in `deno task bench:workers`. */
export const BULLMQ = "npm:bullmq@6.7.0";
/**
 * msgpackr's optional native extension (msgpackr is a BullMQ dependency),
 * loaded before BullMQ so that BullMQ's `msgpackr-extract@^3.0.4` resolves
 * to 3.0.4: the newest match, 3.0.7, lacks its darwin and win32 packages on
 * npm, and Deno resolves every platform's package. 3.0.4 is the newest
 * version with all of them. Only its `package.json` is loaded.
 */
export const MSGPACKR_EXTRACT = "npm:msgpackr-extract@3.0.4/package.json";
/** pg-boss, a peer of the Postgres job queue in `deno task bench:workers`. */
export const PG_BOSS = "npm:pg-boss@12.35.0";
/** graphile-worker, the baseline of `deno task bench:workers`. */
export const GRAPHILE_WORKER = "npm:graphile-worker@0.18.0";

/** DBOS Transact, the durable-workflow baseline of `deno task bench:sagas`. */
export const DBOS_SDK = "npm:@dbos-inc/dbos-sdk@5.3.0";

/**
 * Loads one of the packages above. The caller states the subset of the
 * package's API it uses as `T`.
 *
 * @param specifier One of the pinned specifiers of this module.
 * @param options Import attributes, e.g. `{ with: { type: "json" } }`.
 * @returns The package's module namespace.
 * @example
 * ```ts ignore
 * import { AUTOCANNON, loadBenchPackage } from "./bench_packages.ts";
 *
 * const { default: autocannon } = await loadBenchPackage<{ default: unknown }>(AUTOCANNON);
 * ```
 */
export async function loadBenchPackage<T>(
  specifier: string,
  options?: ImportCallOptions,
): Promise<T> {
  return await import(specifier, options) as T;
}

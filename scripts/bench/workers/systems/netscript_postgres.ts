/**
 * The NetScript workers rows on PostgreSQL: `createPostgresJobQueue` with
 * its defaults, in a database whose tables the benchmark created from the
 * workers plugin's schema fragment; variant `claim-ahead` turns on the
 * worker's `claimAhead`. Run by the benchmark as a child process (see
 * `../child.ts`).
 *
 * @module
 */
import { createPostgresJobQueue } from "@netscript/plugin-workers-core/postgres";
import { runBenchChild } from "../child.ts";
import { type BenchSystem, CLAIM_AHEAD } from "../system.ts";
import { netscriptProducer, netscriptWorker } from "./netscript_shared.ts";

/** NetScript's Postgres adapter, as the benchmark drives it. */
export const netscriptPostgres: BenchSystem = {
  producer: (target) =>
    Promise.resolve(netscriptProducer(createPostgresJobQueue({ url: target.location }))),
  worker: (target, variant, concurrency, handle) =>
    Promise.resolve(
      netscriptWorker(createPostgresJobQueue({ url: target.location }), concurrency, handle, {
        claimAhead: variant === "claim-ahead" ? CLAIM_AHEAD : 0,
      }),
    ),
};

if (import.meta.main) await runBenchChild(netscriptPostgres);

/**
 * The NetScript workers row on PostgreSQL: `createPostgresJobQueue` with
 * its defaults, in a database whose tables the benchmark created from the
 * workers plugin's schema fragment. Run by the benchmark as a child
 * process (see `../child.ts`).
 *
 * @module
 */
import { createPostgresJobQueue } from "@netscript/plugin-workers-core/postgres";
import { runBenchChild } from "../child.ts";
import type { BenchSystem } from "../system.ts";
import { netscriptProducer, netscriptWorker } from "./netscript_shared.ts";

/** NetScript's Postgres adapter, as the benchmark drives it. */
export const netscriptPostgres: BenchSystem = {
  producer: (target) =>
    Promise.resolve(netscriptProducer(createPostgresJobQueue({ url: target.location }))),
  worker: (target, _variant, concurrency, handle) =>
    Promise.resolve(
      netscriptWorker(createPostgresJobQueue({ url: target.location }), concurrency, handle),
    ),
};

if (import.meta.main) await runBenchChild(netscriptPostgres);

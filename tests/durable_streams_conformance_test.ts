/**
 * Runs the external Durable Streams conformance suite
 * (`@durable-streams/server-conformance-tests@0.3.6`, with Node's vitest)
 * against `streams-api` (`createStreamsService`) served over each stream
 * store, and
 * requires at least 332 of its non-subscription tests to pass (the
 * reference server passes 326). Skips with the reason when Node or npm is
 * missing, unless `NETSCRIPT_REQUIRE` lists `node`.
 *
 * @module
 */

import { ok } from "node:assert/strict";
import { createDurableStream, type StreamStore } from "@netscript/plugin-streams-core";
import { z } from "zod";
import { createKvStreamStore } from "@netscript/plugin-streams-core/kv";
import { createMemoryStreamStore } from "@netscript/plugin-streams-core/memory";
import { createPostgresStreamStore } from "@netscript/plugin-streams-core/postgres";
import { createStreamsService } from "@netscript/plugin-streams";
import { freshStreamsDatabase } from "../plugins/streams-core/src/adapters/postgres/testdata/streams_database.ts";
import { postgres } from "./support/databases.ts";
import { capturedLogger } from "./support/captured_logger.ts";
import { assertAvailable, probeRequirement, type Requirement } from "./support/requirements.ts";

const SUITE_DIR = new URL("./durable_streams_conformance/", import.meta.url);
const REQUIRED_PASSES = 332;
/**
 * The time limit of the suite's tests that set none (vitest's default is
 * 5 s): one test checks a 100 KiB read byte by byte with `expect`, which
 * can take longer than 5 s on a busy two-core machine.
 */
const TEST_TIMEOUT_MS = 30_000;

/** A store the suite runs against. Add one entry per adapter. */
interface StoreUnderSuite {
  /** Shown in the test's name. */
  name: string;
  /** A server the store needs (see `./support/requirements.ts`), besides Node. */
  requirement?: Requirement;
  /** Opens an empty store, and what to remove once the store is closed. */
  open: () => Promise<{ store: StreamStore; dispose?: () => Promise<void> }>;
}

const STORES: StoreUnderSuite[] = [
  { name: "memory", open: async () => ({ store: await createMemoryStreamStore() }) },
  {
    name: "Deno KV",
    open: async () => {
      const dir = await Deno.makeTempDir({ prefix: "netscript-streams-kv-" });
      const store = await createKvStreamStore({ path: `${dir}/streams.kv` });
      return { store, dispose: () => Deno.remove(dir, { recursive: true }) };
    },
  },
  {
    name: "Postgres",
    requirement: postgres,
    open: async () => {
      const database = await freshStreamsDatabase();
      const store = await createPostgresStreamStore({ url: database.url });
      return { store, dispose: () => database.drop() };
    },
  },
];

interface _Assertion {
  ancestorTitles: string[];
  title: string;
  status: string;
  failureMessages?: string[];
}

async function _run(command: string, args: string[], env: Record<string, string> = {}) {
  const output = await new Deno.Command(command, {
    args,
    cwd: SUITE_DIR,
    env,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(output.stdout) + new TextDecoder().decode(output.stderr);
  return { success: output.success, text };
}

const node = await probeRequirement("node", async () => {
  for (const tool of ["node", "npm"]) {
    try {
      if (!(await _run(tool, ["--version"])).success) return `${tool} --version failed`;
    } catch (error) {
      return `${tool} is not installed (${error instanceof Error ? error.message : error})`;
    }
  }
  return undefined;
});

async function _installSuite(): Promise<void> {
  try {
    await Deno.stat(new URL("node_modules/@durable-streams/server-conformance-tests/", SUITE_DIR));
    return;
  } catch {
    const install = await _run("npm", ["ci", "--no-audit", "--no-fund"]);
    ok(install.success, `npm ci in tests/durable_streams_conformance failed:\n${install.text}`);
  }
}

for (const { name, requirement, open } of STORES) {
  Deno.test({
    name:
      `the Durable Streams conformance suite passes against streams-api over the ${name} store, and the official client writes and reads it`,
    ignore: node.ignore || (requirement?.ignore ?? false),
  }, async () => {
    assertAvailable(node, "node");
    if (requirement) assertAvailable(requirement, name);
    await _installSuite();
    const { store, dispose } = await open();
    const { logger, records } = capturedLogger("streams-api");
    const service = createStreamsService({ store, longPollTimeoutMs: 500, logger });
    const server = Deno.serve(
      { hostname: "127.0.0.1", port: 0, onListen: () => {} },
      (request) => service.fetch(request),
    );
    const report = await Deno.makeTempFile({ suffix: ".json" });
    try {
      const run = await _run(
        "node",
        [
          "node_modules/vitest/vitest.mjs",
          "run",
          "conformance.test.mjs",
          "--reporter=json",
          `--testTimeout=${TEST_TIMEOUT_MS}`,
          `--outputFile=${report}`,
        ],
        { CONFORMANCE_TEST_URL: `http://127.0.0.1:${server.addr.port}` },
      );
      let results: { testResults: { assertionResults: _Assertion[] }[] };
      try {
        results = JSON.parse(await Deno.readTextFile(report));
      } catch {
        throw new Error(`vitest wrote no report:\n${run.text.slice(-4000)}`);
      }
      const tests = results.testResults.flatMap((file) => file.assertionResults);
      const passed = tests.filter((test) => test.status === "passed");
      const failed = tests.filter((test) => test.status === "failed");
      console.log(
        `${name}: ${passed.length} passed, ${failed.length} failed, ${tests.length} tests`,
      );
      for (const test of failed) {
        const message = (test.failureMessages?.[0] ?? "").replace(/\s+/g, " ").slice(0, 300);
        console.log(`  FAILED ${[...test.ancestorTitles, test.title].join(" › ")}: ${message}`);
      }
      const errors = records.filter((record) => record.level === "error");
      ok(
        passed.length >= REQUIRED_PASSES,
        `${passed.length} of the suite's tests passed over the ${name} store; at least ${REQUIRED_PASSES} must; the service logged ${
          JSON.stringify(errors.slice(0, 5))
        }`,
      );

      const seeded = createDurableStream({
        topic: "seeded",
        schema: z.object({ id: z.string(), total: z.number() }),
        url: `http://127.0.0.1:${server.addr.port}`,
      });
      await seeded.create();
      await seeded.append({ id: "a", total: 1 });
      await seeded.append({ id: "b", total: 2 });
      const interop = await _run(
        "node",
        ["node_modules/vitest/vitest.mjs", "run", "client_interop.test.mjs"],
        { CONFORMANCE_TEST_URL: `http://127.0.0.1:${server.addr.port}` },
      );
      ok(
        interop.success,
        `the official @durable-streams/client could not write and read over the ${name} store:\n${
          interop.text.slice(-3000)
        }`,
      );
    } finally {
      await server.shutdown();
      await store.close();
      await dispose?.();
      await Deno.remove(report);
    }
  });
}

/**
 * A client generated from workers-api's OpenAPI document round-trips against
 * the real service: openapi-typescript turns the document into types, an
 * openapi-fetch client typed by them (`fixtures/openapi-client/scaffold/`)
 * must pass `deno check`, then it calls every route, success and error
 * paths, on a served workers-api (memory queue, and PostgreSQL where it
 * answers), and ajv validates every answer against the schema the document
 * gives for that operation and status.
 */
import { equal } from "node:assert/strict";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { Ajv2020 } from "ajv/dist/2020.js";
import ajvFormats from "ajv-formats";
import type { Middleware } from "openapi-fetch";
import openapiTS, { astToString } from "openapi-typescript";
import { defineJob, type JobQueue } from "@netscript/plugin-workers-core";
import { MemoryJobQueue } from "@netscript/plugin-workers-core/memory";
import { createPostgresJobQueue } from "@netscript/plugin-workers-core/postgres";
import { createWorkersService } from "@netscript/plugin-workers";
import { createLogger } from "@netscript/telemetry";
import { z } from "zod";
import { postgres } from "./support/databases.ts";
import { assertAvailable } from "./support/requirements.ts";
import { freshWorkersDatabase } from "../plugins/workers-core/src/adapters/postgres/testdata/workers_database.ts";

const ROOT = new URL("../", import.meta.url).pathname;
const SCAFFOLD = new URL("./fixtures/openapi-client/scaffold/", import.meta.url).pathname;

/** The key the document is registered under in ajv; `$ref`s resolve against it. */
const DOCUMENT_ID = "https://netscript.test/workers-api.json";

/**
 * What ajv's strict mode must take as annotations: the fields of an OpenAPI
 * document's root, where ajv starts resolving a pointer into it, and the
 * keywords OpenAPI 3.1 adds to JSON Schema.
 */
const OPENAPI_KEYWORDS = [
  "openapi",
  "info",
  "jsonSchemaDialect",
  "servers",
  "paths",
  "webhooks",
  "components",
  "security",
  "tags",
  "externalDocs",
  "discriminator",
  "xml",
  "example",
];

const JOBS = [
  defineJob({ name: "email", input: z.object({ to: z.email() }), handler: () => {} }),
  defineJob({ name: "report", input: z.object({ day: z.number().int() }), handler: () => {} }),
];

const silent = createLogger({ service: "workers-api", sink: () => {} });

/** Where the client calls and who sees the answers. */
interface ClientOptions {
  baseUrl: string;
  middleware: Middleware;
}

/** The module the test runs after `deno check` passes on it. */
interface WorkersCalls {
  callEveryRoute(options: ClientOptions & { kill(id: string): Promise<void> }): Promise<void>;
  callWhileStoreIsDown(options: ClientOptions): Promise<void>;
}

/** One answer of the service, as the client saw it. */
interface Exchange {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly contentType: string | null;
  readonly body: string;
}

// deno-lint-ignore no-explicit-any
type Json = any;

/**
 * Writes the types generated from `document` and the calling module into
 * `folder`, type-checks them with this repository's configuration, and
 * imports the module.
 */
async function generatedClient(document: unknown, folder: string): Promise<WorkersCalls> {
  const types = astToString(await openapiTS(document as Parameters<typeof openapiTS>[0]));
  await Deno.writeTextFile(join(folder, "workers_api.ts"), types);
  const calls = join(folder, "workers_calls.ts");
  await Deno.copyFile(join(SCAFFOLD, "workers_calls.ts"), calls);
  const check = await new Deno.Command(Deno.execPath(), {
    args: ["check", "--quiet", "--config", join(ROOT, "deno.json"), calls],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decoder = new TextDecoder();
  equal(
    check.success,
    true,
    `deno check failed on the generated client:\n${decoder.decode(check.stdout)}${
      decoder.decode(check.stderr)
    }`,
  );
  return await import(pathToFileURL(calls).href) as WorkersCalls;
}

/** A middleware that keeps every response's status and body. */
function recorder(exchanges: Exchange[]): Middleware {
  return {
    async onResponse({ request, response, schemaPath }) {
      exchanges.push({
        method: request.method.toLowerCase(),
        path: schemaPath,
        status: response.status,
        contentType: response.headers.get("content-type"),
        body: await response.clone().text(),
      });
    },
  };
}

/** Escapes a JSON pointer token for a URI fragment. */
function _token(token: string): string {
  return encodeURIComponent(token.replaceAll("~", "~0").replaceAll("/", "~1"));
}

/**
 * Checks each answer against the document: the operation and the status
 * must be documented, and the body valid against that response's schema.
 * Returns one line per mismatch.
 */
function mismatches(document: Json, exchanges: readonly Exchange[]): string[] {
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  ajvFormats.default(ajv);
  ajv.addVocabulary(OPENAPI_KEYWORDS);
  ajv.addSchema(document, DOCUMENT_ID);
  const found: string[] = [];
  for (const { method, path, status, contentType, body } of exchanges) {
    const where = `${method.toUpperCase()} ${path} -> ${status}`;
    const responses = document.paths?.[path]?.[method]?.responses;
    if (responses === undefined) {
      found.push(`${where}: the document has no such operation`);
      continue;
    }
    const key = String(status) in responses ? String(status) : "default";
    if (responses[key] === undefined) {
      found.push(`${where}: the document does not list this status`);
      continue;
    }
    const content = responses[key].content;
    if (content === undefined) {
      if (body !== "") found.push(`${where}: a body the document does not describe: ${body}`);
      continue;
    }
    if (!contentType?.startsWith("application/json") || content["application/json"] === undefined) {
      found.push(`${where}: content type ${contentType}, documented ${Object.keys(content)}`);
      continue;
    }
    const media = ["paths", path, method, "responses", key, "content", "application/json"];
    const pointer = [...media, "schema"].map(_token).join("/");
    const validate = ajv.getSchema(`${DOCUMENT_ID}#/${pointer}`);
    if (validate === undefined) {
      found.push(`${where}: no schema at #/${pointer}`);
      continue;
    }
    if (!validate(JSON.parse(body))) {
      found.push(`${where}: ${ajv.errorsText(validate.errors)}; body ${body.slice(0, 500)}`);
    }
  }
  return found;
}

/** The operations of the document no exchange called. */
function uncalled(document: Json, exchanges: readonly Exchange[]): string[] {
  const called = new Set(exchanges.map(({ method, path }) => `${method} ${path}`));
  return Object.entries(document.paths as Record<string, object>).flatMap(([path, operations]) =>
    Object.keys(operations).map((method) => `${method} ${path}`)
  ).filter((operation) => !called.has(operation));
}

/**
 * Serves workers-api on `queue`, runs `run` against it, and fails with
 * every answer the document does not describe and every route left uncalled.
 */
async function roundTrip(
  document: Json,
  queue: JobQueue,
  run: (options: ClientOptions) => Promise<void>,
): Promise<void> {
  const service = createWorkersService({ queue, jobs: JOBS, logger: silent });
  await using running = service.serve({ port: 0, handleSignals: false });
  const exchanges: Exchange[] = [];
  await run({ baseUrl: new URL("/api", running.url).href, middleware: recorder(exchanges) });
  const problems = [
    ...mismatches(document, exchanges),
    ...uncalled(document, exchanges).map((operation) => `${operation}: never called`),
  ];
  equal(problems.length, 0, `Answers the document does not describe:\n${problems.join("\n")}`);
}

/** Every route, success and error paths, on `queue`. */
function everyRoute(calls: WorkersCalls, document: Json, queue: JobQueue): Promise<void> {
  return roundTrip(document, queue, (options) =>
    calls.callEveryRoute({
      ...options,
      async kill(id) {
        const [claimed] = await queue.claim({
          workerId: "e2e",
          limit: 1,
          leaseMs: 60_000,
          names: ["report"],
        });
        equal(claimed?.id, id, "the report job is the one claimed");
        equal(await queue.fail(id, "e2e", "the report failed", null), true);
      },
    }));
}

Deno.test("a client generated from workers-api's OpenAPI document calls every route as documented", async (t) => {
  const document = await createWorkersService({
    queue: new MemoryJobQueue(),
    jobs: JOBS,
    logger: silent,
  }).openapi();
  const folder = await Deno.makeTempDir({ prefix: "netscript-openapi-client-" });
  try {
    const calls = await generatedClient(document, folder);
    await t.step("on the memory queue", async () => {
      await everyRoute(calls, document, new MemoryJobQueue());
    });
    await t.step("with the job store unreachable", async () => {
      // Nothing listens on port 1: every store call fails to connect.
      const queue = createPostgresJobQueue({
        url: "postgresql://postgres@127.0.0.1:1/none",
        logger: silent,
      });
      try {
        await roundTrip(document, queue, calls.callWhileStoreIsDown);
      } finally {
        await queue.close();
      }
    });
    await t.step({
      name: "on PostgreSQL",
      ignore: postgres.ignore,
      fn: async () => {
        assertAvailable(postgres, "postgres");
        const database = await freshWorkersDatabase();
        const queue = createPostgresJobQueue({ url: database.url, logger: silent });
        try {
          await everyRoute(calls, document, queue);
        } finally {
          await queue.close();
          await database.drop();
        }
      },
    });
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});

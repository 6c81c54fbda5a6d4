import { deepEqual, equal, match, notEqual, ok } from "node:assert/strict";
import { join } from "node:path";
import { runAppHost as runRecordedAppHost } from "../tests/support/aspire.ts";
import { buildResourceGraph, composeRegistry, defineConfig, definePlugin } from "@netscript/plugin";
import { appHostFiles, type AppHostModel, buildAppHostModel, renderAppHost } from "./mod.ts";
import {
  type ExecutableManifestResource,
  installRecordingSdk,
  readRecording,
} from "./testing/mod.ts";

/**
 * The generated AppHost run against the recording stand-in for Aspire's SDK,
 * with the service secret set, empty, unset or too short in its environment.
 */
const hello = definePlugin("hello", "1.0.0")
  .withType("background-processor")
  .withService({ name: "hello-api", entrypoint: "./services/main.ts", port: 8190 })
  .withBackgroundProcessor({ name: "hello-ticker", entrypoint: "./bin/ticker.ts" })
  .build();

const model = buildAppHostModel(
  buildResourceGraph(
    defineConfig({
      db: { engine: "postgres" },
      cache: { backend: "redis" },
      plugins: [{ name: "hello", package: "@acme/hello" }],
      aspire: true,
    }),
    composeRegistry([{ file: "plugins/hello/plugin.ts", manifest: hello }]),
  ),
  {},
);

/** What one run of an AppHost did. */
interface AppHostRun {
  /** Exit code 0. */
  readonly success: boolean;
  /** What it printed to stderr, without colours. */
  readonly stderr: string;
  /** Each executable's `NETSCRIPT_SERVICE_SECRET`, by resource name; empty when the run failed. */
  readonly secrets: Record<string, string | undefined>;
}

/**
 * Writes `text` as `apphost.mts` over the recording SDK and runs it with an
 * environment holding only what Deno needs and `env` (so the test runner's
 * own variables do not leak in).
 */
async function runAppHost(text: string, env: Record<string, string>): Promise<AppHostRun> {
  const dir = await Deno.makeTempDir({ prefix: "netscript-apphost-secret-" });
  try {
    const appHost = join(dir, "aspire");
    await Deno.mkdir(appHost);
    await Deno.writeTextFile(join(appHost, "apphost.mts"), text);
    await installRecordingSdk(appHost);
    const run = await runRecordedAppHost(appHost, env);
    if (!run.success) return { success: false, stderr: run.output, secrets: {} };
    const { manifest } = await readRecording(appHost);
    const secrets = Object.fromEntries(
      Object.entries(manifest.resources)
        .filter(([, r]) => r.type === "executable.v0")
        .map(([name, r]) => [
          name,
          (r as ExecutableManifestResource).env?.["NETSCRIPT_SERVICE_SECRET"],
        ]),
    );
    return { success: true, stderr: run.output, secrets };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** The one secret every process of a run got; fails when one has none or two differ. */
function sharedSecret(run: AppHostRun, processes: AppHostModel["processes"]): string {
  ok(run.success, run.stderr);
  deepEqual(Object.keys(run.secrets).sort(), processes.map((p) => p.name).sort());
  const values = new Set(Object.values(run.secrets));
  equal(values.size, 1, `the processes got different secrets: ${JSON.stringify(run.secrets)}`);
  const [secret] = values;
  ok(secret !== undefined, "the processes got no NETSCRIPT_SERVICE_SECRET");
  return secret;
}

/** Fails when any generated file of `aspire/` holds `secret`. */
function assertNoFileHolds(secret: string): void {
  for (const [path, content] of Object.entries(appHostFiles(model))) {
    ok(!content.includes(secret), `${path} holds the service secret`);
  }
}

Deno.test("renderAppHost() gives every process the AppHost's NETSCRIPT_SERVICE_SECRET", async () => {
  const secret = "configured-secret-of-the-test-0123456789";
  const text = renderAppHost(model);
  const run = await runAppHost(text, { NETSCRIPT_SERVICE_SECRET: secret });
  equal(sharedSecret(run, model.processes), secret);
  assertNoFileHolds(secret);
  equal(renderAppHost(model), text, "the file does not depend on the secret");
});

Deno.test("renderAppHost() makes one random secret per run when NETSCRIPT_SERVICE_SECRET is unset or empty", async (t) => {
  const text = renderAppHost(model);
  for (
    const [label, env] of [
      ["unset", {}],
      ["empty", { NETSCRIPT_SERVICE_SECRET: "" }],
    ] as const
  ) {
    await t.step(label, async () => {
      const first = sharedSecret(await runAppHost(text, env), model.processes);
      const second = sharedSecret(await runAppHost(text, env), model.processes);
      ok(first.length >= 32, `"${first}" is shorter than 32 characters`);
      match(first, /^[A-Za-z0-9_-]+$/);
      notEqual(first, second, "two runs got the same secret");
      assertNoFileHolds(first);
    });
  }
});

Deno.test("renderAppHost() stops on a NETSCRIPT_SERVICE_SECRET shorter than 32 characters without printing it", async () => {
  const secret = "too-short-secret-31-characters!";
  equal(secret.length, 31);
  const run = await runAppHost(renderAppHost(model), { NETSCRIPT_SERVICE_SECRET: secret });
  equal(run.success, false, "the AppHost ran with a short secret");
  match(run.stderr, /NETSCRIPT_SERVICE_SECRET is shorter than 32 characters/);
  ok(!run.stderr.includes(secret), "the message prints the secret");
});

Deno.test("renderAppHost() keeps the secret's identifiers apart from resource identifiers", async () => {
  const names = ["random-bytes", "service-secret"];
  const processes = names.map((name) => ({
    name,
    kind: "processor" as const,
    args: ["run", `${name}.ts`],
    env: {},
    stores: [],
    services: [],
    waitFor: [],
    passEnv: [],
  }));
  const text = renderAppHost({ stores: [], processes });
  match(text, /^const randomBytes2 = await builder$/m);
  const secret = "identifiers-secret-of-the-test-0123456789";
  equal(
    sharedSecret(await runAppHost(text, { NETSCRIPT_SERVICE_SECRET: secret }), processes),
    secret,
  );
});

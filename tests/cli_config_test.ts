/**
 * End to end: `netscript config get|set|validate` on a workspace whose plugin
 * declares a config topic, on the Deno KV file (SQLite workspaces) and on
 * PostgreSQL, with the failure paths a user meets.
 */
import { deepEqual, equal, match, ok } from "node:assert/strict";
import { join } from "node:path";
import { initLinkedWorkspace, netscript, netscriptProcess } from "./support/cli.ts";
import { freshPostgresDatabase, postgres } from "./support/databases.ts";
import { assertAvailable } from "./support/requirements.ts";

const SCHEMA = {
  type: "object",
  additionalProperties: false,
  properties: {
    limit: { type: "integer", minimum: 1, default: 2 },
    mode: { enum: ["fast", "safe"] },
  },
};

async function workspaceWithTopic(parent: string, extra: string[] = []): Promise<string> {
  const root = await initLinkedWorkspace(parent, extra);
  await Deno.mkdir(join(root, "plugins/tuned"), { recursive: true });
  await Deno.writeTextFile(
    join(root, "plugins/tuned/plugin.ts"),
    `import { definePlugin } from "@netscript/plugin";

export default definePlugin("@acme/plugin-tuned", "1.0.0")
  .withRuntimeConfigTopics([{ name: "tuned", schemaPath: "./tuned.schema.json" }])
  .build();
`,
  );
  await Deno.writeTextFile(join(root, "plugins/tuned/tuned.schema.json"), JSON.stringify(SCHEMA));
  return root;
}

Deno.test("netscript config sets, reads and validates a topic on the workspace's KV file", async (t) => {
  const parent = await Deno.makeTempDir({ prefix: "netscript-config-" });
  try {
    const root = await workspaceWithTopic(parent);
    const json = async (args: string[]) => {
      const run = await netscript([...args, "--json"], root);
      return { code: run.code, result: JSON.parse(run.stdout), stderr: run.stderr };
    };

    await t.step("get before any set shows the schema's defaults at revision 0", async () => {
      const { code, result } = await json(["config", "get", "tuned"]);
      equal(code, 0);
      deepEqual([result.value, result.revision], [{ limit: 2 }, 0]);
      equal(result.location, ".netscript/data/config.kv");
    });

    await t.step("set stores a valid value as the next revision", async () => {
      const { code, result } = await json(["config", "set", "tuned", "--value", '{"mode":"fast"}']);
      equal(code, 0);
      deepEqual([result.value, result.revision], [{ limit: 2, mode: "fast" }, 1]);
      const again = await json(["config", "get", "tuned"]);
      deepEqual([again.result.value, again.result.revision], [{ limit: 2, mode: "fast" }, 1]);
    });

    await t.step("set refuses an invalid value with its issues and writes nothing", async () => {
      const run = await netscript(["config", "set", "tuned", "--value", '{"limit":0,"x":1}'], root);
      equal(run.code, 1);
      match(run.stderr, /error\[CONFIG_VALUE_INVALID\]: Invalid value for config topic "tuned"/);
      match(run.stderr, /limit/);
      match(run.stderr, /x/);
      equal((await json(["config", "get", "tuned"])).result.revision, 1);
    });

    await t.step("validate checks a file without storing it, and the stored value", async () => {
      await Deno.writeTextFile(join(root, "bad.json"), '{"mode":"slow"}');
      const bad = await netscript(["config", "validate", "tuned", "--file", "bad.json"], root);
      equal(bad.code, 1);
      match(bad.stdout, /mode/);
      const stored = await json(["config", "validate", "tuned"]);
      equal(stored.code, 0);
      equal(stored.result.ok, true);
    });

    await t.step("clear errors for an unknown topic and a missing or malformed value", async () => {
      const unknown = await netscript(["config", "get", "nope"], root);
      equal(unknown.code, 1);
      match(
        unknown.stderr,
        /error\[CONFIG_TOPIC_UNKNOWN\]: No plugin declares config topic "nope"; the workspace has tuned/,
      );
      const none = await netscript(["config", "set", "tuned"], root);
      match(none.stderr, /error\[CONFIG_VALUE_MISSING\]/);
      const malformed = await netscript(["config", "set", "tuned", "--value", "{limit:"], root);
      match(malformed.stderr, /error\[CONFIG_VALUE_NOT_JSON\]: The value is not JSON/);
    });
  } finally {
    await Deno.remove(parent, { recursive: true });
  }
});

Deno.test({
  name: "netscript config keeps a Postgres workspace's topics in its database",
  ignore: postgres.ignore,
  async fn() {
    assertAvailable(postgres, "postgres");
    const parent = await Deno.makeTempDir({ prefix: "netscript-config-pg-" });
    const database = await freshPostgresDatabase();
    try {
      const root = await workspaceWithTopic(parent, ["--db", "postgres"]);
      const env = { DATABASE_URL: database.url };
      const set = await netscriptProcess(
        root,
        ["config", "set", "tuned", "--value", '{"limit":5}', "--json"],
        env,
      );
      equal(set.code, 0, set.stderr);
      const get = await netscriptProcess(root, ["config", "get", "tuned", "--json"], env);
      const result = JSON.parse(get.stdout);
      deepEqual([result.value, result.revision], [{ limit: 5 }, 1]);
      ok(!result.location.includes("config.kv"));
      equal(await Deno.stat(join(root, ".netscript/data/config.kv")).catch(() => null), null);
    } finally {
      await database.drop();
      await Deno.remove(parent, { recursive: true });
    }
  },
});

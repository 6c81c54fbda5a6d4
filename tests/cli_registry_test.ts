/**
 * End to end: `netscript registry generate` scans plugins/*\/plugin.ts,
 * composes them, writes static modules, and changes nothing on any error.
 */
import { deepEqual, equal, match, ok } from "node:assert/strict";
import { join } from "node:path";
import { initLinkedWorkspace, netscript, snapshotTree } from "./support/cli.ts";

function manifestSource(name: string, port: number, extra = ""): string {
  const slug = name.replace(/^@[^/]+\//, "").replace(/^plugin-/, "");
  return `import { definePlugin } from "@netscript/plugin";

export default definePlugin("${name}", "1.0.0")
  .withType("service")
  .withService({ name: "${slug}-api", entrypoint: "./main.ts", port: ${port} })${extra}
  .build();
`;
}

async function writePlugin(root: string, dir: string, source: string): Promise<void> {
  await Deno.mkdir(join(root, "plugins", dir), { recursive: true });
  await Deno.writeTextFile(join(root, "plugins", dir, "plugin.ts"), source);
}

async function workspace(): Promise<string> {
  return await initLinkedWorkspace(await Deno.makeTempDir({ prefix: "netscript-registry-" }));
}

Deno.test("registry generate writes one module per plugin and a JSON snapshot", async (t) => {
  const root = await workspace();
  try {
    await writePlugin(root, "zeta", manifestSource("zeta", 8302));
    await writePlugin(
      root,
      "alpha",
      manifestSource(
        "@acme/plugin-alpha",
        8301,
        '\n  .withStreamTopics([{ name: "alpha.events", schemaPath: "./events.schema.json" }])' +
          '\n  .withRuntimeConfigTopics([{ name: "alpha", schemaPath: "./alpha.schema.json" }])' +
          '\n  .withTelemetry({ namespace: "alpha" })',
      ),
    );
    await Deno.writeTextFile(
      join(root, "plugins/alpha/events.schema.json"),
      '{ "type": "object", "properties": { "id": { "type": "string" } } }',
    );
    await Deno.writeTextFile(
      join(root, "plugins/alpha/alpha.schema.json"),
      '{ "type": "object", "properties": { "limit": { "type": "integer" } } }',
    );
    await Deno.mkdir(join(root, "plugins", "notes-only"));

    await t.step("generate", async () => {
      const run = await netscript(["registry", "generate", "--json"], root);
      equal(run.code, 0, run.stderr);
      const result = JSON.parse(run.stdout);
      deepEqual(result.plugins, ["@acme/plugin-alpha", "zeta"]);
      deepEqual(result.changed.sort(), [
        ".netscript/definitions/alpha.ts",
        ".netscript/definitions/zeta.ts",
        ".netscript/registry.json",
      ]);
      const snapshot = JSON.parse(await Deno.readTextFile(join(root, ".netscript/registry.json")));
      deepEqual(
        snapshot.services.map((
          s: { name: string; port: number; entrypoint: string },
        ) => [s.name, s.port, s.entrypoint]),
        [
          ["alpha-api", 8301, "plugins/alpha/main.ts"],
          ["zeta-api", 8302, "plugins/zeta/main.ts"],
        ],
      );
      deepEqual(snapshot.streamTopics, [{
        plugin: "@acme/plugin-alpha",
        name: "alpha.events",
        schemaPath: "plugins/alpha/events.schema.json",
      }]);
      deepEqual(snapshot.plugins[0].slug, "alpha");
    });

    await t.step("a plugin's module is what its processes import", async () => {
      const probe = join(root, "probe.ts");
      await Deno.writeTextFile(
        probe,
        'import { plugin } from "./.netscript/definitions/alpha.ts";\nconsole.log(JSON.stringify([plugin.slug, plugin.envPrefix, plugin.telemetry, plugin.configTopics, plugin.streamTopics.map((t) => t.name)]));\n',
      );
      const out = await new Deno.Command(Deno.execPath(), {
        args: ["run", "--quiet", probe],
        cwd: root,
      }).output();
      deepEqual(JSON.parse(new TextDecoder().decode(out.stdout)), [
        "alpha",
        "ALPHA",
        { namespace: "alpha" },
        [{ name: "alpha", schema: { type: "object", properties: { limit: { type: "integer" } } } }],
        ["alpha.events"],
      ]);
      await Deno.remove(probe);
    });

    await t.step("a second run changes nothing and --check passes", async () => {
      const again = await netscript(["registry", "generate", "--json"], root);
      deepEqual(JSON.parse(again.stdout).changed, []);
      const check = await netscript(["registry", "generate", "--check"], root);
      equal(check.code, 0, check.stderr);
      match(check.stdout, /up to date \(2 plugins\)/);
    });

    await t.step("--check fails on a stale registry and writes nothing", async () => {
      await writePlugin(root, "zeta", manifestSource("zeta", 8303));
      const before = await snapshotTree(join(root, ".netscript"));
      const check = await netscript(["registry", "generate", "--check"], root);
      equal(check.code, 1);
      match(
        check.stderr,
        /error\[REGISTRY_STALE\].*registry\.json.*run netscript registry generate/,
      );
      deepEqual(await snapshotTree(join(root, ".netscript")), before);
    });

    await t.step("a removed plugin's module is removed", async () => {
      await Deno.remove(join(root, "plugins/zeta"), { recursive: true });
      const run = await netscript(["registry", "generate", "--json"], root);
      equal(run.code, 0, run.stderr);
      deepEqual(JSON.parse(run.stdout).removed, [".netscript/definitions/zeta.ts"]);
      equal(await Deno.stat(join(root, ".netscript/definitions/zeta.ts")).catch(() => null), null);
    });
  } finally {
    await Deno.remove(join(root, ".."), { recursive: true });
  }
});

Deno.test("registry generate rejects bad plugins and leaves .netscript/ unchanged", async (t) => {
  const root = await workspace();
  try {
    await writePlugin(
      root,
      "alpha",
      manifestSource("alpha", 8400, '\n  .withDefinitions([{ folder: "notes", kind: "note" }])'),
    );
    equal((await netscript(["registry", "generate"], root)).code, 0);
    const before = await snapshotTree(join(root, ".netscript"));
    const cases: [string, string, RegExp[]][] = [
      ["a port claimed twice", manifestSource("zeta", 8400), [
        /error\[PLUGIN_DUPLICATE_PORT\]/,
        /port 8400/,
        /plugins\/alpha\b/,
        /plugins\/zeta\b/,
      ]],
      ["a plugin name used twice", manifestSource("alpha", 8401), [
        /error\[PLUGIN_DUPLICATE_NAME\]/,
        /plugins\/alpha\b/,
        /plugins\/zeta\b/,
      ]],
      ["a malformed manifest", manifestSource("zeta", 0), [
        /error\[PLUGIN_INVALID_MANIFEST\]/,
        /plugins\/zeta\/plugin\.ts/,
        /services\[0\]\.port must be a port from 1 to 65535 \(got 0\)/,
      ]],
      ["a file that exports something else", "export default { name: 'zeta' };\n", [
        /error\[PLUGIN_NOT_A_MANIFEST\]/,
        /plugins\/zeta\/plugin\.ts does not default-export a plugin manifest/,
      ]],
      ["a file that does not import", 'import "./missing.ts";\nexport default 1;\n', [
        /error\[PLUGIN_LOAD_FAILED\]: Cannot import plugins\/zeta\/plugin\.ts/,
      ]],
      [
        "a contract version whose loader fails",
        manifestSource(
          "zeta",
          8401,
          '\n  .withContractVersions([{ version: "v1", loader: () => import("./contracts/v1.ts") }])',
        ),
        [
          /error\[PLUGIN_CONTRACT_UNRESOLVED\]: Plugin "zeta" \(plugins\/zeta\/plugin\.ts\) declares contract v1, whose loader fails/,
        ],
      ],
      ["a plugin outside the folder its name gives", manifestSource("@acme/plugin-other", 8401), [
        /error\[PLUGIN_FOLDER_MISMATCH\]: Plugin "@acme\/plugin-other" is in plugins\/zeta, but .* belongs in plugins\/other/,
      ]],
      [
        "a config topic whose schema file is missing",
        manifestSource(
          "zeta",
          8401,
          '\n  .withRuntimeConfigTopics([{ name: "zeta", schemaPath: "./none.json" }])',
        ),
        [
          /error\[PLUGIN_SCHEMA_INVALID\]: Plugin "zeta" names plugins\/zeta\/none\.json .* the file does not exist/,
        ],
      ],
      [
        "a definitions folder another plugin reads",
        manifestSource(
          "zeta",
          8401,
          '\n  .withDefinitions([{ folder: "notes", kind: "note" }])',
        ),
        [
          /error\[PLUGIN_DUPLICATE_DEFINITIONS_FOLDER\]/,
          /plugins\/alpha\b/,
          /plugins\/zeta\b/,
        ],
      ],
    ];
    for (const [label, source, messages] of cases) {
      await t.step(label, async () => {
        await writePlugin(root, "zeta", source);
        const run = await netscript(["registry", "generate"], root);
        equal(run.code, 1, run.stdout);
        for (const message of messages) match(run.stderr, message);
        deepEqual(await snapshotTree(join(root, ".netscript")), before);
      });
    }
    await t.step("errors are JSON with --json", async () => {
      await writePlugin(root, "zeta", manifestSource("zeta", 8400));
      const run = await netscript(["registry", "generate", "--json"], root);
      equal(run.code, 1);
      const result = JSON.parse(run.stdout);
      equal(result.ok, false);
      equal(result.error.code, "PLUGIN_DUPLICATE_PORT");
      deepEqual(result.error.details.files, ["plugins/alpha/plugin.ts", "plugins/zeta/plugin.ts"]);
      equal(result.error.details.value, 8400);
    });
  } finally {
    await Deno.remove(join(root, ".."), { recursive: true });
  }
});

Deno.test("registry generate outside a workspace says where to run it", async () => {
  const empty = await Deno.makeTempDir();
  try {
    const run = await netscript(["registry", "generate"], empty);
    equal(run.code, 1);
    match(run.stderr, /error\[WORKSPACE_NOT_FOUND\]: No netscript\.config\.ts/);
    ok(run.stderr.includes("netscript init"));
  } finally {
    await Deno.remove(empty, { recursive: true });
  }
});

Deno.test("registry generate lists each definitions folder's files in its plugin's module", async () => {
  const parent = await Deno.makeTempDir({ prefix: "netscript-registry-" });
  try {
    const root = await initLinkedWorkspace(parent);
    const write = async (path: string, text: string) => {
      await Deno.mkdir(join(root, path, ".."), { recursive: true });
      await Deno.writeTextFile(join(root, path), text);
    };
    await writePlugin(
      root,
      "tasks",
      manifestSource(
        "@acme/plugin-tasks",
        8500,
        '\n  .withDefinitions([{ folder: "tasks", kind: "task", builder: "defineTask" }, { folder: "timers", kind: "timer" }])',
      ),
    );
    await write(
      "tasks/send_email.ts",
      'export default { kind: "task", name: "send-email" } as const;\n',
    );
    await write("tasks/billing/invoice.ts", 'export default { kind: "task", name: "invoice" };\n');
    await write("tasks/send_email_test.ts", "Deno.test('x', () => {});\n");
    await write("tasks/_shared.ts", "export const helper = 1;\n");
    await write("timers/nightly.ts", 'export default { kind: "timer", name: "nightly" };\n');
    const run = await netscript(["registry", "generate"], root);
    equal(run.code, 0, run.stderr);
    const module = await import(join(root, ".netscript/definitions/tasks.ts"));
    deepEqual(
      module.tasks.map((j: { file: string; definition: { name: string } }) => [
        j.file,
        j.definition.name,
      ]),
      [["tasks/billing/invoice.ts", "invoice"], ["tasks/send_email.ts", "send-email"]],
    );
    deepEqual(module.definitions.timers.map((s: { file: string }) => s.file), [
      "timers/nightly.ts",
    ]);
    await write(
      "probe.ts",
      'import { tasks } from "./.netscript/definitions/tasks.ts";\nconst name: "send-email" = tasks[1].definition.name;\nconsole.log(name);\n',
    );
    const check = await new Deno.Command(Deno.execPath(), {
      args: ["check", "--quiet", "--no-lock", ".netscript/definitions/tasks.ts", "probe.ts"],
      cwd: root,
    }).output();
    ok(check.success, new TextDecoder().decode(check.stderr));
    await write("tasks/wrong.ts", 'export default { kind: "timer", name: "x" };\n');
    equal((await netscript(["registry", "generate"], root)).code, 0);
    const load = await new Deno.Command(Deno.execPath(), {
      args: ["run", "--quiet", "--no-lock", ".netscript/definitions/tasks.ts"],
      cwd: root,
    }).output();
    equal(load.success, false);
    match(
      new TextDecoder().decode(load.stderr),
      /PLUGIN_DEFINITION_MISMATCH|tasks\/wrong\.ts does not default-export a task definition \(it exports a "timer"\); end it with export default defineTask/,
    );
    await Deno.remove(join(root, "tasks"), { recursive: true });
    equal(
      (await netscript(["registry", "generate", "--check"], root)).code,
      1,
      "stale after a removal",
    );
  } finally {
    await Deno.remove(parent, { recursive: true });
  }
});

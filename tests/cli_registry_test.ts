/**
 * End to end: `netscript registry generate` scans plugins/*\/plugin.ts,
 * composes them, writes static modules, and changes nothing on any error.
 */
import { deepEqual, equal, match, ok } from "node:assert/strict";
import { join } from "node:path";
import { initLinkedWorkspace, netscript, snapshotTree } from "./support/cli.ts";

function manifestSource(name: string, port: number, extra = ""): string {
  return `import { definePlugin } from "@netscript/plugin";

export default definePlugin("${name}", "1.0.0")
  .withType("service")
  .withService({ name: "${name}-api", entrypoint: "./main.ts", port: ${port} })${extra}
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

Deno.test("registry generate writes static imports in a fixed order and a JSON snapshot", async (t) => {
  const root = await workspace();
  try {
    await writePlugin(root, "zeta", manifestSource("zeta", 8302));
    await writePlugin(
      root,
      "alpha",
      manifestSource("alpha", 8301, '\n  .withStreamTopics(["alpha.events"])'),
    );
    await Deno.mkdir(join(root, "plugins", "notes-only"));

    await t.step("generate", async () => {
      const run = await netscript(["registry", "generate", "--json"], root);
      equal(run.code, 0, run.stderr);
      const result = JSON.parse(run.stdout);
      deepEqual(result.plugins, ["alpha", "zeta"]);
      deepEqual(result.changed, [".netscript/registry.ts", ".netscript/registry.json"]);
      const module = await Deno.readTextFile(join(root, ".netscript/registry.ts"));
      const imports = [...module.matchAll(/^import (\w+) from "(.+)";$/gm)].map((m) => m[2]);
      deepEqual(imports, ["../plugins/alpha/plugin.ts", "../plugins/zeta/plugin.ts"]);
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
      deepEqual(snapshot.streamTopics, [{ plugin: "alpha", name: "alpha.events" }]);
    });

    await t.step("the generated module is what the runtime imports", async () => {
      const probe = join(root, "probe.ts");
      await Deno.writeTextFile(
        probe,
        'import { registry } from "./.netscript/registry.ts";\nconsole.log(JSON.stringify(registry.services.map((s) => s.name)));\n',
      );
      const out = await new Deno.Command(Deno.execPath(), {
        args: ["run", "--quiet", probe],
        cwd: root,
      }).output();
      equal(new TextDecoder().decode(out.stdout).trim(), '["alpha-api","zeta-api"]');
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
  } finally {
    await Deno.remove(join(root, ".."), { recursive: true });
  }
});

Deno.test("registry generate rejects bad plugins and leaves .netscript/ unchanged", async (t) => {
  const root = await workspace();
  try {
    await writePlugin(root, "alpha", manifestSource("alpha", 8400));
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

Deno.test("registry generate lists the files under jobs/ and schedules/ for processors to import", async () => {
  const parent = await Deno.makeTempDir({ prefix: "netscript-registry-" });
  try {
    const root = await initLinkedWorkspace(parent);
    const write = async (path: string, text: string) => {
      await Deno.mkdir(join(root, path, ".."), { recursive: true });
      await Deno.writeTextFile(join(root, path), text);
    };
    await write("jobs/send_email.ts", 'export default { kind: "job", name: "send-email" };\n');
    await write("jobs/billing/invoice.ts", 'export default { kind: "job", name: "invoice" };\n');
    await write("jobs/send_email_test.ts", "Deno.test('x', () => {});\n");
    await write("jobs/_shared.ts", "export const helper = 1;\n");
    await write("schedules/nightly.ts", 'export default { kind: "schedule", name: "nightly" };\n');
    const run = await netscript(["registry", "generate"], root);
    equal(run.code, 0, run.stderr);
    const module = await import(join(root, ".netscript/definitions.ts"));
    deepEqual(
      module.jobs.map((j: { file: string; definition: { name: string } }) => [
        j.file,
        j.definition.name,
      ]),
      [["jobs/billing/invoice.ts", "invoice"], ["jobs/send_email.ts", "send-email"]],
    );
    deepEqual(module.schedules.map((s: { file: string }) => s.file), ["schedules/nightly.ts"]);
    const check = await new Deno.Command(Deno.execPath(), {
      args: ["check", "--quiet", "--no-lock", ".netscript/definitions.ts"],
      cwd: root,
    }).output();
    ok(check.success, new TextDecoder().decode(check.stderr));
    await Deno.remove(join(root, "jobs"), { recursive: true });
    equal(
      (await netscript(["registry", "generate", "--check"], root)).code,
      1,
      "stale after a removal",
    );
  } finally {
    await Deno.remove(parent, { recursive: true });
  }
});

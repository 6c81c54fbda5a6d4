/**
 * `netscript contract check` end to end: a linked workspace in a git
 * repository, a breaking edit to the app's contract checked against HEAD,
 * an ignore file, and two versions of a plugin's contract.
 */
import { deepEqual, equal, ok } from "node:assert/strict";
import { initLinkedWorkspace, netscript } from "./support/cli.ts";

async function git(root: string, ...args: string[]): Promise<void> {
  const result = await new Deno.Command("git", {
    args: ["-C", root, ...args],
    stdout: "null",
    stderr: "piped",
  })
    .output();
  if (!result.success) {
    throw new Error(`git ${args.join(" ")}: ${new TextDecoder().decode(result.stderr)}`);
  }
}

const PLUGIN = `import { definePlugin } from "@netscript/plugin";

export default definePlugin("demo", "0.1.0")
  .withContractVersions([
    { version: "v1", loader: () => import("./v1.ts") },
    { version: "v2", loader: () => import("./v2.ts") },
  ])
  .build();
`;

const VERSION = (procedures: string) =>
  `import { baseContract } from "@netscript/contracts";
import { z } from "zod";

export const demoContract = {
${procedures}
};
`;

Deno.test("netscript contract check compares the workspace with a git ref and two plugin versions", async (t) => {
  const parent = await Deno.makeTempDir();
  try {
    const root = await initLinkedWorkspace(parent);
    await git(root, "init", "--quiet");
    await git(root, "add", "-A");
    await git(
      root,
      "-c",
      "user.name=t",
      "-c",
      "user.email=t@example.com",
      "commit",
      "--quiet",
      "-m",
      "base",
    );

    await t.step("an unchanged workspace passes", async () => {
      const run = await netscript(["contract", "check", "--base", "HEAD", "--json"], root);
      equal(run.code, 0, run.stderr);
      deepEqual(JSON.parse(run.stdout).findings, []);
    });

    const contracts = `${root}/contracts/mod.ts`;
    const source = await Deno.readTextFile(contracts);
    const edited = source.replace(
      ".input(Note.pick({ text: true }))",
      ".input(Note.pick({ text: true }).extend({ tag: z.string() }))",
    );
    ok(edited !== source);
    await Deno.writeTextFile(contracts, edited);

    await t.step(
      "a new required input field fails, naming the rule, contract, procedure and path",
      async () => {
        const run = await netscript(["contract", "check", "--base", "HEAD", "--json"], root);
        equal(run.code, 1, run.stderr);
        const result = JSON.parse(run.stdout);
        equal(result.ok, false);
        deepEqual(
          result.findings.map((
            f: Record<string, string>,
          ) => [f.rule, f.severity, f.contract, f.procedure, f.path]),
          [[
            "request-required-property-added",
            "breaking",
            "app apiContract",
            "notes.create",
            "input.tag",
          ]],
        );
      },
    );

    await t.step("an ignore entry with a reason lets it pass", async () => {
      await Deno.writeTextFile(
        `${root}/contract-check-ignore.json`,
        JSON.stringify({
          ignore: [{
            rule: "request-required-property-added",
            procedure: "notes.create",
            path: "input.tag",
            reason: "no client sends notes yet",
          }],
        }),
      );
      const run = await netscript(["contract", "check", "--base", "HEAD", "--json"], root);
      equal(run.code, 0, run.stderr);
      const result = JSON.parse(run.stdout);
      deepEqual(result.findings, []);
      deepEqual(result.ignored.map((f: Record<string, string>) => f.reason), [
        "no client sends notes yet",
      ]);
    });

    await t.step("an ignore entry without a reason is refused", async () => {
      await Deno.writeTextFile(
        `${root}/contract-check-ignore.json`,
        JSON.stringify({
          ignore: [{ rule: "request-required-property-added", procedure: "notes.create" }],
        }),
      );
      const run = await netscript(["contract", "check", "--base", "HEAD", "--json"], root);
      equal(run.code, 1);
      equal(JSON.parse(run.stdout).error.code, "CONTRACT_IGNORE_INVALID");
      await Deno.remove(`${root}/contract-check-ignore.json`);
    });

    await t.step("an unknown ref is reported with its code", async () => {
      const run = await netscript(
        ["contract", "check", "--base", "no-such-branch", "--json"],
        root,
      );
      equal(run.code, 1);
      equal(JSON.parse(run.stdout).error.code, "CONTRACT_BASE_UNREADABLE");
    });

    await Deno.mkdir(`${root}/plugins/demo`, { recursive: true });
    await Deno.writeTextFile(`${root}/plugins/demo/plugin.ts`, PLUGIN);
    await Deno.writeTextFile(
      `${root}/plugins/demo/v1.ts`,
      VERSION(`  ping: baseContract.route({ method: "GET", path: "/ping" }),
  echo: baseContract.input(z.object({ text: z.string() })).output(z.object({ text: z.string() })),`),
    );
    await Deno.writeTextFile(
      `${root}/plugins/demo/v2.ts`,
      VERSION(
        `  echo: baseContract.input(z.object({ text: z.string(), loud: z.boolean().optional() }))
    .output(z.object({ text: z.string() })),`,
      ),
    );

    await t.step(
      "two versions of a plugin: a removed procedure breaks, a new optional field is info",
      async () => {
        const run = await netscript([
          "contract",
          "check",
          "--plugin",
          "demo",
          "--from",
          "v1",
          "--to",
          "v2",
        ], root);
        equal(run.code, 1, run.stderr);
        ok(run.stdout.includes("procedure-removed"), run.stdout);
        ok(run.stdout.includes("request-property-added"), run.stdout);
        ok(run.stdout.includes("1 breaking, 0 warning, 1 info, 0 ignored: failed"), run.stdout);
      },
    );

    await t.step("the other way round nothing breaks", async () => {
      const run = await netscript([
        "contract",
        "check",
        "--plugin",
        "demo",
        "--from",
        "v2",
        "--to",
        "v1",
        "--json",
      ], root);
      equal(run.code, 0, run.stderr);
      deepEqual(
        JSON.parse(run.stdout).findings.map((f: Record<string, string>) => f.rule).sort(),
        ["procedure-added", "request-property-removed"],
      );
    });

    await t.step("--fail-on warning fails on the warning", async () => {
      const run = await netscript(
        [
          "contract",
          "check",
          "--plugin",
          "demo",
          "--from",
          "v2",
          "--to",
          "v1",
          "--fail-on",
          "warning",
        ],
        root,
      );
      equal(run.code, 1);
    });

    await t.step("a version the plugin does not declare is named", async () => {
      const run = await netscript([
        "contract",
        "check",
        "--plugin",
        "demo",
        "--from",
        "v1",
        "--to",
        "v9",
        "--json",
      ], root);
      equal(run.code, 1);
      const error = JSON.parse(run.stdout).error;
      equal(error.code, "CONTRACT_VERSION_UNKNOWN");
      ok(error.message.includes('"demo v1", "demo v2"'), error.message);
    });

    await t.step("--base with --plugin is a usage error", async () => {
      const run = await netscript(
        ["contract", "check", "--base", "HEAD", "--plugin", "demo"],
        root,
      );
      equal(run.code, 2);
    });
  } finally {
    await Deno.remove(parent, { recursive: true });
  }
});

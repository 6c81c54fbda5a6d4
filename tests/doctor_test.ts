/**
 * End to end: `netscript doctor` reports each check with its fix, and fails
 * only when something is broken.
 */
import { equal, match } from "node:assert/strict";
import { join } from "node:path";
import { initLinkedWorkspace, netscript, netscriptProcess, REPO_ROOT } from "./support/cli.ts";

async function doctor(root: string, env: Record<string, string> = {}) {
  const out = await netscriptProcess(root, ["doctor", "--json"], env);
  const result = JSON.parse(out.stdout);
  const findings = result.findings as { check: string; status: string; fix: string }[];
  const status = (check: string) => {
    const finding = findings.find((f) => f.check === check);
    if (!finding) throw new Error(`no finding for ${check}`);
    return finding;
  };
  return { code: out.code, ok: result.ok as boolean, status };
}

Deno.test("netscript doctor passes a fresh embedded workspace and names the fix for each problem", async (t) => {
  const parent = await Deno.makeTempDir({ prefix: "netscript-doctor-" });
  try {
    const root = await initLinkedWorkspace(parent);
    await t.step("a fresh workspace is healthy", async () => {
      const report = await doctor(root);
      equal(report.code, 0);
      equal(report.ok, true);
      equal(report.status("config").status, "ok");
      equal(report.status("registry").status, "ok");
      equal(report.status("database").status, "ok");
      equal(report.status("cache").status, "ok");
    });
    await t.step("a stale registry fails with the command that fixes it", async () => {
      await Deno.mkdir(join(root, "plugins", "late"), { recursive: true });
      await Deno.writeTextFile(
        join(root, "plugins", "late", "plugin.ts"),
        'import { definePlugin } from "@netscript/plugin";\n\nexport default definePlugin("late", "1.0.0").build();\n',
      );
      const report = await doctor(root);
      equal(report.code, 1);
      equal(report.status("registry").status, "fail");
      match(report.status("registry").fix, /netscript registry generate/);
      equal(report.status("database").status, "ok", "the other checks still run");
      equal(report.status("cache").status, "ok");
    });
  } finally {
    await Deno.remove(parent, { recursive: true });
  }
});

Deno.test("netscript doctor checks that the Aspire AppHost is current", async () => {
  const parent = await Deno.makeTempDir({ prefix: "netscript-doctor-" });
  try {
    const init = await netscript(
      ["init", "app", "--db", "sqlite", "--cache-backend", "deno-kv", "--link", REPO_ROOT],
      parent,
    );
    equal(init.code, 0, init.stderr);
    const root = join(parent, "app");
    equal((await doctor(root)).status("apphost").status, "ok");
    await Deno.writeTextFile(join(root, "aspire", "apphost.mts"), "// edited by hand\n", {
      append: true,
    });
    const report = await doctor(root);
    equal(report.code, 1);
    equal(report.status("apphost").status, "fail");
    match(report.status("apphost").fix, /netscript aspire generate/);
    equal((await netscript(["aspire", "generate"], root)).code, 0);
    equal((await doctor(root)).status("apphost").status, "ok");
  } finally {
    await Deno.remove(parent, { recursive: true });
  }
});

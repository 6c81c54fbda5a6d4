/**
 * End to end: `netscript doctor` reports each check with its fix, and fails
 * only when something is broken.
 */
import { equal, match } from "node:assert/strict";
import { join } from "node:path";
import { initLinkedWorkspace, netscriptProcess } from "./support/cli.ts";

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
    });
  } finally {
    await Deno.remove(parent, { recursive: true });
  }
});

/**
 * `netscript.config.ts` is read by running it, as manifests are: what a
 * comment says does not count, a file that does not compile is an error
 * the CLI names, and a bad value is refused field by field.
 *
 * @module
 */
import { equal, match, rejects } from "node:assert/strict";
import { join } from "node:path";
import { isNetScriptError } from "@netscript/contracts/errors";
import { readWorkspaceConfig } from "../cli/src/dev/workspace_config.ts";
import { initLinkedWorkspace, netscript } from "./support/cli.ts";

Deno.test("netscript.config.ts is evaluated, not pattern-matched", async (t) => {
  const parent = await Deno.makeTempDir({ prefix: "netscript-config-" });
  try {
    const root = await initLinkedWorkspace(parent);
    const file = join(root, "netscript.config.ts");
    const original = await Deno.readTextFile(file);

    await t.step("a commented-out engine does not win over the real one", async () => {
      await Deno.writeTextFile(
        file,
        original.replace(
          'db: { engine: "sqlite" },',
          '// db: { engine: "postgres" },\n  db: { engine: "sqlite" },',
        ),
      );
      equal((await readWorkspaceConfig(root)).db.engine, "sqlite");
    });

    await t.step("values built in code count", async () => {
      await Deno.writeTextFile(
        file,
        original.replace(
          'db: { engine: "sqlite" },',
          'db: { engine: ["sql", "ite"].join("") as "sqlite" },',
        ),
      );
      equal((await readWorkspaceConfig(root)).db.engine, "sqlite");
    });

    await t.step(
      "a file that does not compile is CONFIG_LOAD_FAILED, and doctor says so",
      async () => {
        await Deno.writeTextFile(file, `${original}\nexport const broken = {;\n`);
        await rejects(
          readWorkspaceConfig(root),
          (error) => isNetScriptError(error, "CONFIG_LOAD_FAILED"),
        );
        const doctor = await netscript(["doctor", "--json"], root);
        equal(doctor.code, 1);
        match(doctor.stdout, /"check":\s*"config"[^}]*"status":\s*"fail"/);
      },
    );

    await t.step("a bad value is CONFIG_INVALID naming the field", async () => {
      await Deno.writeTextFile(
        file,
        original.replace('engine: "sqlite"', 'engine: "oracle" as "sqlite"'),
      );
      await rejects(
        readWorkspaceConfig(root),
        (error) => isNetScriptError(error, "CONFIG_INVALID") && /db\.engine/.test(error.message),
      );
    });
  } finally {
    await Deno.remove(parent, { recursive: true });
  }
});

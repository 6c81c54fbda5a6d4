import { equal, ok } from "node:assert/strict";
import { join } from "node:path";
import { initLinkedWorkspace, netscript } from "../../../tests/support/cli.ts";

Deno.test("netscript db migrate with a malformed DATABASE_URL fails with DB_URL_INVALID, no password and no stack", async (t) => {
  const parent = await Deno.makeTempDir({ prefix: "netscript-db-url-" });
  try {
    const root = await initLinkedWorkspace(parent, ["--db", "postgres"]);
    for (
      const url of [
        "postgres://app:s3cr3t@127.0.0.1:notaport/app",
        "postgres://app:s3cr/3t@[bad/app",
      ]
    ) {
      await t.step(url.replace(/s3cr\/?3t/, "***"), async () => {
        await Deno.writeTextFile(join(root, ".env"), `DATABASE_URL=${url}\n`);
        for (const args of [["db", "migrate"], ["db", "status", "--json"]]) {
          const run = await netscript(args, root);
          const printed = run.stdout + run.stderr;
          equal(run.code, 1, printed);
          ok(printed.includes("DB_URL_INVALID"), printed);
          ok(!printed.includes("3t@"), `the password is not printed: ${printed}`);
          ok(!/\n\s+at /.test(printed), `no stack: ${printed}`);
          if (args.includes("--json")) {
            const answer = JSON.parse(run.stdout);
            equal(answer.error.code, "DB_URL_INVALID");
            ok(
              answer.error.details.url.startsWith("postgres://app:***@"),
              answer.error.details.url,
            );
          }
        }
      });
    }
  } finally {
    await Deno.remove(parent, { recursive: true });
  }
});

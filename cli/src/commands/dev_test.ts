import { equal, ok } from "node:assert/strict";
import { join } from "node:path";
import { initLinkedWorkspace, netscript } from "../../../tests/support/cli.ts";

Deno.test("netscript dev with an unreachable database names it without its password, in text and in --json", async () => {
  const parent = await Deno.makeTempDir({ prefix: "netscript-dev-store-" });
  try {
    const root = await initLinkedWorkspace(parent, ["--db", "postgres"]);
    // A password with an unencoded "/" and "@", which a user:password@ pattern does not cover.
    await Deno.writeTextFile(
      join(root, ".env"),
      "DATABASE_URL=postgres://app:s3/cr@3t@127.0.0.1:1/app\n",
    );
    for (const args of [["dev"], ["dev", "--json"]]) {
      const run = await netscript(args, root);
      const printed = run.stdout + run.stderr;
      equal(run.code, 1, printed);
      ok(printed.includes("DEV_STORE_UNREACHABLE"), printed);
      ok(!/cr@?3t|s3\//.test(printed), `the password is not printed: ${printed}`);
      if (args.includes("--json")) {
        const answer = JSON.parse(run.stdout);
        equal(answer.error.details.url, "postgres://app:***@127.0.0.1:1/app");
      }
    }
  } finally {
    await Deno.remove(parent, { recursive: true });
  }
});

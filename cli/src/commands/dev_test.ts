import { equal, ok } from "node:assert/strict";
import { join } from "node:path";
import { initLinkedWorkspace, netscript } from "../../../tests/support/cli.ts";

Deno.test("netscript dev with an unreachable database names it without its password, in text and in --json", async () => {
  const parent = await Deno.makeTempDir({ prefix: "netscript-dev-store-" });
  try {
    const root = await initLinkedWorkspace(parent, ["--db", "postgres"]);
    await Deno.writeTextFile(
      join(root, ".env"),
      "DATABASE_URL=postgres://app:s3cr%2F3t@127.0.0.1:1/app\n",
    );
    for (const args of [["dev"], ["dev", "--json"]]) {
      const run = await netscript(args, root);
      const printed = run.stdout + run.stderr;
      equal(run.code, 1, printed);
      ok(printed.includes("DEV_STORE_UNREACHABLE"), printed);
      ok(!/s3cr/.test(printed), `the password is not printed: ${printed}`);
      if (args.includes("--json")) {
        const answer = JSON.parse(run.stdout);
        equal(answer.error.details.url, "postgres://app:***@127.0.0.1:1/app");
      }
    }
  } finally {
    await Deno.remove(parent, { recursive: true });
  }
});

Deno.test("netscript dev and doctor refuse a malformed DATABASE_URL at once with STORE_INVALID, without its password", async () => {
  const parent = await Deno.makeTempDir({ prefix: "netscript-dev-store-" });
  try {
    const root = await initLinkedWorkspace(parent, ["--db", "postgres"]);
    // A port that is not a number, and a password with an unencoded "/" and "@".
    for (
      const url of [
        "postgres://postgres@127.0.0.1:54x32/app",
        "postgres://app:s3/cr@3t@127.0.0.1:5432/app",
      ]
    ) {
      await Deno.writeTextFile(join(root, ".env"), `DATABASE_URL=${url}\n`);
      const dev = await netscript(["dev", "--json"], root);
      equal(dev.code, 1, dev.stdout + dev.stderr);
      const { error } = JSON.parse(dev.stdout);
      equal(error.code, "STORE_INVALID");
      ok(error.message.includes("DATABASE_URL"), error.message);
      ok(
        !/cr@?3t|s3\//.test(dev.stdout + dev.stderr),
        `the password is not printed: ${dev.stdout}`,
      );
      const doctor = await netscript(["doctor", "--json"], root);
      equal(doctor.code, 1, doctor.stdout + doctor.stderr);
      const database = JSON.parse(doctor.stdout).findings.find((c: { check: string }) =>
        c.check === "database"
      );
      equal(database.status, "fail");
      ok(database.detail.includes("not a valid URL"), database.detail);
      ok(database.fix.includes("DATABASE_URL"), database.fix);
    }
  } finally {
    await Deno.remove(parent, { recursive: true });
  }
});

import { equal, ok, rejects } from "node:assert/strict";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { NetScriptError } from "@netscript/contracts/errors";
import { envFrom } from "@netscript/store";
import { freshPostgresDatabase, postgres } from "../../../tests/support/databases.ts";
import { startBetterAuthApp } from "../testdata/better_auth_app.ts";
import { randomSecret } from "../testdata/signed_cookie.ts";
import { openBetterAuthBackend } from "../mod.ts";

/** Expects a setting error naming the variable and holding none of `hidden`. */
async function settingError(
  values: Record<string, string>,
  code: string,
  variable: string,
  hidden: string[] = [],
): Promise<void> {
  await rejects(
    async () => await openBetterAuthBackend(envFrom(values)),
    (error: unknown) => {
      ok(error instanceof NetScriptError);
      equal(error.code, code);
      equal(error.details.variable, variable);
      ok(error.message.includes(variable), error.message);
      for (const value of hidden) ok(!JSON.stringify(error.toJSON()).includes(value), value);
      return true;
    },
  );
}

Deno.test("openBetterAuthBackend() names the setting that is missing or unusable", async (t) => {
  const secret = randomSecret();

  await t.step("a missing or empty secret", async () => {
    await settingError(
      { BETTER_AUTH_DATABASE_URL: "postgres://127.0.0.1/app" },
      "AUTH_SETTING_MISSING",
      "BETTER_AUTH_SECRET",
    );
    await settingError(
      { BETTER_AUTH_SECRET: " ", BETTER_AUTH_DATABASE_URL: "app.db" },
      "AUTH_SETTING_MISSING",
      "BETTER_AUTH_SECRET",
    );
  });

  await t.step("a secret shorter than 32 characters, without quoting it", async () => {
    const short = "short-secret-value-of-31-chars!";
    await settingError(
      { BETTER_AUTH_SECRET: short, BETTER_AUTH_DATABASE_URL: "app.db" },
      "AUTH_SETTING_INVALID",
      "BETTER_AUTH_SECRET",
      [short],
    );
  });

  await t.step("a missing database", async () => {
    await settingError(
      { BETTER_AUTH_SECRET: secret },
      "AUTH_SETTING_MISSING",
      "BETTER_AUTH_DATABASE_URL",
      [
        secret,
      ],
    );
  });

  await t.step("a database that is neither PostgreSQL nor an SQLite file", async () => {
    await settingError(
      { BETTER_AUTH_SECRET: secret, BETTER_AUTH_DATABASE_URL: "mysql://app:hunter2@db:3306/app" },
      "AUTH_SETTING_INVALID",
      "BETTER_AUTH_DATABASE_URL",
      [secret, "hunter2"],
    );
    for (const url of [":memory:", "file::memory:", "file:"]) {
      await settingError(
        { BETTER_AUTH_SECRET: secret, BETTER_AUTH_DATABASE_URL: url },
        "AUTH_SETTING_INVALID",
        "BETTER_AUTH_DATABASE_URL",
      );
    }
  });
});

Deno.test("openBetterAuthBackend() opens the app's SQLite file by path or file: URL", async () => {
  const dir = await Deno.makeTempDir({ prefix: "netscript-better-auth-" });
  const path = join(dir, "app.db");
  const secret = randomSecret();
  const app = await startBetterAuthApp({ database: { kind: "sqlite", path }, secret });
  try {
    const lee = await app.signUp("lee@example.test", "Lee");
    for (const url of [path, `file:${path}`, pathToFileURL(path).href]) {
      const backend = await openBetterAuthBackend(
        envFrom({ BETTER_AUTH_SECRET: secret, BETTER_AUTH_DATABASE_URL: url }),
      );
      try {
        equal(backend.name, "better-auth");
        const request = new Request("http://127.0.0.1:8000/", { headers: { cookie: lee.cookie } });
        equal((await backend.session(request))?.id, lee.sessionId, url);
      } finally {
        await backend.close();
      }
    }
  } finally {
    await app.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test({
  name: "openBetterAuthBackend() opens the app's PostgreSQL database by URL",
  ignore: postgres.ignore,
  fn: async () => {
    const { url, drop } = await freshPostgresDatabase();
    const secret = randomSecret();
    const app = await startBetterAuthApp({ database: { kind: "postgres", url }, secret });
    try {
      const max = await app.signUp("max@example.test", "Max");
      const backend = await openBetterAuthBackend(
        envFrom({ BETTER_AUTH_SECRET: secret, BETTER_AUTH_DATABASE_URL: url }),
      );
      try {
        const request = new Request("http://127.0.0.1:8000/", { headers: { cookie: max.cookie } });
        equal((await backend.session(request))?.user.id, max.userId);
      } finally {
        await backend.close();
      }
    } finally {
      await app.close();
      await drop();
    }
  },
});

import { equal } from "node:assert/strict";
import fc from "fast-check";
import { redactSecrets } from "./mod.ts";

Deno.test("redactSecrets() hides the password of every URL and key/value pair", () => {
  equal(
    redactSecrets("postgresql://app:hunter2@db:5432/app and redis://:pw@cache:6379/1"),
    "postgresql://app:***@db:5432/app and redis://:***@cache:6379/1",
  );
  equal(
    redactSecrets("sqlserver://db:1433;database=app;user=sa;password=Secret1;"),
    "sqlserver://db:1433;database=app;user=sa;password=***;",
  );
  equal(redactSecrets("redis://cache:6379/0"), "redis://cache:6379/0", "nothing to hide");
  equal(redactSecrets("postgresql://app@db/app"), "postgresql://app@db/app");
  equal(
    redactSecrets("at postgres://postgres:s3/cr3t@db:5432/app, then"),
    "at postgres://postgres:***@db:5432/app, then",
    "a password with an unencoded slash",
  );
  equal(
    redactSecrets("postgres://u:p@ss:w@rd@db/app"),
    "postgres://u:***@db/app",
    "a password with @ and :",
  );
});

Deno.test("redactSecrets() leaves no password behind (property)", () => {
  fc.assert(fc.property(
    fc.constantFrom("postgresql", "redis", "rediss", "mysql"),
    fc.stringMatching(/^[a-z]{0,8}$/),
    fc.stringMatching(/^[A-Za-z0-9!$%^&*()_+=\/:@-]{6,20}$/),
    fc.string({ maxLength: 20 }),
    (scheme, user, password, around) => {
      const text = `${around} ${scheme}://${user}:${password}@host:1/x ${around}`;
      equal(redactSecrets(text).includes(`:${password}@`), false);
    },
  ));
});

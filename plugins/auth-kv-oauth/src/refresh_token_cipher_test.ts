import { equal, notEqual, ok } from "node:assert/strict";
import { randomToken } from "./random_token.ts";
import { RefreshTokenCipher } from "./refresh_token_cipher.ts";

const SECRET = `secret-${randomToken()}`;

Deno.test("a sealed refresh token opens for its session under the same secret", async () => {
  const cipher = new RefreshTokenCipher(SECRET);
  const token = `refresh-${randomToken()}`;
  const sealed = await cipher.seal(token, "session-a");
  ok(sealed.startsWith("v1."));
  ok(!sealed.includes(token));
  notEqual(await cipher.seal(token, "session-a"), sealed, "each seal has its own IV");
  equal(await cipher.open(sealed, "session-a"), token);
  equal(await new RefreshTokenCipher(SECRET).open(sealed, "session-a"), token);
});

Deno.test("it does not open for another session, another secret, or altered bytes", async () => {
  const cipher = new RefreshTokenCipher(SECRET);
  const sealed = await cipher.seal("refresh-token", "session-a");
  equal(await cipher.open(sealed, "session-b"), null);
  equal(await new RefreshTokenCipher(`other-${randomToken()}`).open(sealed, "session-a"), null);
  const [version, iv, data] = sealed.split(".");
  const flipped = `${data!.slice(0, -2)}${data!.endsWith("AA") ? "BB" : "AA"}`;
  equal(await cipher.open(`${version}.${iv}.${flipped}`, "session-a"), null);
  for (const junk of ["", "v1", "v2.a.b", "v1.a.b.c", "v1.***.abc", `v1.${iv}.`]) {
    equal(await cipher.open(junk, "session-a"), null, junk);
  }
});

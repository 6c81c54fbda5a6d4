import { deepEqual, equal, notEqual, ok } from "node:assert/strict";
import {
  base64url,
  fromBase64url,
  isRandomToken,
  randomToken,
  sessionIdOf,
} from "./random_token.ts";

Deno.test("randomToken() makes 256-bit base64url values that never repeat", () => {
  const tokens = new Set(Array.from({ length: 1000 }, randomToken));
  equal(tokens.size, 1000);
  for (const token of tokens) {
    ok(isRandomToken(token), token);
    equal(fromBase64url(token)!.length, 32);
  }
});

Deno.test("isRandomToken() refuses anything but 43 base64url characters", () => {
  for (
    const value of ["", "abc", `${randomToken()}x`, `${randomToken().slice(1)}=`, "../".repeat(15)]
  ) {
    equal(isRandomToken(value), false, value);
  }
  equal(isRandomToken(undefined), false);
  equal(isRandomToken(null), false);
});

Deno.test("sessionIdOf() is a stable id that is not the token", async () => {
  const token = randomToken();
  const id = await sessionIdOf(token);
  ok(isRandomToken(id));
  notEqual(id, token);
  equal(await sessionIdOf(token), id);
  notEqual(await sessionIdOf(randomToken()), id);
});

Deno.test("base64url round-trips bytes and refuses other text", () => {
  const bytes = Uint8Array.from({ length: 256 }, (_, i) => i);
  deepEqual(fromBase64url(base64url(bytes)), bytes);
  equal(fromBase64url("a+b/"), null);
  equal(fromBase64url("a"), null);
});

import { equal, ok, throws } from "node:assert/strict";
import { isNetScriptError } from "@netscript/contracts/errors";
import type { AuthErrorCode } from "../auth_error_codes.ts";
import { safeRedirectPath } from "./safe_redirect.ts";

Deno.test("a path on this site is kept, with its query and fragment", () => {
  equal(safeRedirectPath("/account"), "/account");
  equal(safeRedirectPath("/orders?page=2&sort=new#top"), "/orders?page=2&sort=new#top");
  equal(safeRedirectPath("/a/../b"), "/b");
  equal(
    safeRedirectPath("/docs/%2Fintro"),
    "/docs/%2Fintro",
    "an encoded slash inside stays as sent",
  );
});

Deno.test("no value means the fallback", () => {
  equal(safeRedirectPath(null), "/");
  equal(safeRedirectPath(""), "/");
  equal(safeRedirectPath(null, "/home"), "/home");
});

Deno.test("every way to name another site is refused with AUTH_REDIRECT_INVALID", () => {
  const attacks = [
    "https://evil.example",
    "http://evil.example/login",
    "//evil.example",
    "//evil.example/path",
    "/\\evil.example",
    "\\\\evil.example",
    "/\\/evil.example",
    "%2F%2Fevil.example",
    "/%2F/evil.example",
    "/%5Cevil.example",
    "/%5C%5Cevil.example",
    "javascript:alert(1)",
    "evil.example",
    "/\tevil",
    "/\n/evil.example",
    "/%0A/evil.example",
    "/%E0%A4%A",
    "https:evil.example",
  ];
  for (const attack of attacks) {
    throws(() => safeRedirectPath(attack), (error: unknown) => {
      ok(isNetScriptError<AuthErrorCode>(error, "AUTH_REDIRECT_INVALID"), `${attack}: ${error}`);
      equal(error.details.redirectTo, attack);
      return true;
    }, attack);
  }
});

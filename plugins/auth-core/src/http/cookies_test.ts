import { equal } from "node:assert/strict";
import { clearCookie, cookieName, cookieScope, readCookie, setCookie } from "./cookies.ts";

Deno.test("on https a cookie is Secure and named __Host-", () => {
  const scope = cookieScope(new Request("https://app.example/auth/callback"));
  equal(scope.secure, true);
  equal(cookieName("netscript-session", scope), "__Host-netscript-session");
  equal(
    setCookie("netscript-session", "abc", scope, 60),
    "__Host-netscript-session=abc; Max-Age=60; Path=/; HttpOnly; Secure; SameSite=Lax",
  );
});

Deno.test("on http it is HttpOnly and SameSite=Lax, without Secure or the prefix", () => {
  const scope = cookieScope(new Request("http://127.0.0.1:8094/auth/callback"));
  equal(scope.secure, false);
  equal(
    setCookie("netscript-session", "abc", scope, 60),
    "netscript-session=abc; Max-Age=60; Path=/; HttpOnly; SameSite=Lax",
  );
  equal(
    clearCookie("netscript-session", scope),
    "netscript-session=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax",
  );
});

Deno.test("a public https URL behind a proxy makes the scope secure", () => {
  equal(cookieScope(new Request("http://10.0.0.5:8094/"), "https://app.example").secure, true);
});

Deno.test("a cookie is read only under its scope's name", () => {
  const secure = { secure: true };
  const plain = { secure: false };
  const request = new Request("https://app.example/", {
    headers: { cookie: "netscript-session=plain; __Host-netscript-session=hosted; other=1" },
  });
  equal(readCookie(request, "netscript-session", secure), "hosted");
  equal(readCookie(request, "netscript-session", plain), "plain");
  equal(readCookie(new Request("https://app.example/"), "netscript-session", secure), null);
  const onlyPlain = new Request("https://app.example/", {
    headers: { cookie: "netscript-session=x" },
  });
  equal(
    readCookie(onlyPlain, "netscript-session", secure),
    null,
    "a cookie without the prefix is ignored on https",
  );
});

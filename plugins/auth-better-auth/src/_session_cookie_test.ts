import { deepEqual, equal, ok } from "node:assert/strict";
import { randomSecret, signedCookieValue } from "../testdata/signed_cookie.ts";
import { SessionCookie } from "./_session_cookie.ts";

const SECRET = randomSecret();
const TOKEN = "WSh15eN9H6LOmDbbNHMjJfn2SY29K57L";

function request(url: string, cookie?: string): Request {
  return new Request(url, cookie === undefined ? {} : { headers: { cookie } });
}

Deno.test("SessionCookie.token() verifies the signature better-auth puts on the token", async (t) => {
  const cookie = new SessionCookie(SECRET, "better-auth");
  const value = await signedCookieValue(TOKEN, SECRET);

  await t.step("accepts a token signed with the secret", async () => {
    deepEqual(await cookie.token(request("http://a.test/", `better-auth.session_token=${value}`)), {
      token: TOKEN,
    });
  });

  await t.step("refuses a token signed with another secret", async () => {
    const foreign = await signedCookieValue(TOKEN, randomSecret());
    deepEqual(
      await cookie.token(request("http://a.test/", `better-auth.session_token=${foreign}`)),
      {
        token: null,
        refusal: "bad-signature",
      },
    );
  });

  await t.step("refuses another token under a valid signature", async () => {
    const other = value.replace(TOKEN, TOKEN.replace("W", "X"));
    equal(
      (await cookie.token(request("http://a.test/", `better-auth.session_token=${other}`))).token,
      null,
    );
  });

  await t.step("says a request without the cookie carries none", async () => {
    deepEqual(await cookie.token(request("http://a.test/")), { token: null, refusal: "missing" });
    deepEqual(
      await cookie.token(request("http://a.test/", "other=1; better-auth.session_token=")),
      {
        token: null,
        refusal: "missing",
      },
    );
  });

  await t.step("refuses malformed values without throwing", async () => {
    const signature = decodeURIComponent(value).slice(TOKEN.length + 1);
    for (
      const malformed of [
        TOKEN,
        `.${encodeURIComponent(signature)}`,
        `${TOKEN}.`,
        `${TOKEN}.${encodeURIComponent(signature.slice(1))}`,
        `${TOKEN}.${"!".repeat(43)}=`,
        `${TOKEN}.%E0%A4%A`,
        "%",
        "...",
        "x".repeat(10_000),
      ]
    ) {
      const reading = await cookie.token(
        request("http://a.test/", `better-auth.session_token=${malformed}`),
      );
      equal(reading.token, null, malformed);
    }
  });
});

Deno.test("SessionCookie.token() reads the cookie name better-auth uses for the site", async (t) => {
  const cookie = new SessionCookie(SECRET, "better-auth");
  const value = await signedCookieValue(TOKEN, SECRET);

  await t.step("reads only the __Secure- name on https", async () => {
    equal(
      (await cookie.token(request("https://a.test/", `better-auth.session_token=${value}`))).token,
      null,
    );
    equal(
      (await cookie.token(
        request("https://a.test/", `__Secure-better-auth.session_token=${value}`),
      ))
        .token,
      TOKEN,
    );
  });

  await t.step("reads either name on http, as behind a proxy that ends TLS", async () => {
    equal(
      (await cookie.token(request("http://a.test/", `__Secure-better-auth.session_token=${value}`)))
        .token,
      TOKEN,
    );
  });

  await t.step("reads the app's own prefix only", async () => {
    const custom = new SessionCookie(SECRET, "my-app");
    equal(
      (await custom.token(request("http://a.test/", `better-auth.session_token=${value}`))).token,
      null,
    );
    equal(
      (await custom.token(request("http://a.test/", `my-app.session_token=${value}`))).token,
      TOKEN,
    );
  });
});

Deno.test("SessionCookie.clearing() clears the session cookies the request carries", () => {
  const cookie = new SessionCookie(SECRET, "better-auth");

  const bare = cookie.clearing(request("http://a.test/"));
  deepEqual(bare, ["better-auth.session_token=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax"]);

  const secure = cookie.clearing(
    request(
      "https://a.test/",
      "__Secure-better-auth.session_token=x; __Secure-better-auth.session_data=y; theme=dark",
    ),
  );
  deepEqual(secure, [
    "__Secure-better-auth.session_token=; Max-Age=0; Path=/; HttpOnly; Secure; SameSite=Lax",
    "__Secure-better-auth.session_data=; Max-Age=0; Path=/; HttpOnly; Secure; SameSite=Lax",
  ]);

  const proxied = cookie.clearing(
    request(
      "http://a.test/",
      "__Secure-better-auth.session_token=x; better-auth.session_data.0=y; better-auth.dont_remember=z",
    ),
  );
  ok(proxied.includes(
    "__Secure-better-auth.session_token=; Max-Age=0; Path=/; HttpOnly; Secure; SameSite=Lax",
  ));
  ok(proxied.includes("better-auth.session_data.0=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax"));
  ok(proxied.includes("better-auth.dont_remember=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax"));
  equal(proxied.length, 4);
});

import { deepEqual, equal, ok, rejects, throws } from "node:assert/strict";
import { isNetScriptError } from "@netscript/contracts/errors";
import {
  github,
  hmac,
  readWebhookSecret,
  standardWebhooks,
  stripe,
  type TriggersErrorCode,
  unverified,
} from "../../mod.ts";

const SECRET_VALUE = "super-secret-value-never-printed";

Deno.test("readWebhookSecret() reads the variable the scheme names", () => {
  const scheme = github({ secretEnv: "GITHUB_WEBHOOK_SECRET" });
  const seen: string[] = [];
  const secret = readWebhookSecret(scheme, {
    get: (name) => {
      seen.push(name);
      return SECRET_VALUE;
    },
  });
  equal(secret, SECRET_VALUE);
  deepEqual(seen, ["GITHUB_WEBHOOK_SECRET"]);
});

Deno.test("readWebhookSecret() names an unset or empty variable, never a value", async (t) => {
  for (const value of [undefined, ""]) {
    await t.step(value === undefined ? "unset" : "empty", () => {
      throws(
        () =>
          readWebhookSecret(stripe({ secretEnv: "STRIPE_WEBHOOK_SECRET" }), { get: () => value }),
        (error: unknown) => {
          ok(isNetScriptError<TriggersErrorCode>(error, "TRIGGERS_SECRET_MISSING"), String(error));
          ok(error.message.includes('"STRIPE_WEBHOOK_SECRET"'), error.message);
          ok(error.message.includes(value === undefined ? "unset" : "empty"), error.message);
          equal(error.details.secretEnv, "STRIPE_WEBHOOK_SECRET");
          return true;
        },
      );
    });
  }
});

Deno.test("readWebhookSecret() reads Deno.env by default and returns undefined for unverified()", () => {
  const name = `TRIGGERS_TEST_SECRET_${crypto.randomUUID().replaceAll("-", "_")}`;
  Deno.env.set(name, SECRET_VALUE);
  try {
    equal(readWebhookSecret(hmac({ secretEnv: name, header: "X-Sig" })), SECRET_VALUE);
  } finally {
    Deno.env.delete(name);
  }
  equal(readWebhookSecret(unverified(), { get: () => SECRET_VALUE }), undefined);
});

Deno.test("verify() without a secret fails with the scheme's variable named, for every signed scheme", async () => {
  const schemes = [
    standardWebhooks({ secretEnv: "SW_SECRET" }),
    github({ secretEnv: "SW_SECRET" }),
    stripe({ secretEnv: "SW_SECRET" }),
    hmac({ secretEnv: "SW_SECRET", header: "X-Sig" }),
  ];
  for (const scheme of schemes) {
    await rejects(
      scheme.verify({ body: new Uint8Array(), headers: new Headers() }),
      (error: unknown) => {
        ok(isNetScriptError<TriggersErrorCode>(error, "TRIGGERS_SECRET_MISSING"), String(error));
        ok(error.message.includes('"SW_SECRET"'), error.message);
        return true;
      },
    );
  }
});

Deno.test("no verification error carries the secret in its message or details", async () => {
  const body = new TextEncoder().encode("{}");
  const cases: [() => Promise<unknown>, TriggersErrorCode][] = [
    [
      () =>
        standardWebhooks({ secretEnv: "S" }).verify({
          body,
          headers: new Headers({
            "webhook-id": "m",
            "webhook-timestamp": "1",
            "webhook-signature": "v1,x",
          }),
          secret: "whsec_!!not-base64!!",
          now: new Date(1000),
        }),
      "TRIGGERS_SECRET_INVALID",
    ],
    [
      () =>
        github({ secretEnv: "S" }).verify({
          body,
          headers: new Headers({ "X-Hub-Signature-256": "sha256=00", "X-GitHub-Delivery": "d" }),
          secret: SECRET_VALUE,
        }),
      "TRIGGERS_SIGNATURE_INVALID",
    ],
    [
      () =>
        stripe({ secretEnv: "S" }).verify({
          body,
          headers: new Headers({ "Stripe-Signature": "t=1,v1=00" }),
          secret: SECRET_VALUE,
          now: new Date(1000),
        }),
      "TRIGGERS_SIGNATURE_INVALID",
    ],
  ];
  for (const [verify, code] of cases) {
    await rejects(verify(), (error: unknown) => {
      ok(isNetScriptError<TriggersErrorCode>(error, code), String(error));
      const text = JSON.stringify(error.toJSON());
      ok(!text.includes(SECRET_VALUE) && !text.includes("not-base64"), text);
      return true;
    });
  }
});

Deno.test("unverified() accepts any request and gives each delivery its own id", async () => {
  const scheme = unverified();
  equal(scheme.kind, "unverified");
  equal(scheme.secretEnv, undefined);
  const request = { body: new TextEncoder().encode("anything"), headers: new Headers() };
  const first = await scheme.verify(request);
  const second = await scheme.verify(request);
  ok(first.deliveryId !== second.deliveryId);
  equal(first.timestamp, undefined);
});

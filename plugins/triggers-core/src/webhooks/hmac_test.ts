import { equal, ok, rejects, throws } from "node:assert/strict";
import { createHmac } from "node:crypto";
import { isNetScriptError } from "@netscript/contracts/errors";
import { hmac, type HmacAlgorithm, signHmacWebhook, type TriggersErrorCode } from "../../mod.ts";

const ENCODER = new TextEncoder();
const BODY = '{"event":"order.paid","id":42}';
const SECRET = "provider secret";
const NODE_ALGORITHMS: Record<HmacAlgorithm, string> = {
  "SHA-1": "sha1",
  "SHA-256": "sha256",
  "SHA-512": "sha512",
};

async function rejectsWith(promise: Promise<unknown>, code: TriggersErrorCode): Promise<void> {
  await rejects(promise, (error: unknown) => {
    ok(isNetScriptError<TriggersErrorCode>(error, code), `expected ${code}, got ${error}`);
    return true;
  });
}

Deno.test("hmac() verifies signatures computed independently, in every algorithm and encoding", async () => {
  for (const algorithm of ["SHA-1", "SHA-256", "SHA-512"] as const) {
    for (const encoding of ["hex", "base64"] as const) {
      const signature = createHmac(NODE_ALGORITHMS[algorithm], SECRET).update(BODY).digest(
        encoding,
      );
      const scheme = hmac({
        secretEnv: "ACME",
        header: "X-Acme-Signature",
        algorithm,
        encoding,
        prefix: "v=",
      });
      const headers = new Headers({ "X-Acme-Signature": `v=${signature}` });
      const { deliveryId } = await scheme.verify({
        body: ENCODER.encode(BODY),
        headers,
        secret: SECRET,
      });
      equal(deliveryId, signature, `${algorithm} ${encoding}`);
      const signed = await signHmacWebhook({
        header: "X-Acme-Signature",
        algorithm,
        encoding,
        prefix: "v=",
        secret: SECRET,
        body: BODY,
      });
      equal(signed["X-Acme-Signature"], `v=${signature}`);
    }
  }
});

Deno.test("hmac() takes the delivery id from the header it names", async () => {
  const scheme = hmac({ secretEnv: "ACME", header: "X-Sig", deliveryIdHeader: "X-Request-Id" });
  const headers = new Headers(
    await signHmacWebhook({ header: "X-Sig", secret: SECRET, body: BODY }),
  );
  const body = ENCODER.encode(BODY);
  await rejectsWith(scheme.verify({ body, headers, secret: SECRET }), "TRIGGERS_HEADER_MISSING");
  headers.set("X-Request-Id", "req-9");
  equal((await scheme.verify({ body, headers, secret: SECRET })).deliveryId, "req-9");
});

Deno.test("hmac() rejects tampered, wrongly signed and unsigned deliveries", async (t) => {
  const scheme = hmac({ secretEnv: "ACME", header: "X-Sig", prefix: "sha256=" });
  const headers = new Headers(
    await signHmacWebhook({ header: "X-Sig", prefix: "sha256=", secret: SECRET, body: BODY }),
  );
  await t.step("a tampered body", () =>
    rejectsWith(
      scheme.verify({ body: ENCODER.encode(`${BODY} `), headers, secret: SECRET }),
      "TRIGGERS_SIGNATURE_INVALID",
    ));
  await t.step("a re-serialized body", () =>
    rejectsWith(
      scheme.verify({
        body: ENCODER.encode(JSON.stringify(JSON.parse(BODY), null, 2)),
        headers,
        secret: SECRET,
      }),
      "TRIGGERS_SIGNATURE_INVALID",
    ));
  await t.step(
    "a wrong secret",
    () =>
      rejectsWith(
        scheme.verify({ body: ENCODER.encode(BODY), headers, secret: "other" }),
        "TRIGGERS_SIGNATURE_INVALID",
      ),
  );
  await t.step("the prefix alone", () =>
    rejectsWith(
      scheme.verify({
        body: ENCODER.encode(BODY),
        headers: new Headers({ "X-Sig": "sha256=" }),
        secret: SECRET,
      }),
      "TRIGGERS_SIGNATURE_MISSING",
    ));
  await t.step("no header", () =>
    rejectsWith(
      scheme.verify({ body: ENCODER.encode(BODY), headers: new Headers(), secret: SECRET }),
      "TRIGGERS_SIGNATURE_MISSING",
    ));
  throws(() => hmac({ secretEnv: "ACME", header: " " }), TypeError);
});

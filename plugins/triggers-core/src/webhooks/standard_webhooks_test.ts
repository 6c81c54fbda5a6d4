import { deepEqual, equal, ok, rejects, throws } from "node:assert/strict";
import { isNetScriptError } from "@netscript/contracts/errors";
import { Webhook } from "standardwebhooks";
import {
  signStandardWebhook,
  standardWebhooks,
  type TriggersErrorCode,
  type VerifiedDelivery,
} from "../../mod.ts";

// V1: the fixed vector of the reference library's tests (standard-webhooks, libraries/javascript).
const V1 = {
  secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
  id: "msg_p5jXN8AQM9LWM0D4loKWxJek",
  seconds: 1614265330,
  body: '{"test": 2432232314}',
  signature: "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
};
const AT_V1 = new Date(V1.seconds * 1000);
const ENCODER = new TextEncoder();
const scheme = standardWebhooks({ secretEnv: "SW_SECRET" });

function v1Headers(overrides: Record<string, string | undefined> = {}): Headers {
  const headers = new Headers();
  const values = {
    "webhook-id": V1.id,
    "webhook-timestamp": String(V1.seconds),
    "webhook-signature": V1.signature,
    ...overrides,
  };
  for (const [name, value] of Object.entries(values)) {
    if (value !== undefined) headers.set(name, value);
  }
  return headers;
}

function verifyV1(
  overrides: {
    headers?: Headers;
    body?: string;
    secret?: string;
    now?: Date;
  } = {},
): Promise<VerifiedDelivery> {
  return scheme.verify({
    body: ENCODER.encode(overrides.body ?? V1.body),
    headers: overrides.headers ?? v1Headers(),
    secret: overrides.secret ?? V1.secret,
    now: overrides.now ?? AT_V1,
  });
}

async function rejectsWith(promise: Promise<unknown>, code: TriggersErrorCode): Promise<void> {
  await rejects(promise, (error: unknown) => {
    ok(isNetScriptError<TriggersErrorCode>(error, code), `expected ${code}, got ${error}`);
    return true;
  });
}

Deno.test("standardWebhooks() verifies the reference library's fixed vector V1", async () => {
  deepEqual(await verifyV1(), { deliveryId: V1.id, timestamp: AT_V1 });
  const signed = await signStandardWebhook({
    secret: V1.secret,
    id: V1.id,
    timestamp: AT_V1,
    body: V1.body,
  });
  equal(signed["webhook-signature"], V1.signature);
  equal(signed["webhook-timestamp"], String(V1.seconds));
});

Deno.test("signatures of the standardwebhooks library verify with ours, and ours with it", async () => {
  const library = new Webhook(V1.secret);
  const now = new Date();
  const body = '{"type":"invoice.paid","data":{"amount":4200}}';
  const theirs = library.sign("msg_interop_1", now, body);
  const verified = await scheme.verify({
    body: ENCODER.encode(body),
    headers: new Headers({
      "webhook-id": "msg_interop_1",
      "webhook-timestamp": String(Math.floor(now.getTime() / 1000)),
      "webhook-signature": theirs,
    }),
    secret: V1.secret,
  });
  equal(verified.deliveryId, "msg_interop_1");
  const ours = await signStandardWebhook({
    secret: V1.secret,
    id: "msg_interop_2",
    timestamp: now,
    body,
  });
  deepEqual(library.verify(body, ours), JSON.parse(body));
  throws(() => library.verify(`${body} `, ours));
});

Deno.test("standardWebhooks() accepts the secret without its whsec_ prefix, as the library does", async () => {
  deepEqual(await verifyV1({ secret: V1.secret.slice("whsec_".length) }), {
    deliveryId: V1.id,
    timestamp: AT_V1,
  });
  const library = new Webhook(V1.secret.slice("whsec_".length));
  equal(library.sign(V1.id, AT_V1, V1.body), V1.signature);
});

Deno.test("standardWebhooks() accepts any one valid signature of several, ignoring other versions", async () => {
  const rotated = [
    "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=",
    "v2,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
    V1.signature,
    "v1,dawfeoifkpqwoekfpqoekf",
  ].join(" ");
  equal(
    (await verifyV1({ headers: v1Headers({ "webhook-signature": rotated }) })).deliveryId,
    V1.id,
  );
  const newSecret = "whsec_" + btoa("a brand new secret of 32 bytes!!");
  const both = [
    (await signStandardWebhook({ secret: newSecret, id: V1.id, timestamp: AT_V1, body: V1.body }))[
      "webhook-signature"
    ],
    V1.signature,
  ].join(" ");
  equal((await verifyV1({ headers: v1Headers({ "webhook-signature": both }) })).deliveryId, V1.id);
  equal(
    (await verifyV1({ headers: v1Headers({ "webhook-signature": both }), secret: newSecret }))
      .deliveryId,
    V1.id,
  );
});

Deno.test("standardWebhooks() rejects what the specification rejects", async (t) => {
  await t.step(
    "a tampered body",
    () => rejectsWith(verifyV1({ body: '{"test": 2432232315}' }), "TRIGGERS_SIGNATURE_INVALID"),
  );
  await t.step(
    "a wrong secret",
    () =>
      rejectsWith(
        verifyV1({ secret: "whsec_" + btoa("another secret") }),
        "TRIGGERS_SIGNATURE_INVALID",
      ),
  );
  await t.step("an invalid signature", () =>
    rejectsWith(
      verifyV1({ headers: v1Headers({ "webhook-signature": "v1,dawfeoifkpqwoekfpqoekf" }) }),
      "TRIGGERS_SIGNATURE_INVALID",
    ));
  await t.step("a partial signature", () =>
    rejectsWith(
      verifyV1({ headers: v1Headers({ "webhook-signature": V1.signature.slice(0, 11) }) }),
      "TRIGGERS_SIGNATURE_INVALID",
    ));
  await t.step("a bare v1, entry", () =>
    rejectsWith(
      verifyV1({ headers: v1Headers({ "webhook-signature": "v1," }) }),
      "TRIGGERS_SIGNATURE_INVALID",
    ));
  await t.step("only other versions", () =>
    rejectsWith(
      verifyV1({ headers: v1Headers({ "webhook-signature": V1.signature.replace("v1,", "v2,") }) }),
      "TRIGGERS_SIGNATURE_MISSING",
    ));
  for (const header of ["webhook-id", "webhook-timestamp"]) {
    await t.step(
      `a missing ${header}`,
      () =>
        rejectsWith(
          verifyV1({ headers: v1Headers({ [header]: undefined }) }),
          "TRIGGERS_HEADER_MISSING",
        ),
    );
  }
  await t.step("a missing webhook-signature", () =>
    rejectsWith(
      verifyV1({ headers: v1Headers({ "webhook-signature": undefined }) }),
      "TRIGGERS_SIGNATURE_MISSING",
    ));
  await t.step("a non-numeric timestamp", () =>
    rejectsWith(
      verifyV1({ headers: v1Headers({ "webhook-timestamp": "1614265330a" }) }),
      "TRIGGERS_HEADER_INVALID",
    ));
  await t.step(
    "an id holding a dot",
    () =>
      rejectsWith(
        verifyV1({ headers: v1Headers({ "webhook-id": "msg.1" }) }),
        "TRIGGERS_HEADER_INVALID",
      ),
  );
  await t.step(
    "a secret that is not base64",
    () => rejectsWith(verifyV1({ secret: "whsec_not base64!" }), "TRIGGERS_SECRET_INVALID"),
  );
});

Deno.test("standardWebhooks() holds the timestamp to 300 s both ways by default", async (t) => {
  for (const offset of [-299, 299, -300, 300]) {
    await t.step(`${offset} s passes`, async () => {
      equal((await verifyV1({ now: new Date(AT_V1.getTime() + offset * 1000) })).deliveryId, V1.id);
    });
  }
  for (const offset of [-301, 301]) {
    await t.step(`${offset} s fails`, () =>
      rejectsWith(
        verifyV1({ now: new Date(AT_V1.getTime() + offset * 1000) }),
        "TRIGGERS_TIMESTAMP_OUTSIDE_TOLERANCE",
      ));
  }
  await t.step("a configured tolerance", async () => {
    const strict = standardWebhooks({ secretEnv: "SW_SECRET", toleranceSeconds: 10 });
    const request = { body: ENCODER.encode(V1.body), headers: v1Headers(), secret: V1.secret };
    equal(
      (await strict.verify({ ...request, now: new Date(AT_V1.getTime() + 10_000) })).deliveryId,
      V1.id,
    );
    await rejectsWith(
      strict.verify({ ...request, now: new Date(AT_V1.getTime() + 11_000) }),
      "TRIGGERS_TIMESTAMP_OUTSIDE_TOLERANCE",
    );
  });
  throws(() => standardWebhooks({ secretEnv: "S", toleranceSeconds: -1 }), RangeError);
});

Deno.test("standardWebhooks() verifies the bytes: a JSON body re-serialized differently fails", async () => {
  const reserialized = JSON.stringify(JSON.parse(V1.body));
  ok(reserialized !== V1.body);
  await rejectsWith(verifyV1({ body: reserialized }), "TRIGGERS_SIGNATURE_INVALID");
});

Deno.test("standardWebhooks() verifies an empty body", async () => {
  const headers = new Headers(
    await signStandardWebhook({ secret: V1.secret, id: "msg_empty", timestamp: AT_V1, body: "" }),
  );
  equal(
    (await scheme.verify({ body: new Uint8Array(), headers, secret: V1.secret, now: AT_V1 }))
      .deliveryId,
    "msg_empty",
  );
});

Deno.test("signStandardWebhook() refuses an id holding a dot", async () => {
  await rejects(
    signStandardWebhook({ secret: V1.secret, id: "a.b", timestamp: AT_V1, body: "" }),
    TypeError,
  );
});

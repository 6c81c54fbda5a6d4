import { deepEqual, equal, ok, rejects, throws } from "node:assert/strict";
import { createHmac } from "node:crypto";
import { isNetScriptError } from "@netscript/contracts/errors";
import { signStripeWebhook, stripe, type TriggersErrorCode } from "../../mod.ts";

const SECRET = "whsec_test_5ZtXvUqWnYpB3cR7eK9mL2sA";
const SECONDS = 1_700_000_000;
const AT = new Date(SECONDS * 1000);
const BODY =
  '{\n  "id": "evt_1NG8Du2eZvKYlo2CUI79vXWy",\n  "object": "event",\n  "type": "charge.succeeded"\n}';
const ENCODER = new TextEncoder();
const scheme = stripe({ secretEnv: "STRIPE_WEBHOOK_SECRET" });

/** A signature computed as Stripe's documentation describes: HMAC-SHA256 of `${t}.${payload}`, hex. */
function documented(seconds: number, body: string, secret = SECRET): string {
  return createHmac("sha256", secret).update(`${seconds}.${body}`, "utf8").digest("hex");
}

function verify(header: string, options: { body?: string; secret?: string; now?: Date } = {}) {
  return scheme.verify({
    body: ENCODER.encode(options.body ?? BODY),
    headers: new Headers({ "Stripe-Signature": header }),
    secret: options.secret ?? SECRET,
    now: options.now ?? AT,
  });
}

async function rejectsWith(promise: Promise<unknown>, code: TriggersErrorCode): Promise<void> {
  await rejects(promise, (error: unknown) => {
    ok(isNetScriptError<TriggersErrorCode>(error, code), `expected ${code}, got ${error}`);
    return true;
  });
}

Deno.test("stripe() verifies a signature computed as Stripe documents it, and takes the event id", async () => {
  deepEqual(await verify(`t=${SECONDS},v1=${documented(SECONDS, BODY)}`), {
    deliveryId: "evt_1NG8Du2eZvKYlo2CUI79vXWy",
    timestamp: AT,
  });
  deepEqual(await signStripeWebhook({ secret: SECRET, timestamp: AT, body: BODY }), {
    "Stripe-Signature": `t=${SECONDS},v1=${documented(SECONDS, BODY)}`,
  });
});

Deno.test("stripe() accepts any one v1 signature of several (secret rolling), ignoring v0", async () => {
  const header = [
    `t=${SECONDS}`,
    `v1=${documented(SECONDS, BODY, "whsec_old")}`,
    `v1=${documented(SECONDS, BODY)}`,
    `v0=${documented(SECONDS, BODY, "whsec_test_mode")}`,
  ].join(",");
  equal((await verify(header)).deliveryId, "evt_1NG8Du2eZvKYlo2CUI79vXWy");
  equal((await verify(header, { secret: "whsec_old" })).deliveryId, "evt_1NG8Du2eZvKYlo2CUI79vXWy");
  await rejectsWith(verify(header, { secret: "whsec_test_mode" }), "TRIGGERS_SIGNATURE_INVALID");
});

Deno.test("stripe() rejects tampered, wrongly signed and malformed deliveries", async (t) => {
  const header = `t=${SECONDS},v1=${documented(SECONDS, BODY)}`;
  await t.step(
    "a tampered body",
    () =>
      rejectsWith(
        verify(header, { body: BODY.replace("succeeded", "failed") }),
        "TRIGGERS_SIGNATURE_INVALID",
      ),
  );
  await t.step(
    "a wrong secret",
    () => rejectsWith(verify(header, { secret: "whsec_other" }), "TRIGGERS_SIGNATURE_INVALID"),
  );
  await t.step(
    "a changed timestamp",
    () =>
      rejectsWith(
        verify(`t=${SECONDS + 1},v1=${documented(SECONDS, BODY)}`),
        "TRIGGERS_SIGNATURE_INVALID",
      ),
  );
  await t.step(
    "a partial signature",
    () => rejectsWith(verify(header.slice(0, 30)), "TRIGGERS_SIGNATURE_INVALID"),
  );
  await t.step("no header", () => rejectsWith(verify(""), "TRIGGERS_SIGNATURE_MISSING"));
  await t.step(
    "no v1 signature",
    () =>
      rejectsWith(
        verify(`t=${SECONDS},v0=${documented(SECONDS, BODY)}`),
        "TRIGGERS_SIGNATURE_MISSING",
      ),
  );
  await t.step(
    "no timestamp",
    () => rejectsWith(verify(`v1=${documented(SECONDS, BODY)}`), "TRIGGERS_HEADER_MISSING"),
  );
  await t.step(
    "a non-numeric timestamp",
    () => rejectsWith(verify(`t=soon,v1=${documented(SECONDS, BODY)}`), "TRIGGERS_HEADER_INVALID"),
  );
  await t.step("a verified body without an event id", async () => {
    const body = '{"object":"event"}';
    await rejectsWith(
      verify(`t=${SECONDS},v1=${documented(SECONDS, body)}`, { body }),
      "TRIGGERS_DELIVERY_ID_MISSING",
    );
  });
});

Deno.test("stripe() holds the timestamp to 300 s both ways by default", async (t) => {
  const header = `t=${SECONDS},v1=${documented(SECONDS, BODY)}`;
  for (const offset of [-299, 299]) {
    await t.step(`${offset} s passes`, async () => {
      equal(
        (await verify(header, { now: new Date(AT.getTime() + offset * 1000) })).timestamp
          ?.getTime(),
        AT.getTime(),
      );
    });
  }
  for (const offset of [-301, 301]) {
    await t.step(`${offset} s fails`, () =>
      rejectsWith(
        verify(header, { now: new Date(AT.getTime() + offset * 1000) }),
        "TRIGGERS_TIMESTAMP_OUTSIDE_TOLERANCE",
      ));
  }
  throws(() => stripe({ secretEnv: "S", toleranceSeconds: Number.NaN }), RangeError);
});

Deno.test("stripe() verifies the bytes: a JSON body re-serialized differently fails", async () => {
  const header = `t=${SECONDS},v1=${documented(SECONDS, BODY)}`;
  await rejectsWith(
    verify(header, { body: JSON.stringify(JSON.parse(BODY)) }),
    "TRIGGERS_SIGNATURE_INVALID",
  );
});

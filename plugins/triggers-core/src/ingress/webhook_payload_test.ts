import { deepEqual, equal, ok } from "node:assert/strict";
import { keptHeaders, parseWebhookPayload } from "./webhook_payload.ts";

const ENCODER = new TextEncoder();

/** Parses `text` as a body of `contentType`. */
function parse(text: string, contentType: string | null) {
  return parseWebhookPayload(ENCODER.encode(text), contentType);
}

Deno.test("parseWebhookPayload() reads JSON by content type, or by its first character", () => {
  deepEqual(parse('{"a":1}', "application/json"), { ok: true, payload: { a: 1 } });
  deepEqual(parse('{"a":1}', "Application/JSON; charset=utf-8"), { ok: true, payload: { a: 1 } });
  deepEqual(parse('{"a":1}', "application/cloudevents+json"), { ok: true, payload: { a: 1 } });
  deepEqual(parse("  [1, 2]", null), { ok: true, payload: [1, 2] });
  deepEqual(parse('"quoted"', "application/json"), { ok: true, payload: "quoted" });
});

Deno.test("parseWebhookPayload() keeps a body that is not JSON as text", () => {
  deepEqual(parse("hello", null), { ok: true, payload: "hello" });
  deepEqual(parse("{not json", "text/plain"), { ok: true, payload: "{not json" });
  deepEqual(parse('"quoted"', "text/plain"), { ok: true, payload: '"quoted"' });
  deepEqual(parse("", null), { ok: true, payload: "" });
});

Deno.test("parseWebhookPayload() reads a JSON object sent as text/plain as JSON", () => {
  deepEqual(parse('{"a":1}', "text/plain; charset=utf-8"), { ok: true, payload: { a: 1 } });
});

Deno.test("parseWebhookPayload() reads a form body's payload field as JSON, as GitHub sends it", () => {
  const form = new URLSearchParams({ payload: JSON.stringify({ ref: "refs/heads/main" }) });
  deepEqual(parse(form.toString(), "application/x-www-form-urlencoded"), {
    ok: true,
    payload: { ref: "refs/heads/main" },
  });
  deepEqual(parse("a=1&b=two", "application/x-www-form-urlencoded"), {
    ok: true,
    payload: { a: "1", b: "two" },
  });
});

Deno.test("parseWebhookPayload() names the problem of a body it cannot read", () => {
  const broken = parse('{"a":', "application/json");
  equal(broken.ok, false);
  ok(!broken.ok && broken.problem.startsWith("the body is not JSON: "), JSON.stringify(broken));
  equal(!broken.ok && broken.text, '{"a":');
  const form = parse("payload=%7Bnope", "application/x-www-form-urlencoded");
  ok(!form.ok && form.problem.startsWith("the form field payload is not JSON"));
  deepEqual(parseWebhookPayload(new Uint8Array([0xff, 0xfe, 0x41]), null), {
    ok: false,
    problem: "the body is not UTF-8 text",
    text: "",
  });
});

Deno.test("keptHeaders() leaves out credentials and signatures, lower-casing names", () => {
  const kept = keptHeaders(
    new Headers({
      "Content-Type": "application/json",
      "X-GitHub-Event": "push",
      "X-GitHub-Delivery": "d-1",
      "X-Hub-Signature-256": "sha256=abc",
      "X-Hub-Signature": "sha1=abc",
      "Stripe-Signature": "t=1,v1=abc",
      "webhook-signature": "v1,abc",
      "webhook-id": "msg_1",
      "Authorization": "Bearer secret",
      "Proxy-Authorization": "Basic secret",
      "Cookie": "session=1",
      "X-Api-Key": "k",
      "X-Auth-Token": "t",
      "X-Webhook-Secret": "s",
    }),
  );
  deepEqual(kept, {
    "content-type": "application/json",
    "webhook-id": "msg_1",
    "x-github-delivery": "d-1",
    "x-github-event": "push",
  });
});

Deno.test("keptHeaders() keeps at most 64 headers and cuts long values", () => {
  const headers = new Headers();
  for (let i = 0; i < 100; i++) headers.set(`x-h-${String(i).padStart(3, "0")}`, "v");
  headers.set("x-a-long", "x".repeat(5_000));
  const kept = keptHeaders(headers);
  equal(Object.keys(kept).length, 64);
  equal(kept["x-a-long"], "x".repeat(1_024));
});

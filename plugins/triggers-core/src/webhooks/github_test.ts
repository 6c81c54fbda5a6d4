import { deepEqual, equal, ok, rejects } from "node:assert/strict";
import { createHmac } from "node:crypto";
import { isNetScriptError } from "@netscript/contracts/errors";
import { github, signGitHubWebhook, type TriggersErrorCode } from "../../mod.ts";

// The example of GitHub's "Validating webhook deliveries" documentation.
const DOCS = {
  secret: "It's a Secret to Everybody",
  body: "Hello, World!",
  signature: "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17",
};
const ENCODER = new TextEncoder();
const scheme = github({ secretEnv: "GITHUB_WEBHOOK_SECRET" });

function verify(body: string, headers: Record<string, string>, secret = DOCS.secret) {
  return scheme.verify({ body: ENCODER.encode(body), headers: new Headers(headers), secret });
}

async function rejectsWith(promise: Promise<unknown>, code: TriggersErrorCode): Promise<void> {
  await rejects(promise, (error: unknown) => {
    ok(isNetScriptError<TriggersErrorCode>(error, code), `expected ${code}, got ${error}`);
    return true;
  });
}

Deno.test("github() verifies the example of GitHub's documentation", async () => {
  deepEqual(
    await verify(DOCS.body, { "X-Hub-Signature-256": DOCS.signature, "X-GitHub-Delivery": "d-1" }),
    { deliveryId: "d-1" },
  );
  equal(
    (await signGitHubWebhook({ secret: DOCS.secret, body: DOCS.body, deliveryId: "d-1" }))[
      "X-Hub-Signature-256"
    ],
    DOCS.signature,
  );
});

Deno.test("github() verifies a signature computed as GitHub documents it, in either hex case", async () => {
  const body = JSON.stringify({ action: "opened", number: 7, title: "Ünïcode ✓" });
  const hex = createHmac("sha256", "per-hook secret").update(body, "utf8").digest("hex");
  for (const signature of [`sha256=${hex}`, `sha256=${hex.toUpperCase()}`]) {
    equal(
      (await verify(
        body,
        { "X-Hub-Signature-256": signature, "X-GitHub-Delivery": "d-2" },
        "per-hook secret",
      ))
        .deliveryId,
      "d-2",
    );
  }
});

Deno.test("github() rejects tampered, wrongly signed and incomplete deliveries", async (t) => {
  const headers = { "X-Hub-Signature-256": DOCS.signature, "X-GitHub-Delivery": "d-1" };
  await t.step(
    "a tampered body",
    () => rejectsWith(verify("Hello, World?", headers), "TRIGGERS_SIGNATURE_INVALID"),
  );
  await t.step(
    "a wrong secret",
    () => rejectsWith(verify(DOCS.body, headers, "another secret"), "TRIGGERS_SIGNATURE_INVALID"),
  );
  await t.step("a partial signature", () =>
    rejectsWith(
      verify(DOCS.body, { ...headers, "X-Hub-Signature-256": DOCS.signature.slice(0, 20) }),
      "TRIGGERS_SIGNATURE_INVALID",
    ));
  await t.step("the SHA-1 header only", () =>
    rejectsWith(
      verify(DOCS.body, { "X-Hub-Signature": "sha1=00", "X-GitHub-Delivery": "d-1" }),
      "TRIGGERS_SIGNATURE_MISSING",
    ));
  await t.step(
    "no delivery id",
    () =>
      rejectsWith(
        verify(DOCS.body, { "X-Hub-Signature-256": DOCS.signature }),
        "TRIGGERS_HEADER_MISSING",
      ),
  );
});

Deno.test("github() verifies the bytes: a JSON body re-serialized differently fails", async () => {
  const body = '{ "zen": "Keep it logically awesome.", "hook_id": 1 }';
  const headers = await signGitHubWebhook({ secret: DOCS.secret, body, deliveryId: "d-3" });
  equal((await verify(body, headers)).deliveryId, "d-3");
  await rejectsWith(
    verify(JSON.stringify(JSON.parse(body)), headers),
    "TRIGGERS_SIGNATURE_INVALID",
  );
});

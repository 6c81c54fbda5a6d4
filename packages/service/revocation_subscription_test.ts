import { equal, ok } from "node:assert/strict";
import { mintServiceCredential, serviceSecretKey } from "@netscript/contracts/credential";
import { createLogger } from "@netscript/telemetry";
import { REVOCATION_FEED_PATH } from "./revocation_feed.ts";
import { createRevocationHub } from "./revocation_hub.ts";
import { subscribeToRevocations } from "./revocation_subscription.ts";

const SECRET = serviceSecretKey("the-workspace-service-secret-for-feed-tests")!;
const logger = createLogger({ service: "test", sink: () => {} });

/** Counts the subscription's calls. */
function recorder() {
  const seen = { ready: 0, lost: 0 };
  const lost = Promise.withResolvers<void>();
  return {
    seen,
    lost: lost.promise,
    onReady: () => void seen.ready++,
    onRevoked: () => {},
    onLost: () => {
      seen.lost++;
      lost.resolve();
    },
  };
}

Deno.test("a feed that goes silent after ready is counted lost within three heartbeats", async () => {
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen: () => {} }, (request) => {
    const { socket, response } = Deno.upgradeWebSocket(request);
    socket.onmessage = (event) => {
      if (JSON.parse(event.data).type === "hello") socket.send(JSON.stringify({ type: "ready" }));
    };
    return response;
  });
  const calls = recorder();
  const subscription = subscribeToRevocations({
    authUrl: `http://127.0.0.1:${server.addr.port}`,
    credential: () => mintServiceCredential(SECRET, "test"),
    logger,
    heartbeatMs: 20,
    ...calls,
  });
  try {
    const timeout = new Promise<string>((resolve) => setTimeout(() => resolve("timeout"), 3_000));
    equal(await Promise.race([calls.lost.then(() => "lost"), timeout]), "lost");
    equal(calls.seen.ready, 1);
  } finally {
    subscription.close();
    await server.shutdown();
  }
});

Deno.test("a feed whose hub answers its pings stays ready", async () => {
  const hub = createRevocationHub({ serviceSecret: SECRET, logger });
  const server = Deno.serve(
    { port: 0, hostname: "127.0.0.1", onListen: () => {} },
    (request) =>
      new URL(request.url).pathname === REVOCATION_FEED_PATH
        ? hub.accept(request)
        : new Response(null, { status: 404 }),
  );
  const calls = recorder();
  const subscription = subscribeToRevocations({
    authUrl: `http://127.0.0.1:${server.addr.port}`,
    credential: () => mintServiceCredential(SECRET, "test"),
    logger,
    heartbeatMs: 20,
    ...calls,
  });
  try {
    await new Promise((resolve) => setTimeout(resolve, 400));
    equal(calls.seen.ready, 1);
    equal(calls.seen.lost, 0, "a hub that answers pings was counted lost");
    ok(hub.subscribers === 1);
  } finally {
    subscription.close();
    hub.close();
    await server.shutdown();
  }
});

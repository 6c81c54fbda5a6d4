import { equal, match, ok } from "node:assert/strict";
import { baseContract } from "@netscript/contracts";
import { z } from "zod";
import { createService, implement } from "./mod.ts";
import { captureLogger } from "./testdata/capture_logger.ts";

const contract = {
  circular: baseContract.route({ method: "GET", path: "/circular" }).output(z.unknown()),
};

function circularService() {
  const { logger, records } = captureLogger("encode");
  const os = implement(contract);
  const router = os.router({
    circular: os.circular.handler(() => {
      const node: Record<string, unknown> = { secret: "hunter2" };
      node.self = node;
      return node;
    }),
  });
  return { service: createService({ name: "encode", contract, router, logger }), records };
}

Deno.test("a response that cannot be encoded is a 500 that is logged with its trace id", async (t) => {
  for (
    const [label, request] of [
      ["over REST", new Request("http://service.test/api/circular")],
      [
        "over RPC",
        new Request("http://service.test/api/rpc/circular", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: "{}",
        }),
      ],
    ] as const
  ) {
    await t.step(label, async () => {
      const { service, records } = circularService();
      const traceId = "5e0c63257de34c92bf9efcd03927272e";
      const response = await service.fetch(
        new Request(request, {
          headers: {
            ...Object.fromEntries(request.headers),
            traceparent: `00-${traceId}-e457b5a2e4d86bd1-01`,
          },
        }),
      );
      equal(response.status, 500);
      const text = await response.text();
      match(text, /Internal server error/);
      ok(!text.includes("hunter2"));
      const logged = records.find((r) => r.msg === "response could not be encoded");
      equal(logged?.procedure, "circular");
      equal(logged?.level, "error");
      equal(logged?.traceId, traceId);
      ok(typeof (logged?.error as { message?: unknown }).message === "string");
      const line = records.find((r) => r.msg === "request");
      equal(line?.traceId, traceId);
    });
  }
});

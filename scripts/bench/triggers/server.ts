/**
 * A server for the ingress part of `deno task bench:triggers`, run as its
 * own process: `triggers` serves `triggers-api` (`createTriggersService`
 * on the PostgreSQL delivery store, the `bench` webhook); `bare` serves a
 * NetScript service whose mount answers the same `POST /hooks/bench` with
 * 202 after reading the body. Arguments: the kind, the port, the database URL.
 *
 * @module
 */
import { baseContract } from "@netscript/contracts";
import { triggersByName } from "@netscript/plugin-triggers-core";
import { createPostgresDeliveryStore } from "@netscript/plugin-triggers-core/postgres";
import { createTriggersService } from "@netscript/plugin-triggers";
import { defineJob } from "@netscript/plugin-workers-core";
import { createService, implement, type Service } from "@netscript/service";
import { z } from "zod";
import { benchHook, BenchPayload, benchSecrets } from "./definitions.ts";

const [kind, port, url] = Deno.args;

function _bare(): Service {
  const contract = {
    ping: baseContract.route({ method: "GET", path: "/ping" }).output(
      z.object({ ok: z.boolean() }),
    ),
  };
  const os = implement(contract);
  return createService({
    name: "bare",
    contract,
    router: os.router({ ping: os.ping.handler(() => ({ ok: true })) }),
    mounts: [{
      prefix: "/hooks/",
      async fetch(request) {
        await request.arrayBuffer();
        return Response.json({ deliveryId: crypto.randomUUID(), duplicate: false }, {
          status: 202,
        });
      },
    }],
  });
}

const store = kind === "triggers" ? createPostgresDeliveryStore({ url }) : undefined;
const service = store === undefined ? _bare() : createTriggersService({
  store,
  triggers: triggersByName([{
    file: "triggers/bench.ts",
    definition: benchHook(defineJob({ name: "noop", input: BenchPayload, handler: () => {} })),
  }]),
  env: benchSecrets,
});
service.serve({ port: Number(port), onShutdown: () => store?.close() });

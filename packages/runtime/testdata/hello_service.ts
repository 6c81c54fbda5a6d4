/**
 * A one-procedure service for the kit's API tests: `GET /api/hello`, and
 * `GET /api/down`, which fails the way a store adapter does.
 *
 * @module
 */
import { baseContract } from "@netscript/contracts";
import { NetScriptError } from "@netscript/contracts/errors";
import { createService, implement, type Service } from "@netscript/service";
import type { Logger } from "@netscript/telemetry";
import { z } from "zod";

const contract = {
  hello: baseContract.route({ method: "GET", path: "/hello" }).output(z.object({ hi: z.string() })),
  down: baseContract.route({ method: "GET", path: "/down" }).output(z.object({})),
};

export function createHelloService(logger: Logger): Service {
  const os = implement(contract);
  return createService({
    name: "billing-api",
    contract,
    logger,
    router: os.router({
      hello: os.hello.handler(() => ({ hi: "there" })),
      down: os.down.handler(() => {
        throw new NetScriptError("STORE_UNAVAILABLE", "Cannot reach redis://:pw@cache:6379/0", {
          details: { dependency: "billing store" },
        });
      }),
    }),
  });
}

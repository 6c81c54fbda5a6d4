/**
 * A service with two contract versions for the kit's API tests: `v1` and
 * `v2` each answer `GET /api/<version>/ping` with their number; the newest
 * one given is the current version.
 *
 * @module
 */
import type { AnyContractRouter } from "@orpc/contract";
import { baseContract } from "@netscript/contracts";
import { createService, implement, type Service, type ServiceVersion } from "@netscript/service";
import type { Logger } from "@netscript/telemetry";
import { z } from "zod";

/** Version 1: `ping` answers `{ v: 1 }`. */
export const v1Contract = {
  ping: baseContract.route({ method: "GET", path: "/ping" }).output(z.object({ v: z.literal(1) })),
};

/** Version 2: `ping` answers `{ v: 2 }`. */
export const v2Contract = {
  ping: baseContract.route({ method: "GET", path: "/ping" }).output(z.object({ v: z.literal(2) })),
};

const v1 = implement(v1Contract);
const v2 = implement(v2Contract);
const routers = new Map<string, ServiceVersion["router"]>([
  ["v1", v1.router({ ping: v1.ping.handler(() => ({ v: 1 as const })) })],
  ["v2", v2.router({ ping: v2.ping.handler(() => ({ v: 2 as const })) })],
]);

/**
 * Serves the given versions: the last one as the current version.
 *
 * @param contracts The contracts by version, oldest first.
 * @param logger The logger.
 * @returns The service.
 */
export function versionedService(
  contracts: ReadonlyMap<string, AnyContractRouter>,
  logger: Logger,
): Service {
  const names = [...contracts.keys()];
  const current = names.at(-1)!;
  return createService({
    name: "billing-api",
    contract: contracts.get(current)!,
    router: routers.get(current)!,
    currentVersion: current,
    versions: Object.fromEntries(
      names.slice(0, -1).map((name) => [name, {
        contract: contracts.get(name)!,
        router: routers.get(name)!,
      }]),
    ),
    logger,
  });
}

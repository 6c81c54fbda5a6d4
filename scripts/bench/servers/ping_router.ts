/**
 * The contract and implementation shared by the bare oRPC and NetScript
 * targets: one `ping` procedure, built from NetScript's `baseContract`, that
 * validates `{ n: number }` with zod and returns it.
 *
 * @module
 */
import { baseContract } from "@netscript/contracts";
import { implement } from "@orpc/server";
import { z } from "zod";

/** The contract: `ping({ n }) → { n }`. */
export const pingContract = {
  ping: baseContract
    .input(z.object({ n: z.number() }))
    .output(z.object({ n: z.number() })),
};

const os = implement(pingContract).$context<{ headers: Headers }>();

/** The implementation of {@linkcode pingContract}. */
export const pingRouter = os.router({
  ping: os.ping.handler(({ input }) => ({ n: input.n })),
});

import { deepEqual, equal, throws } from "node:assert/strict";
import { baseContract } from "@netscript/contracts";
import { workersContract } from "@netscript/plugin-workers/contract";
import { z } from "zod";
import { compareSnapshots, snapshotContract } from "./mod.ts";

Deno.test("snapshotContract() names nested procedures by dotted path and fills in oRPC's route defaults", () => {
  const snapshot = snapshotContract({
    notes: {
      create: baseContract
        .route({ method: "POST", path: "/notes", successStatus: 201 })
        .input(z.object({ text: z.string() })),
      ping: baseContract,
    },
  });
  deepEqual(Object.keys(snapshot.procedures).sort(), ["notes.create", "notes.ping"]);
  deepEqual(snapshot.procedures["notes.create"]!.route, {
    method: "POST",
    path: "/notes",
    successStatus: 201,
  });
  deepEqual(snapshot.procedures["notes.ping"]!.route, {
    method: "POST",
    path: "/notes/ping",
    successStatus: 200,
  });
  deepEqual(snapshot.procedures["notes.ping"]!.input, { optional: true, schema: {} });
  deepEqual(snapshot.procedures["notes.create"]!.input.schema, {
    type: "object",
    properties: { text: { type: "string" } },
    required: ["text"],
  });
});

Deno.test("snapshotContract() records every declared error with its status and data schema", () => {
  const snapshot = snapshotContract({
    p: baseContract.errors({
      OUT_OF_STOCK: { message: "Out", data: z.object({ sku: z.string() }) },
    }),
  });
  const errors = snapshot.procedures.p!.errors;
  equal(errors.NOT_FOUND!.status, 404);
  equal(errors.OUT_OF_STOCK!.status, 500);
  deepEqual(errors.OUT_OF_STOCK!.data.schema, {
    type: "object",
    properties: { sku: { type: "string" } },
    required: ["sku"],
  });
  equal(errors.FORBIDDEN!.data.optional, true);
});

Deno.test("snapshotContract() is plain JSON, and a real contract compared with itself has no findings", () => {
  const snapshot = snapshotContract(workersContract);
  deepEqual(JSON.parse(JSON.stringify(snapshot)), snapshot);
  deepEqual(compareSnapshots(snapshot, snapshotContract(workersContract)), []);
});

Deno.test("snapshotContract() refuses a schema that is not zod, naming the procedure", () => {
  const notZod = {
    "~standard": { version: 1, vendor: "other", validate: (value: unknown) => ({ value }) },
  };
  throws(
    () => snapshotContract({ p: baseContract.input(notZod as never) }),
    (error: unknown) => error instanceof TypeError && error.message.includes("p input"),
  );
});

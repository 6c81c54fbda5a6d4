import { deepEqual, equal, ok, rejects } from "node:assert/strict";
import { join } from "node:path";
import type { ResourceGraph } from "@netscript/plugin";
import { createStateTable, type ResourceState, STATE_FILE } from "./state_table.ts";

const graph: ResourceGraph = {
  resources: [
    { name: "db", kind: "store", engine: "sqlite", embedded: true, file: ".netscript/data/app.db" },
    {
      name: "api",
      kind: "service",
      entrypoint: "services/api/main.ts",
      port: 3000,
      env: {},
      permissions: {},
      flags: [],
      waitFor: [],
      passEnv: [],
    },
    {
      name: "ticker",
      kind: "processor",
      entrypoint: "bin/ticker.ts",
      env: {},
      permissions: {},
      flags: [],
      waitFor: [],
      passEnv: [],
    },
  ],
};

async function readFile(root: string): Promise<{ runner: number; resources: ResourceState[] }> {
  return JSON.parse(await Deno.readTextFile(join(root, STATE_FILE)));
}

Deno.test("createStateTable() starts stores ready and processes starting, writing nothing", async () => {
  const root = await Deno.makeTempDir({ prefix: "netscript-state-" });
  try {
    const table = createStateTable(graph, { root });
    deepEqual(table.states, [
      { name: "db", kind: "store", pid: null, port: null, state: "ready", restarts: 0 },
      { name: "api", kind: "service", pid: null, port: 3000, state: "starting", restarts: 0 },
      { name: "ticker", kind: "processor", pid: null, port: null, state: "starting", restarts: 0 },
    ]);
    await rejects(Deno.stat(join(root, STATE_FILE)), Deno.errors.NotFound);
    await table.write();
    deepEqual(await readFile(root), { runner: Deno.pid, resources: table.states });
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("StateTable.update() writes the file, then reports the change", async () => {
  const root = await Deno.makeTempDir({ prefix: "netscript-state-" });
  try {
    const reported: [string, string | undefined, ResourceState[]][] = [];
    const table = createStateTable(graph, {
      root,
      onChange: (states, changed, message) => {
        reported.push([changed.name, message, structuredClone([...states])]);
      },
    });
    await table.update("api", { state: "running", pid: 42 }, "up");
    const onDisk = await readFile(root);
    equal(onDisk.runner, Deno.pid);
    deepEqual(onDisk.resources[1], {
      name: "api",
      kind: "service",
      pid: 42,
      port: 3000,
      state: "running",
      restarts: 0,
    });
    deepEqual(reported, [["api", "up", onDisk.resources]]);
    equal(table.states[1]!.pid, 42, "the states change in place");
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("StateTable.update() writes one at a time, in call order", async () => {
  const root = await Deno.makeTempDir({ prefix: "netscript-state-" });
  try {
    const order: (string | undefined)[] = [];
    const table = createStateTable(graph, {
      root,
      onChange: (_states, _changed, message) => order.push(message),
    });
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => table.update("ticker", { restarts: i }, `${i}`)),
    );
    deepEqual(order, Array.from({ length: 20 }, (_, i) => `${i}`));
    equal((await readFile(root)).resources[2]!.restarts, 19);
    deepEqual(
      [...Deno.readDirSync(join(root, ".netscript/dev"))].map((e) => e.name),
      ["state.json"],
      "no temporary file is left behind",
    );
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("StateTable.update() rejects an unknown resource", async () => {
  const table = createStateTable(graph, { root: "/nonexistent" });
  await rejects(table.update("nope", { state: "running" }), (error: Error) => {
    ok(error instanceof RangeError);
    ok(error.message.includes('"nope"') && error.message.includes('"api"'), error.message);
    return true;
  });
});

Deno.test("StateTable.update() fails the call whose write fails, not later ones", async () => {
  const root = await Deno.makeTempDir({ prefix: "netscript-state-" });
  try {
    let reports = 0;
    const table = createStateTable(graph, { root, onChange: () => reports++ });
    await Deno.writeTextFile(join(root, ".netscript"), "a file where a folder belongs");
    await rejects(table.update("api", { state: "running" }));
    equal(reports, 0, "a change that was not written is not reported");
    await Deno.remove(join(root, ".netscript"));
    await table.update("api", { pid: 7 });
    const onDisk = await readFile(root);
    ok(onDisk.resources[1]!.state === "running" && onDisk.resources[1]!.pid === 7);
    equal(reports, 1);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

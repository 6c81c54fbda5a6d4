import { deepEqual, equal, ok } from "node:assert/strict";
import { startReadyProcess } from "../dev/testdata/ready_process.ts";
import { stopProcess } from "../dev/stop_process.ts";
import { createUsageSampler } from "./process_usage.ts";

const linux = Deno.build.os === "linux";

/** A process that spins on one core once ready, and one that sleeps; both stopped after `use`. */
async function withBusyAndIdle(use: (busy: number, idle: number) => Promise<void>): Promise<void> {
  const busy = await startReadyProcess("setTimeout(() => { for (;;); }, 0);");
  const idle = await startReadyProcess("setInterval(() => {}, 1_000);");
  try {
    await use(busy.child.pid, idle.child.pid);
  } finally {
    for (const { child, output } of [busy, idle]) {
      await stopProcess(child, { graceMs: 1_000 });
      await output;
    }
  }
}

/** The pid of a process that has exited and been reaped. */
async function exitedPid(): Promise<number> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["eval", ""],
    stdin: "null",
    stdout: "null",
    stderr: "null",
  }).spawn();
  await child.status;
  return child.pid;
}

Deno.test({
  name: "UsageSampler.sample() measures a busy process's CPU above an idle one's",
  ignore: !linux,
  async fn() {
    await withBusyAndIdle(async (busy, idle) => {
      const sampler = createUsageSampler();
      const first = await sampler.sample([busy, idle]);
      deepEqual([...first.keys()], [busy, idle]);
      for (const usage of first.values()) {
        equal(usage.cpuPercent, null);
        ok(
          usage.memoryBytes !== null && usage.memoryBytes > 1024 * 1024,
          String(usage.memoryBytes),
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const second = await sampler.sample([busy, idle]);
      const busyCpu = second.get(busy)?.cpuPercent;
      const idleCpu = second.get(idle)?.cpuPercent;
      ok(typeof busyCpu === "number" && typeof idleCpu === "number", `${busyCpu} ${idleCpu}`);
      ok(busyCpu > 25, `busy: ${busyCpu}%`);
      ok(idleCpu >= 0 && idleCpu < busyCpu / 3, `idle: ${idleCpu}%, busy: ${busyCpu}%`);
      ok(second.get(busy)!.memoryBytes! > 0);
    });
  },
});

Deno.test({
  name: "UsageSampler.sample() leaves out a process that has exited",
  ignore: !linux,
  async fn() {
    const dead = await exitedPid();
    const usage = await createUsageSampler().sample([Deno.pid, dead]);
    deepEqual([...usage.keys()], [Deno.pid]);
  },
});

Deno.test({
  name: "UsageSampler.sample() forgets a pid left out of a sample",
  ignore: !linux,
  async fn() {
    const sampler = createUsageSampler();
    await sampler.sample([Deno.pid]);
    await sampler.sample([]);
    equal((await sampler.sample([Deno.pid])).get(Deno.pid)?.cpuPercent, null);
    await new Promise((resolve) => setTimeout(resolve, 20));
    ok(typeof (await sampler.sample([Deno.pid])).get(Deno.pid)?.cpuPercent === "number");
  },
});

Deno.test({
  name: "UsageSampler.sample() reports nothing known outside Linux",
  async fn() {
    const usage = await createUsageSampler("darwin").sample([Deno.pid, 1]);
    deepEqual([...usage], [[Deno.pid, { cpuPercent: null, memoryBytes: null }], [1, {
      cpuPercent: null,
      memoryBytes: null,
    }]]);
  },
});

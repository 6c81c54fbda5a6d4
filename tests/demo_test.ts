/**
 * `deno task demo` scaffolds a sample app, runs it with `netscript dev`,
 * prints its URLs (the dashboard's among them), serves them from separate processes, and on Ctrl-C
 * stops every process and removes the scaffolded folder.
 */
import { deepEqual, equal, match, ok } from "node:assert/strict";
import { devSlot } from "./support/dev_slot.ts";
import { startProgram } from "./support/process.ts";

Deno.test("the demo scaffolds an app, runs it with netscript dev, and cleans up on SIGINT", async () => {
  await using _slot = await devSlot();
  await using demo = startProgram(new URL("../scripts/demo.ts", import.meta.url), {
    permissions: ["--allow-net", "--allow-env", "--allow-read", "--allow-write", "--allow-run"],
  });
  const deadline = Date.now() + 120_000;
  while (!demo.stdout.some((line) => line.includes("Press Ctrl-C")) && Date.now() < deadline) {
    if (demo.stdout.some((line) => line.includes("exited"))) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const output = demo.stdout.join("\n");
  match(output, /runs as 3 processes under netscript dev/);
  const folder = output.match(/Scaffolding a sample app into (\S+) /)![1]!;
  const app = output.match(/App API docs\s+(http:\/\/127\.0\.0\.1:\d+)\/api\/docs/)![1]!;
  const plugin = output.match(/Plugin API docs\s+(http:\/\/127\.0\.0\.1:\d+)\/api\/docs/)![1]!;
  const dashboard = output.match(/Dashboard\s+(http:\/\/127\.0\.0\.1:\d+)/)![1]!;
  match(output, /The plugin's API just answered \{"message":"Hello, NetScript"\}/);

  const docs = await fetch(`${app}/api/docs`);
  equal(docs.status, 200);
  await docs.body?.cancel();
  const created = await fetch(`${app}/api/notes`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ text: "from the test" }),
  });
  equal(created.status, 201);
  const note = await created.json();
  const listed = await (await fetch(`${app}/api/notes?limit=5`)).json();
  deepEqual(listed.items.map((n: { id: string }) => n.id), [note.id]);
  const greeting = await (await fetch(`${plugin}/api/greet?name=Ada`)).json();
  deepEqual(greeting, { message: "Hello, Ada" });
  const resources = await (await fetch(dashboard)).text();
  for (const name of ["api", "hello-api", "hello-ticker"]) {
    ok(resources.includes(`id="resource-${name}"`), `the dashboard lists ${name}`);
  }

  const state = JSON.parse(await Deno.readTextFile(`${folder}/.netscript/dev/state.json`));
  const pids = state.resources.filter((r: { pid: number | null }) => r.pid).map((
    r: { pid: number },
  ) => r.pid);
  equal(pids.length, 3);

  demo.child.kill("SIGINT");
  equal((await demo.finished).code, 0);
  ok(!demo.stdout.some((line) => line.includes("legacy behavior")), "no legacy-abort warning");
  for (const pid of pids) {
    const ps = await new Deno.Command("ps", { args: ["-o", "stat=", "-p", String(pid)] }).output();
    const stat = new TextDecoder().decode(ps.stdout).trim();
    ok(!ps.success || stat.startsWith("Z"), `process ${pid} is gone`);
  }
  ok(
    await Deno.stat(folder).then(() => false, () => true),
    "the scaffolded folder is removed",
  );
});

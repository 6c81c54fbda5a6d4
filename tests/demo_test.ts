/**
 * `deno task demo` starts the sample service, prints its URLs, serves them,
 * and stops cleanly on Ctrl-C.
 */
import { equal, match } from "node:assert/strict";
import { startProgram } from "./support/process.ts";

Deno.test("the demo serves the sample service and stops on SIGINT", async () => {
  await using demo = startProgram(new URL("../scripts/demo.ts", import.meta.url), {
    permissions: ["--allow-net", "--allow-env", "--allow-read", "--unstable-no-legacy-abort"],
  });
  await demo.waitForRecord((record) =>
    record.msg === "request" && record.path === "/api/rpc/todos/list"
  );
  const listening = await demo.waitForRecord((record) => record.msg === "service listening");
  const base = new URL(listening.url as string);
  const deadline = Date.now() + 10_000;
  while (!demo.stdout.some((line) => line.includes("Press Ctrl-C")) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const output = demo.stdout.join("\n");
  match(output, new RegExp(`API docs\\s+${base.href}api/docs`));
  match(output, /OpenAPI\s+http:\/\/\S+\/api\/openapi\.json/);
  const docs = await fetch(new URL("/api/docs", base));
  equal(docs.status, 200);
  await docs.body?.cancel();
  const todo = await (await fetch(new URL("/api/todos/4", base))).json();
  equal(todo.title, "Try NetScript");
  demo.child.kill("SIGINT");
  equal((await demo.finished).code, 0);
});

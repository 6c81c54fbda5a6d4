import { baseContract } from "@netscript/contracts";
import { createService, implement } from "@netscript/service";
import { defineServices, safe, isDefinedError } from "@netscript/sdk";
import { z } from "zod";

const contract = {
  slow: baseContract.route({ method: "GET", path: "/slow" }).input(z.object({ ms: z.coerce.number() })).output(z.object({ ok: z.boolean() })),
  boom: baseContract.route({ method: "GET", path: "/boom" }).output(z.object({ ok: z.boolean() })),
  limited: baseContract.route({ method: "GET", path: "/limited" }).output(z.object({ ok: z.boolean() })),
  badout: baseContract.route({ method: "GET", path: "/badout" }).output(z.object({ ok: z.boolean() })),
  custom: baseContract.errors({ OUT_OF_STOCK: { status: 422, data: z.object({ sku: z.string() }) } }).route({ method: "POST", path: "/custom" }).input(z.object({ sku: z.string() })).output(z.object({ ok: z.boolean() })),
  nodata: baseContract.route({ method: "GET", path: "/nodata" }).output(z.object({ ok: z.boolean() })),
  plainerr: baseContract.route({ method: "GET", path: "/plainerr" }).output(z.object({ ok: z.boolean() })),
  headers: baseContract.route({ method: "GET", path: "/headers" }).output(z.object({ ua: z.string() })),
};
const os = implement(contract);
const router = os.router({
  slow: os.slow.handler(async ({ input }) => { await new Promise((r) => setTimeout(r, input.ms)); return { ok: true }; }),
  boom: os.boom.handler(() => { throw new Error("database exploded"); }),
  limited: os.limited.handler(({ errors }) => { throw errors.TOO_MANY_REQUESTS({ data: { retryAfterSeconds: 30 } }); }),
  badout: os.badout.handler(() => ({ ok: "yes" } as unknown as { ok: boolean })),
  custom: os.custom.handler(({ input, errors }) => { throw errors.OUT_OF_STOCK({ data: { sku: input.sku } }); }),
  nodata: os.nodata.handler(({ errors }) => { throw errors.NOT_FOUND(); }),
  plainerr: os.plainerr.handler(({ errors }) => { throw errors.UNAUTHORIZED({ message: "Token expired" }); }),
  headers: os.headers.handler(({ context }) => ({ ua: context.headers.get("user-agent") ?? "" })),
});
const svc = createService({
  name: "lab", contract, router, maxBodyBytes: 40, logRequests: false,
  healthCheckTimeoutMs: 200,
  healthChecks: {
    ok: () => {},
    falsy: () => false,
    throws: () => { throw new Error("db down"); },
    hangs: (signal) => new Promise((_, rej) => signal.addEventListener("abort", () => rej(new Error("aborted by signal")))),
  },
});
const running = svc.serve({ port: 0, handleSignals: false, shutdownTimeoutMs: 300, onShutdown: () => console.log("onShutdown ran") });
console.log("url", running.url.href, running.port);
const show = async (r: Response) => console.log(r.status, r.headers.get("content-type"), await r.text());
await show(await svc.fetch(new Request("http://x/health")));
await show(await svc.fetch(new Request("http://x/api/boom")));
await show(await svc.fetch(new Request("http://x/api/limited")));
await show(await svc.fetch(new Request("http://x/api/badout")));
await show(await svc.fetch(new Request("http://x/api/nodata")));
await show(await svc.fetch(new Request("http://x/api/plainerr")));
await show(await svc.fetch(new Request("http://x/api/headers", { headers: { "user-agent": "me" } })));
await show(await svc.fetch(new Request("http://x/api/custom", { method: "POST", body: JSON.stringify({ sku: "abcdefghijkl" }), headers: { "content-type": "application/json" } })));
await show(await svc.fetch(new Request("http://x/api/custom", { method: "POST", body: JSON.stringify({ sku: "a" }), headers: { "content-type": "application/json" } })));

const { clients } = defineServices({ lab: { contract, url: running.url, timeoutMs: 100 } });
const r1 = await safe(clients.lab.slow({ ms: 500 }));
console.log("timeout:", (r1.error as any)?.code, (r1.error as any)?.message);
const r2 = await safe(clients.lab.custom({ sku: "a" }));
if (isDefinedError(r2.error)) console.log("custom:", r2.error.code, r2.error.status, JSON.stringify(r2.error.data));
const r3 = await safe(clients.lab.boom());
console.log("boom:", isDefinedError(r3.error), (r3.error as any)?.code, (r3.error as any)?.status, (r3.error as any)?.message, (r3.error as any)?.constructor?.name);
const r4 = await safe(clients.lab.limited());
if (isDefinedError(r4.error) && r4.error.code === "TOO_MANY_REQUESTS") console.log("limited:", r4.error.data?.retryAfterSeconds);
const r5 = await safe(clients.lab.badout());
console.log("badout:", isDefinedError(r5.error), (r5.error as any)?.code, (r5.error as any)?.status, (r5.error as any)?.message);
console.log(JSON.stringify(r5));
// graceful shutdown with in-flight request
const inflight = fetch(new URL("/api/slow?ms=1000", running.url)).then((r) => r.status, (e) => "err " + e.message);
await new Promise((r) => setTimeout(r, 100));
console.log("shutdown graceful?", await running.shutdown());
console.log("inflight:", await inflight);

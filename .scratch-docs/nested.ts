import { baseContract } from "@netscript/contracts";
import { createService, implement } from "@netscript/service";
import { defineServices } from "@netscript/sdk";
import { z } from "zod";
const contract = {
  users: {
    get: baseContract.route({ method: "GET", path: "/users/{id}" }).input(z.object({ id: z.string() })).output(z.object({ id: z.string() })),
    ping: baseContract.output(z.string()),
    echo: baseContract.input(z.object({ when: z.date() })).output(z.object({ when: z.date() })),
  },
};
const os = implement(contract);
const router = os.router({
  users: {
    get: os.users.get.handler(({ input }) => ({ id: input.id })),
    ping: os.users.ping.handler(() => "pong"),
    echo: os.users.echo.handler(({ input }) => input),
  },
});
const svc = createService({ name: "nested", contract, router, description: "Nested demo" });
const show = async (m: string, p: string, body?: string) => { const r = await svc.fetch(new Request("http://x" + p, { method: m, ...(body ? { body, headers: { "content-type": "application/json" } } : {}) })); console.log(m, p, r.status, await r.text()); };
await show("GET", "/api/users/7");
await show("POST", "/api/users/ping");
await show("GET", "/api/users/ping");
await show("POST", "/api/rpc/users/get", '{"json":{"id":"7"}}');
await show("POST", "/api/rpc/users/ping");
await show("GET", '/api/rpc/users/get?data=' + encodeURIComponent('{"json":{"id":"7"}}'));
await show("POST", "/api/rpc/users/echo", '{"json":{"when":"2024-01-01T00:00:00.000Z"},"meta":[[1,"when"]]}');
const doc = await svc.openapi();
console.log(JSON.stringify(doc.info), Object.keys(doc.paths ?? {}), JSON.stringify(Object.values(doc.paths ?? {}).map((p: any) => Object.values(p).map((o: any) => o.operationId))));
const { clients } = defineServices({ nested: { contract, url: "http://x" } }, { fetch: (req) => svc.fetch(req) });
console.log(await clients.nested.users.get({ id: "9" }), await clients.nested.users.ping(), await clients.nested.users.echo({ when: new Date(0) }));

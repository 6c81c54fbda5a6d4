import { createService, implement } from "@netscript/service";
import { notesContract } from "./contracts/notes.ts";
const os = implement(notesContract);
const router = os.router({
  list: os.list.handler(() => ({ items: [], total: 0, limit: 1, offset: 0 })),
  get: os.get.handler(({ input }) => ({ id: input.id, title: "", body: "" })),
  create: os.create.handler(({ input }) => ({ id: "1", ...input })),
});
const svc = createService({ name: "notes", contract: notesContract, router, logRequests: false });
for (const p of ["/api/docs/scalar.js", "/api/openapi.json"]) {
  const r = await svc.fetch(new Request("http://x" + p));
  console.log(p, r.status, (await r.text()).slice(0, 120));
}

import { deepEqual, equal } from "node:assert/strict";
import { createLogger } from "@netscript/telemetry";
import { createMemoryNotesStore } from "./memory_notes_store.ts";
import { createApiService } from "./service.ts";

Deno.test("the api service creates a note over REST and lists it", async () => {
  // Request lines stay in memory: the test output shows only the test runner.
  const lines: { msg: string; status?: number }[] = [];
  const logger = createLogger({ service: "api", sink: (line) => lines.push(JSON.parse(line)) });
  const service = createApiService({ notes: createMemoryNotesStore(), logger });
  const created = await service.fetch(
    new Request("http://localhost/api/notes", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ text: "Buy milk" }),
    }),
  );
  equal(created.status, 201);
  const note = await created.json();
  equal(note.text, "Buy milk");

  const listed = await service.fetch(new Request("http://localhost/api/notes?limit=5"));
  deepEqual(await listed.json(), { items: [note], total: 1, limit: 5, offset: 0 });

  const missing = await service.fetch(new Request("http://localhost/api/notes/nope"));
  equal(missing.status, 404);
  await missing.body?.cancel();

  deepEqual(lines.map((line) => [line.msg, line.status]), [
    ["request", 201],
    ["request", 200],
    ["request", 404],
  ]);
});

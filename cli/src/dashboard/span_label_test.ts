import { equal } from "node:assert/strict";
import { spanLabel } from "./span_label.ts";

Deno.test("spanLabel() adds the route, path or URL to a span named by its HTTP method", () => {
  equal(spanLabel({ name: "POST", attributes: { "url.path": "/api/jobs" } }), "POST /api/jobs");
  equal(
    spanLabel({ name: "GET", attributes: { "http.route": "/api/jobs/{id}", "url.path": "/x" } }),
    "GET /api/jobs/{id}",
  );
  equal(
    spanLabel({ name: "GET", attributes: { "url.full": "http://127.0.0.1:8091/api/stats" } }),
    "GET http://127.0.0.1:8091/api/stats",
  );
  equal(spanLabel({ name: "GET", attributes: {} }), "GET");
  equal(
    spanLabel({ name: "workers.jobs.enqueue", attributes: { "url.path": "/api/jobs" } }),
    "workers.jobs.enqueue",
  );
});

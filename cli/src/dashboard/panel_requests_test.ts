import { deepEqual, equal, ok } from "node:assert/strict";
import {
  askService,
  describeFailure,
  fillRoute,
  type PanelTransport,
  routeFields,
} from "./panel_requests.ts";

/** A request the fake service received. */
interface Received {
  readonly method: string;
  readonly path: string;
  readonly authorization: string | null;
  readonly accept: string | null;
}

/** A service on a free port that records each request and answers with `answer`. */
function startService(answer: (request: Request) => Response | Promise<Response>) {
  const received: Received[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (request) => {
    const url = new URL(request.url);
    received.push({
      method: request.method,
      path: url.pathname + url.search,
      authorization: request.headers.get("authorization"),
      accept: request.headers.get("accept"),
    });
    return answer(request);
  });
  return { url: `http://127.0.0.1:${server.addr.port}`, received, server };
}

/** A transport that knows only `jobs-api`, at `url`, and counts the credentials it made. */
function transportTo(url: string | undefined) {
  const minted: string[] = [];
  const transport: PanelTransport = {
    serviceUrl: (service) => (service === "jobs-api" ? url : undefined),
    authorization() {
      minted.push("Bearer test-credential");
      return Promise.resolve("Bearer test-credential");
    },
  };
  return { transport, minted };
}

Deno.test("fillRoute() fills each placeholder with its value encoded as one path segment", () => {
  const asked: string[] = [];
  const values: Record<string, string> = { queue: "mail", id: "a/b c?d#e&f=g%h" };
  equal(
    fillRoute("/api/queues/{queue}/jobs/{id}/retry", (field) => {
      asked.push(field);
      return values[field];
    }),
    "/api/queues/mail/jobs/a%2Fb%20c%3Fd%23e%26f%3Dg%25h/retry",
  );
  deepEqual(asked, ["queue", "id"]);
  equal(fillRoute("/api/jobs/{id}", () => "é"), "/api/jobs/%C3%A9");
  equal(fillRoute("/api/stats", () => undefined), "/api/stats", "no placeholder, nothing asked");
  equal(fillRoute("/api/jobs/{id}", () => "..."), "/api/jobs/...", "three dots are a name");
  equal(fillRoute("/api/{1x}/{ok_1}", () => "v"), "/api/{1x}/v", "not a placeholder name");
});

Deno.test("fillRoute() refuses a missing or empty value, and the dot segments", () => {
  for (const refused of [undefined, "", ".", ".."]) {
    equal(fillRoute("/api/jobs/{id}/retry", () => refused), undefined, String(refused));
    equal(
      fillRoute("/api/{queue}/{id}", (field) => (field === "queue" ? "mail" : refused)),
      undefined,
      `${refused} in the second placeholder`,
    );
  }
});

Deno.test("routeFields() names the placeholders in order", () => {
  deepEqual(routeFields("/api/queues/{queue}/jobs/{job_id}"), ["queue", "job_id"]);
  deepEqual(routeFields("/api/{id}/{id}"), ["id", "id"]);
  deepEqual(routeFields("/api/stats?limit=50"), []);
  deepEqual(routeFields("/api/{1x}/{}/{a-b}"), []);
});

Deno.test("askService() sends the method, path and credential, and reads a JSON or text answer", async () => {
  const service = startService((request) =>
    new URL(request.url).pathname === "/api/stats"
      ? Response.json({ queued: 3 })
      : new Response("the disk is full", { status: 500 })
  );
  try {
    const { transport } = transportTo(service.url);
    deepEqual(await askService(transport, "jobs-api", "GET", "/api/stats?limit=5"), {
      status: 200,
      body: { queued: 3 },
    });
    deepEqual(await askService(transport, "jobs-api", "POST", "/api/jobs/a%2Fb/retry"), {
      status: 500,
      body: "the disk is full",
    });
    deepEqual(service.received, [
      {
        method: "GET",
        path: "/api/stats?limit=5",
        authorization: "Bearer test-credential",
        accept: "application/json",
      },
      {
        method: "POST",
        path: "/api/jobs/a%2Fb/retry",
        authorization: "Bearer test-credential",
        accept: "application/json",
      },
    ]);
  } finally {
    await service.server.shutdown();
  }
});

Deno.test("askService() does not follow a redirect", async () => {
  const service = startService((request) =>
    new URL(request.url).pathname === "/api/jobs/1/retry"
      ? new Response(null, { status: 302, headers: { location: "/api/elsewhere" } })
      : Response.json({ followed: true })
  );
  try {
    const { transport } = transportTo(service.url);
    deepEqual(await askService(transport, "jobs-api", "POST", "/api/jobs/1/retry"), {
      status: 302,
      body: "",
    });
    deepEqual(service.received.map((request) => request.path), ["/api/jobs/1/retry"]);
  } finally {
    await service.server.shutdown();
  }
});

Deno.test("askService() answers status 0 for a service that is not part of the run", async () => {
  const { transport, minted } = transportTo(undefined);
  deepEqual(await askService(transport, "jobs-api", "GET", "/api/stats"), {
    status: 0,
    body: "jobs-api is not part of this run",
  });
  deepEqual(minted, [], "no credential is made for nobody");
});

Deno.test("askService() answers status 0 for a port nobody listens on", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  const { transport } = transportTo(`http://127.0.0.1:${port}`);
  const answer = await askService(transport, "jobs-api", "GET", "/api/stats");
  equal(answer.status, 0);
  ok(String(answer.body).startsWith("jobs-api did not answer: "), String(answer.body));
  ok(!String(answer.body).includes("\n"), "one line");
});

Deno.test("askService() gives up on a service that does not answer in time", async () => {
  let release = () => {};
  const held = new Promise<void>((resolve) => release = resolve);
  const service = startService(async () => {
    await held;
    return Response.json({});
  });
  const timeout = AbortSignal.timeout;
  const bounds: number[] = [];
  // The real bound is seconds long: the test shortens it and checks one is set.
  AbortSignal.timeout = (ms: number) => {
    bounds.push(ms);
    return timeout.call(AbortSignal, 50);
  };
  try {
    const { transport } = transportTo(service.url);
    const answer = await askService(transport, "jobs-api", "GET", "/api/stats");
    equal(answer.status, 0);
    ok(String(answer.body).startsWith("jobs-api did not answer: "), String(answer.body));
    equal(bounds.length, 1);
    ok(bounds[0]! >= 1_000, `a bound of ${bounds[0]} ms`);
  } finally {
    AbortSignal.timeout = timeout;
    release();
    await service.server.shutdown();
  }
});

Deno.test("describeFailure() names the status, and a NetScript error's code and message", () => {
  equal(
    describeFailure("jobs-api", {
      status: 409,
      body: { code: "JOB_NOT_DEAD", message: "Only a dead job can be redriven" },
    }),
    "jobs-api answered 409 JOB_NOT_DEAD: Only a dead job can be redriven",
  );
  equal(
    describeFailure("jobs-api", { status: 404, body: { message: "No job 7" } }),
    "jobs-api answered 404: No job 7",
  );
  equal(
    describeFailure("jobs-api", { status: 403, body: { code: 403, message: ["x"] } }),
    "jobs-api answered 403",
    "fields that are not text are left out",
  );
  equal(describeFailure("jobs-api", { status: 502, body: null }), "jobs-api answered 502");
  equal(describeFailure("jobs-api", { status: 500, body: "" }), "jobs-api answered 500");
  equal(
    describeFailure("jobs-api", { status: 500, body: "x".repeat(300) }),
    `jobs-api answered 500: ${"x".repeat(200)}`,
    "a text body is cut",
  );
  equal(
    describeFailure("jobs-api", { status: 0, body: "jobs-api is not part of this run" }),
    "jobs-api is not part of this run",
  );
});

import { deepEqual, equal, match, ok } from "node:assert/strict";
import type { RegisteredDashboardPanel } from "@netscript/plugin";
import { type Dashboard, type DashboardSources, startDashboard } from "./dashboard_server.ts";
import { createLogStore, type LogStore } from "./log_store.ts";
import type { SpanRecord } from "./span_record.ts";
import { createUsageSampler } from "./process_usage.ts";
import type { ResourceView } from "./resources_view.ts";
import { createTraceStore, type TraceStore } from "./trace_store.ts";
import { testSpan } from "./testdata/span_record.ts";

const TRACE = "0af7651916cd43dd8448eb211c80319c";
const CREDENTIAL = "Bearer test-credential";
const HOSTILE = "<script>alert(1)</script>";

const RESOURCES: readonly ResourceView[] = [
  {
    name: "users",
    kind: "service",
    state: "running",
    pid: Deno.pid,
    port: 8001,
    restarts: 2,
    startedAt: Date.now() - 65_000,
    permissions: ["--allow-net=127.0.0.1", `--allow-read=${HOSTILE}`],
    docs: "http://127.0.0.1:8001/docs",
    health: "http://127.0.0.1:8001/health",
  },
  {
    name: `mailer${HOSTILE}`,
    kind: "processor",
    state: "stopped",
    pid: null,
    port: null,
    restarts: 0,
    startedAt: null,
    permissions: [],
  },
  {
    name: "db",
    kind: "store",
    state: "ready",
    pid: null,
    port: null,
    restarts: 0,
    startedAt: null,
    permissions: ["sqlite", "dev.db"],
  },
];

const PANEL: RegisteredDashboardPanel = {
  id: "jobs",
  title: "Jobs",
  service: "jobs-api",
  plugin: "workers",
  views: [
    { kind: "counts", title: "Jobs by state", path: "/api/stats" },
    {
      kind: "table",
      title: "Dead letters",
      path: "/api/jobs?limit=50",
      columns: [{ field: "id", label: "Id" }, { field: "name", label: "Name" }],
      actions: [{
        label: "Redrive",
        path: "/api/jobs/{id}/redrive",
        when: { field: "state", values: ["dead"] },
      }],
      detail: {
        path: "/api/jobs/{id}",
        list: "steps",
        columns: [{ field: "step", label: "Step" }, { field: "status", label: "Status" }],
      },
    },
  ],
};

const GONE_PANEL: RegisteredDashboardPanel = {
  id: "streams",
  title: "Streams",
  service: "streams-api",
  plugin: "streams",
  views: [{ kind: "counts", title: "Streams", path: "/api/stats" }],
};

/** A request the fake plugin service received. */
interface Received {
  readonly method: string;
  readonly path: string;
  readonly authorization: string | null;
}

/** The fake `jobs-api`: stats, a page of jobs, a job's steps, and redrive (409 for `busy`). */
function jobsApi(method: string, path: string): Response {
  if (method === "GET" && path === "/api/stats") {
    return Response.json({ queued: 3, dead: 1, note: "not a number" });
  }
  if (method === "GET" && path === "/api/jobs?limit=50") {
    return Response.json({
      items: [
        { id: "j1", name: "<b>send</b>", state: "dead" },
        { id: "j2", name: "report", state: "done" },
      ],
    });
  }
  if (method === "GET" && path === "/api/jobs/j1") {
    return Response.json({ id: "j1", steps: [{ step: "charge", status: "ok" }, { step: "ship" }] });
  }
  if (method === "POST" && path === "/api/jobs/busy/redrive") {
    return Response.json(
      { code: "JOB_NOT_DEAD", message: "Only a dead job can be redriven" },
      { status: 409 },
    );
  }
  if (method === "POST" && path.endsWith("/redrive")) return Response.json({ redriven: true });
  return Response.json({ code: "NOT_FOUND", message: `No route ${path}` }, { status: 404 });
}

/** A dashboard over real stores, with a real fake plugin service, and what it was asked to do. */
interface Fixture {
  readonly dashboard: Dashboard;
  readonly logs: LogStore;
  readonly traces: TraceStore;
  /** `restart users`, `stop users`, … in the order asked. */
  readonly calls: string[];
  /** What `onError` was told. */
  readonly errors: string[];
  /** What the fake plugin service received. */
  readonly received: Received[];
  /** Makes `resources()` throw, to see a failure answered. */
  failResources: boolean;
  /** Sends a request to the dashboard without following redirects, and reads the answer. */
  send(path: string, init?: RequestInit): Promise<Answer>;
}

/** A read answer. */
interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
}

/** Runs `test` against a fresh dashboard, then closes the dashboard and the plugin service. */
async function withDashboard(test: (fixture: Fixture) => Promise<void>): Promise<void> {
  const received: Received[] = [];
  const service = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (request) => {
    const url = new URL(request.url);
    const path = url.pathname + url.search;
    received.push({
      method: request.method,
      path,
      authorization: request.headers.get("authorization"),
    });
    return jobsApi(request.method, path);
  });
  const calls: string[] = [];
  const errors: string[] = [];
  const logs = createLogStore();
  const traces = createTraceStore();
  const act = (verb: string) => (name: string) => {
    calls.push(`${verb} ${name}`);
    return name === "users" ? Promise.resolve() : Promise.reject(new Error(`${name} is gone`));
  };
  const fixture: Omit<Fixture, "dashboard" | "send"> = {
    logs,
    traces,
    calls,
    errors,
    received,
    failResources: false,
  };
  const sources: DashboardSources = {
    workspace: "shop",
    resources() {
      if (fixture.failResources) throw new Error("the graph is gone");
      return RESOURCES;
    },
    restart: act("restart"),
    stop: act("stop"),
    logs,
    traces,
    panels: [PANEL, GONE_PANEL],
    transport: {
      serviceUrl: (name) =>
        name === "jobs-api" ? `http://127.0.0.1:${service.addr.port}` : undefined,
      authorization: () => Promise.resolve(CREDENTIAL),
    },
    usage: createUsageSampler(),
    onError: (message) => errors.push(message),
  };
  const dashboard = startDashboard(sources, 0);
  const send = async (path: string, init: RequestInit = {}): Promise<Answer> => {
    const response = await fetch(`${dashboard.url}${path}`, { redirect: "manual", ...init });
    return { status: response.status, headers: response.headers, text: await response.text() };
  };
  try {
    await test(Object.assign(fixture, { dashboard, send }));
  } finally {
    await dashboard.close();
    await service.shutdown();
  }
}

/** Sends raw HTTP/1.1 lines (the request line and headers) and reads the whole answer. */
async function sendRaw(port: number, head: readonly string[]): Promise<Answer> {
  const connection = await Deno.connect({ hostname: "127.0.0.1", port });
  await connection.write(
    new TextEncoder().encode([...head, "connection: close", "", ""].join("\r\n")),
  );
  const raw = await new Response(connection.readable).text();
  const [top = "", ...body] = raw.split("\r\n\r\n");
  const [statusLine = "", ...headerLines] = top.split("\r\n");
  const headers = new Headers();
  for (const line of headerLines) {
    const colon = line.indexOf(":");
    headers.append(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
  }
  return { status: Number(statusLine.split(" ")[1]), headers, text: body.join("\r\n\r\n") };
}

/** A form POST, as a browser sends from a dashboard page. */
function form(fields: Record<string, string>, headers: Record<string, string> = {}): RequestInit {
  return { method: "POST", body: new URLSearchParams(fields), headers };
}

/** Asserts the headers every dashboard answer carries. */
function assertSecured(answer: Answer, what: string): void {
  match(answer.headers.get("content-security-policy") ?? "", /default-src 'none'/, what);
  match(answer.headers.get("content-security-policy") ?? "", /frame-ancestors 'none'/, what);
  equal(answer.headers.get("x-content-type-options"), "nosniff", what);
  equal(answer.headers.get("referrer-policy"), "same-origin", what);
}

/** The `data-seq` of each log row in some markup, in order. */
function seqs(markup: string): number[] {
  return [...markup.matchAll(/data-seq="(\d+)"/g)].map((found) => Number(found[1]));
}

/** A span of {@linkcode TRACE} from service `users`, with id `id` padded to 16 hex digits. */
function span(id: string, fields: Partial<SpanRecord> = {}): SpanRecord {
  return testSpan(TRACE, id, { service: "users", startMs: 1_700_000_000_000, ...fields });
}

/** Reads Server-Sent Events from a stream: each event's data lines joined. */
function eventReader(body: ReadableStream<Uint8Array>) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  return {
    reader,
    /** The next `count` events, or fewer when the stream ends first. */
    async next(count: number): Promise<string[]> {
      const events: string[] = [];
      while (events.length < count) {
        const end = buffer.indexOf("\n\n");
        if (end >= 0) {
          const lines = buffer.slice(0, end).split("\n");
          buffer = buffer.slice(end + 2);
          events.push(
            lines.filter((line) => line.startsWith("data: ")).map((line) => line.slice(6)).join(
              "\n",
            ),
          );
          continue;
        }
        const chunk = await reader.read();
        if (chunk.done) break;
        buffer += chunk.value;
      }
      return events;
    },
  };
}

Deno.test("the resources page lists every resource, escaped, with the actions of processes", async () => {
  await withDashboard(async ({ send }) => {
    const page = await send("/");
    equal(page.status, 200);
    equal(page.headers.get("content-type"), "text/html; charset=utf-8");
    ok(page.text.includes("<title>Resources · shop · netscript dev</title>"), page.text);
    ok(page.text.includes('<th scope="row">users</th>'));
    ok(page.text.includes("mailer&lt;script&gt;alert(1)&lt;/script&gt;"));
    ok(page.text.includes("--allow-read=&lt;script&gt;alert(1)&lt;/script&gt;"));
    ok(!page.text.includes(HOSTILE), "no markup of a resource reaches the page");
    ok(page.text.includes('action="/resources/users/restart"'));
    ok(page.text.includes('action="/resources/users/stop"'));
    const mailer = encodeURIComponent(`mailer${HOSTILE}`);
    ok(page.text.includes(`action="/resources/${mailer}/restart"`), "a stopped one restarts");
    ok(!page.text.includes(`action="/resources/${mailer}/stop"`), "but does not stop");
    ok(!page.text.includes('action="/resources/db/'), "a store has no buttons");
    ok(page.text.includes('<a href="/panels/jobs">Jobs</a>'), "the panels are in the navigation");
    const rows = await send("/resources/rows");
    equal(rows.status, 200);
    ok(rows.text.trimStart().startsWith('<tr id="resource-users">'), rows.text);
    ok(rows.text.includes(">1m 5s<"), "the uptime");
    if (Deno.build.os === "linux") ok(rows.text.includes(" MiB<"), "this process's memory");
  });
});

Deno.test("every answer of the dashboard carries its security headers", async () => {
  await withDashboard(async (fixture) => {
    const { send, dashboard } = fixture;
    const answers: [string, Answer][] = [
      ["the resources page", await send("/")],
      ["the stylesheet", await send("/assets/dashboard.css")],
      ["the script", await send("/assets/dashboard.js")],
      ["a missing page", await send("/nothing")],
      ["a redirect", await send("/resources/users/restart", { method: "POST" })],
      ["a refused write", await send("/resources/users/stop", form({}, { origin: "http://x" }))],
      ["a wrong method", await send("/", { method: "PUT" })],
      ["a foreign host", await sendRaw(dashboard.port, ["GET / HTTP/1.1", "host: evil.test"])],
    ];
    fixture.failResources = true;
    answers.push(["a failure", await send("/")]);
    for (const [what, answer] of answers) assertSecured(answer, what);
    deepEqual(answers.map(([what, answer]) => [what, answer.status]), [
      ["the resources page", 200],
      ["the stylesheet", 200],
      ["the script", 200],
      ["a missing page", 404],
      ["a redirect", 303],
      ["a refused write", 403],
      ["a wrong method", 405],
      ["a foreign host", 403],
      ["a failure", 500],
    ]);
  });
});

Deno.test("a failure to answer is reported to the runner, not shown", async () => {
  await withDashboard(async (fixture) => {
    fixture.failResources = true;
    const answer = await fixture.send("/");
    equal(answer.status, 500);
    ok(!answer.text.includes("the graph is gone"), answer.text);
    deepEqual(fixture.errors, ["the dashboard failed to answer /: the graph is gone"]);
  });
});

Deno.test("a path that is not valid percent-encoding is 400, not a failure", async () => {
  await withDashboard(async ({ send, errors }) => {
    for (const path of ["/traces/%E0%A4%A", "/panels/%", "/resources/%ZZ/restart"]) {
      const method = path.startsWith("/resources") ? "POST" : "GET";
      equal((await send(path, { method })).status, 400, path);
    }
    deepEqual(errors, []);
  });
});

Deno.test("the dashboard answers only requests addressed to 127.0.0.1 or localhost at its port", async () => {
  await withDashboard(async ({ dashboard, calls, received }) => {
    const { port } = dashboard;
    for (const host of ["evil.test", `evil.test:${port}`, `127.0.0.1:${port + 1}`, "127.0.0.1"]) {
      const answer = await sendRaw(port, ["GET / HTTP/1.1", `host: ${host}`]);
      equal(answer.status, 403, host);
      ok(answer.text.includes("only at 127.0.0.1 or localhost"), answer.text);
    }
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`]) {
      const answer = await sendRaw(port, ["GET / HTTP/1.1", `host: ${host}`]);
      equal(answer.status, 200, host);
    }
    const rebound = await sendRaw(port, [
      "POST /resources/users/restart HTTP/1.1",
      `host: evil.test:${port}`,
      "content-length: 0",
    ]);
    equal(rebound.status, 403);
    const action = await sendRaw(port, [
      "POST /panels/jobs/views/1/actions/0 HTTP/1.1",
      `host: evil.test:${port}`,
      "content-type: application/x-www-form-urlencoded",
      "content-length: 5",
      "",
      "id=j1",
    ]);
    equal(action.status, 403);
    deepEqual(calls, []);
    deepEqual(received, []);
  });
});

Deno.test("a write from another site is refused and does nothing", async () => {
  await withDashboard(async ({ send, dashboard, calls, received }) => {
    const foreign: Record<string, string>[] = [
      { "sec-fetch-site": "cross-site" },
      { "sec-fetch-site": "same-site" },
      { origin: "http://evil.test" },
      { origin: `http://localhost:${dashboard.port}` },
      { origin: "null" },
    ];
    for (const headers of foreign) {
      const label = JSON.stringify(headers);
      equal((await send("/resources/users/restart", form({}, headers))).status, 403, label);
      equal((await send("/resources/users/stop", form({}, headers))).status, 403, label);
      const action = await send("/panels/jobs/views/1/actions/0", form({ id: "j1" }, headers));
      equal(action.status, 403, label);
      ok(action.text.includes("refuses writes from another site"), action.text);
    }
    deepEqual(calls, []);
    deepEqual(received, []);
    const own: Record<string, string>[] = [
      { "sec-fetch-site": "same-origin" },
      { "sec-fetch-site": "none" },
      { origin: dashboard.url },
      {},
    ];
    for (const headers of own) {
      equal((await send("/resources/users/restart", form({}, headers))).status, 303);
    }
    equal(calls.length, own.length);
  });
});

Deno.test("restart and stop call the runner and go back to the resources", async () => {
  await withDashboard(async ({ send, calls, errors }) => {
    const restart = await send("/resources/users/restart", { method: "POST" });
    equal(restart.status, 303);
    equal(restart.headers.get("location"), "/");
    const stop = await send("/resources/users/stop", { method: "POST" });
    equal(stop.status, 303);
    const mailer = encodeURIComponent(`mailer${HOSTILE}`);
    equal((await send(`/resources/${mailer}/restart`, { method: "POST" })).status, 303);
    deepEqual(calls, ["restart users", "stop users", `restart mailer${HOSTILE}`]);
    await new Promise((resolve) => setTimeout(resolve, 0));
    deepEqual(errors, [`restart of mailer${HOSTILE} failed: mailer${HOSTILE} is gone`]);
  });
});

Deno.test("an unknown resource, a store, an unknown verb or page is 404", async () => {
  await withDashboard(async ({ send, calls }) => {
    for (
      const path of [
        "/resources/nobody/restart",
        "/resources/db/restart",
        "/resources/db/stop",
        "/resources/users/kill",
        "/resources/users",
        "/panels/jobs/views/1/actions/9",
        "/panels/jobs/views/0/actions/0",
        "/panels/nobody/views/1/actions/0",
      ]
    ) {
      const answer = await send(path, form({ id: "j1" }));
      equal(answer.status, 404, path);
    }
    for (const path of ["/nothing", "/panels/nobody", "/panels/jobs/views/0/detail?id=j1"]) {
      const answer = await send(path);
      equal(answer.status, 404, path);
      ok(answer.text.includes("<title>Not found · shop · netscript dev</title>"), path);
    }
    deepEqual(calls, []);
  });
});

Deno.test("a panel shows its counts and table rows read from the plugin's service with a credential", async () => {
  await withDashboard(async ({ send, received }) => {
    const page = await send("/panels/jobs");
    equal(page.status, 200);
    match(page.text, /<a href="\/panels\/jobs"\s+aria-current="page"\s*>Jobs<\/a>/);
    ok(page.text.includes("contributed by workers"), page.text);
    match(page.text, /<dt>queued<\/dt>\s*<dd>3<\/dd>/);
    match(page.text, /<dt>dead<\/dt>\s*<dd>1<\/dd>/);
    ok(!page.text.includes("not a number"), "a count that is not a number is left out");
    match(page.text, /<td>j1<\/td><td>&lt;b&gt;send&lt;\/b&gt;<\/td>/);
    match(page.text, /<td>j2<\/td><td>report<\/td>/);
    ok(page.text.includes('href="/panels/jobs/views/1/detail?id=j1"'));
    ok(page.text.includes('href="/panels/jobs/views/1/detail?id=j2"'));
    equal(page.text.match(/<button>Redrive<\/button>/g)?.length, 1, "only the dead job");
    ok(page.text.includes('action="/panels/jobs/views/1/actions/0"'));
    ok(page.text.includes('<input type="hidden" name="id" value="j1">'));
    deepEqual(
      received.map(({ method, path, authorization }) => [method, path, authorization]).sort(),
      [["GET", "/api/jobs?limit=50", CREDENTIAL], ["GET", "/api/stats", CREDENTIAL]],
    );
  });
});

Deno.test("a panel whose service is not running says so in place of its views", async () => {
  await withDashboard(async ({ send }) => {
    const page = await send("/panels/streams");
    equal(page.status, 200);
    ok(page.text.includes("streams-api is not part of this run"), page.text);
  });
});

Deno.test("a panel action posts to the filled route, and the page shows its outcome once", async () => {
  await withDashboard(async ({ send, received }) => {
    const action = await send(
      "/panels/jobs/views/1/actions/0",
      form({ id: "j1" }, { "sec-fetch-site": "same-origin" }),
    );
    equal(action.status, 303);
    const location = action.headers.get("location") ?? "";
    match(location, /^\/panels\/jobs\?notice=[0-9a-f-]{36}$/);
    deepEqual(received, [{
      method: "POST",
      path: "/api/jobs/j1/redrive",
      authorization: CREDENTIAL,
    }]);
    const first = await send(location);
    match(
      first.text,
      /<p class="notice" role="status">Redrive: done \(\/api\/jobs\/j1\/redrive\)<\/p>/,
    );
    const again = await send(location);
    equal(again.status, 200);
    ok(!again.text.includes("Redrive: done"), "a notice is shown once");
    ok(!again.text.includes('class="notice'), again.text);
  });
});

Deno.test("a failed panel action shows the service's error code and message", async () => {
  await withDashboard(async ({ send }) => {
    const action = await send("/panels/jobs/views/1/actions/0", form({ id: "busy" }));
    equal(action.status, 303);
    const page = await send(action.headers.get("location") ?? "");
    ok(
      page.text.includes(
        '<p class="notice error" role="status">Redrive failed: jobs-api answered 409 JOB_NOT_DEAD: Only a dead job can be redriven</p>',
      ),
      page.text,
    );
  });
});

Deno.test("a panel action refuses a missing value or a dot segment, and encodes a slash", async () => {
  await withDashboard(async ({ send, received }) => {
    for (const fields of [{ id: ".." }, { id: "." }, { id: "" }, {}, { other: "j1" }]) {
      const answer = await send("/panels/jobs/views/1/actions/0", form(fields));
      equal(answer.status, 400, JSON.stringify(fields));
    }
    const json = await send("/panels/jobs/views/1/actions/0", {
      method: "POST",
      body: JSON.stringify({ id: "j1" }),
      headers: { "content-type": "application/json" },
    });
    equal(json.status, 415);
    equal(received.length, 0, "the service was not called");
    equal((await send("/panels/jobs/views/1/actions/0", form({ id: "../j1" }))).status, 303);
    equal((await send("/panels/jobs/views/1/actions/0", form({ id: "a/b?c" }))).status, 303);
    deepEqual(received.map((request) => request.path), [
      "/api/jobs/..%2Fj1/redrive",
      "/api/jobs/a%2Fb%3Fc/redrive",
    ]);
  });
});

Deno.test("a row's detail page lists the detail route's list", async () => {
  await withDashboard(async ({ send, received }) => {
    const page = await send("/panels/jobs/views/1/detail?id=j1");
    equal(page.status, 200);
    ok(page.text.includes("<title>Jobs: Dead letters · shop · netscript dev</title>"), page.text);
    ok(page.text.includes('<p class="mono">/api/jobs/j1</p>'));
    match(page.text, /<th scope="col">Step<\/th><th scope="col">Status<\/th><\/tr>/);
    match(page.text, /<td>charge<\/td><td>ok<\/td>/);
    match(page.text, /<td>ship<\/td><td><span class="muted">—<\/span><\/td>/);
    deepEqual(received, [{ method: "GET", path: "/api/jobs/j1", authorization: CREDENTIAL }]);
    for (const query of ["", "?id=", "?id=..", "?id=."]) {
      const refused = await send(`/panels/jobs/views/1/detail${query}`);
      equal(refused.status, 400, query);
    }
    equal(received.length, 1);
    const missing = await send("/panels/jobs/views/1/detail?id=j9");
    ok(missing.text.includes("jobs-api answered 404 NOT_FOUND: No route /api/jobs/j9"));
  });
});

Deno.test("the logs page filters by resource, level, text and trace", async () => {
  await withDashboard(async ({ send, logs }) => {
    logs.add("users", "stdout", "Listening on http://127.0.0.1:8001/");
    logs.add("users", "stdout", JSON.stringify({ level: "error", msg: "crash", traceId: TRACE }));
    logs.add("db", "stderr", "slow query");
    logs.add("users", "stdout", JSON.stringify({ level: "debug", msg: "Cache miss" }));
    const cases: [string, number[]][] = [
      ["", [1, 2, 3, 4]],
      ["?resource=users", [1, 2, 4]],
      ["?level=warn", [2, 3]],
      ["?level=shout", [1, 2, 3, 4]],
      ["?text=CACHE", [4]],
      [`?trace=${TRACE.toUpperCase()}`, [2]],
      ["?resource=users&level=info&text=listening", [1]],
    ];
    for (const [query, expected] of cases) {
      const page = await send(`/logs${query}`);
      equal(page.status, 200, query);
      deepEqual(seqs(page.text), expected, query);
    }
    const page = await send("/logs?resource=users&text=a%3Cb");
    ok(page.text.includes('data-live="/logs/stream?resource=users&amp;text=a%3Cb&amp;after=0"'));
    const some = await send("/logs?resource=users");
    ok(some.text.includes('data-live="/logs/stream?resource=users&amp;after=4"'), some.text);
    match(some.text, /<option\s+selected\s*>users<\/option>/);
  });
});

Deno.test("the log stream sends the lines after the given one, then live lines that match", async () => {
  await withDashboard(async ({ dashboard, logs }) => {
    logs.add("users", "stdout", "one");
    logs.add("db", "stdout", "two");
    logs.add("users", "stdout", "three");
    logs.add("users", "stdout", "four");
    const aborted = new AbortController();
    const response = await fetch(`${dashboard.url}/logs/stream?resource=users&after=1`, {
      signal: aborted.signal,
    });
    equal(response.status, 200);
    equal(response.headers.get("content-type"), "text/event-stream");
    const events = eventReader(response.body!);
    const backlog = await events.next(2);
    deepEqual(backlog.map(seqs), [[3], [4]]);
    for (const event of backlog) ok(event.trimStart().startsWith("<tr data-seq="), event);
    ok(backlog[0]!.includes("<pre>three</pre>"), backlog[0]);
    logs.add("db", "stdout", "not this one");
    logs.add("users", "stdout", JSON.stringify({ msg: "line one\nline two" }));
    const [live] = await events.next(1);
    deepEqual(seqs(live!), [6]);
    ok(live!.includes("<pre>line one\nline two</pre>"), live);
    aborted.abort();
    await events.reader.cancel().catch(() => {});
  });
});

Deno.test("closing the dashboard ends an open log stream", async () => {
  await withDashboard(async ({ dashboard, logs }) => {
    logs.add("users", "stdout", "one");
    const response = await fetch(`${dashboard.url}/logs/stream`);
    const events = eventReader(response.body!);
    deepEqual((await events.next(1)).map(seqs), [[1]]);
    await dashboard.close();
    // Deno's shutdown cuts the connection under a streaming answer: the end may read as an error.
    const ended = await events.next(1).then((more) => more.length === 0, () => true);
    ok(ended, "the stream ended");
  });
});

Deno.test("the traces pages list traces and draw a trace's waterfall", async () => {
  await withDashboard(async ({ send, traces }) => {
    const other = "1".repeat(32);
    traces.add([
      span("a", { name: "GET", kind: "server", attributes: { "http.route": "/api/users" } }),
      span("b", {
        name: "select <users>",
        service: "db",
        parentSpanId: "a".padStart(16, "0"),
        startMs: 1_700_000_000_002,
        durationMs: 5,
        status: "error",
        statusMessage: "deadlock",
      }),
      span("c", { traceId: other, name: "tick", service: "mailer", startMs: 1_700_000_001_000 }),
    ]);
    const list = await send("/traces");
    equal(list.status, 200);
    ok(list.text.includes(`<a href="/traces/${TRACE}">GET /api/users</a>`), list.text);
    ok(list.text.includes(`<a href="/traces/${other}">tick</a>`));
    ok(list.text.indexOf(other) < list.text.indexOf(TRACE), "newest first");
    const filtered = await send("/traces?service=db");
    ok(filtered.text.includes(TRACE));
    ok(!filtered.text.includes(`/traces/${other}`));
    match(filtered.text, /<option\s+selected\s*>db<\/option>/);
    const waterfall = await send(`/traces/${TRACE.toUpperCase()}`);
    equal(waterfall.status, 200);
    ok(waterfall.text.includes(`<span class="mono">${TRACE}</span>`), waterfall.text);
    ok(waterfall.text.includes("select &lt;users&gt;"));
    match(waterfall.text, /<summary>GET \/api\/users\s*<\/summary>/, "an HTTP span by its route");
    ok(waterfall.text.includes("error: deadlock"));
    match(waterfall.text, /padding-left: 24px">\s*<details>\s*<summary>select &lt;users&gt;/);
    const missing = await send(`/traces/${"2".repeat(32)}`);
    equal(missing.status, 404);
    ok(missing.text.includes(`No trace ${"2".repeat(32)} has arrived`), missing.text);
  });
});

Deno.test("the OTLP endpoints are wired to the trace store", async () => {
  await withDashboard(async ({ send, traces }) => {
    const garbage = await send("/v1/traces", {
      method: "POST",
      body: new Uint8Array([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f]),
      headers: { "content-type": "application/x-protobuf" },
    });
    equal(garbage.status, 400);
    ok(garbage.text.startsWith("Cannot decode the OTLP trace export (protobuf)"), garbage.text);
    const exported = await send("/v1/traces", {
      method: "POST",
      body: JSON.stringify({
        resourceSpans: [{
          resource: { attributes: [{ key: "service.name", value: { stringValue: "users" } }] },
          scopeSpans: [{
            spans: [{
              traceId: TRACE,
              spanId: "b7ad6b7169203331",
              name: "checkout",
              startTimeUnixNano: "1700000000000000000",
              endTimeUnixNano: "1700000000002000000",
            }],
          }],
        }],
      }),
      headers: { "content-type": "application/json" },
    });
    equal(exported.status, 200);
    deepEqual(traces.list().map((trace) => [trace.traceId, trace.rootName]), [[
      TRACE,
      "checkout",
    ]]);
    const logsExport = await send("/v1/logs", {
      method: "POST",
      body: "{}",
      headers: { "content-type": "application/json" },
    });
    equal(logsExport.status, 200);
  });
});

import { deepEqual, equal, ok, rejects } from "node:assert/strict";
import { NetScriptError } from "@netscript/contracts/errors";
import type { ProcessResource } from "@netscript/plugin";
import { waitHealthy } from "./wait_healthy.ts";

/** A port nothing listens on right now. */
function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

function service(port: number | undefined, health?: string): ProcessResource {
  return {
    name: "api",
    kind: "service",
    entrypoint: "main.ts",
    ...(port === undefined ? {} : { port }),
    ...(health === undefined ? {} : { health }),
    env: {},
    permissions: {},
    flags: [],
    waitFor: [],
    passEnv: [],
  };
}

/** Runs `code` with `deno eval`, `PORT` in its environment; stops it when `use` ends. */
async function withProcess(
  port: number,
  code: string,
  use: (child: Deno.ChildProcess) => Promise<void>,
): Promise<void> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["eval", code],
    env: { PORT: String(port) },
    stdin: "null",
    stdout: "null",
    stderr: "null",
  }).spawn();
  try {
    await use(child);
  } finally {
    try {
      child.kill("SIGKILL");
    } catch {
      // it exited
    }
    await child.status;
  }
}

/** Resolves once something accepts connections on `port`. */
async function untilListening(port: number): Promise<void> {
  for (;;) {
    try {
      (await Deno.connect({ hostname: "127.0.0.1", port })).close();
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}

const SERVE = `const port = Number(Deno.env.get("PORT"));
const options = { hostname: "127.0.0.1", port, onListen() {} };`;

function isTimeout(pattern: RegExp) {
  return (error: unknown) => {
    ok(error instanceof NetScriptError, String(error));
    equal(error.code, "DEV_HEALTH_TIMEOUT");
    ok(pattern.test(error.message), error.message);
    return true;
  };
}

Deno.test("waitHealthy() resolves once the service's health path answers 2xx", async () => {
  const port = freePort();
  await withProcess(
    port,
    `${SERVE}
let calls = 0;
Deno.serve(options, (request) =>
  new URL(request.url).pathname === "/ready" && ++calls > 2
    ? new Response("ok")
    : new Response("not yet", { status: 503 }));`,
    async (child) => {
      await waitHealthy(service(port, "/ready"), child, { timeoutMs: 60_000, intervalMs: 10 });
    },
  );
});

Deno.test("waitHealthy() times out when nothing listens", async () => {
  const port = freePort();
  await withProcess(port, "setInterval(() => {}, 1_000);", async (child) => {
    await rejects(
      waitHealthy(service(port), child, { timeoutMs: 200, intervalMs: 10 }),
      (error: unknown) => {
        isTimeout(new RegExp(`^api did not answer /health on port ${port} within 200 ms$`))(error);
        deepEqual((error as NetScriptError).details, { resource: "api", port });
        return true;
      },
    );
  });
});

Deno.test("waitHealthy() cuts off a health request that never answers", async () => {
  const port = freePort();
  await withProcess(
    port,
    `${SERVE}
Deno.serve(options, () => new Promise(() => {}));`,
    async (child) => {
      await untilListening(port);
      await rejects(
        waitHealthy(service(port), child, { timeoutMs: 300, intervalMs: 10 }),
        isTimeout(/did not answer \/health/),
      );
    },
  );
});

Deno.test("waitHealthy() stops waiting when the process exits", async () => {
  const port = freePort();
  await withProcess(port, "Deno.exit(1);", async (child) => {
    await rejects(
      waitHealthy(service(port), child, { timeoutMs: 600_000, intervalMs: 10 }),
      isTimeout(/^api exited before answering \/health on port \d+; see its output above$/),
    );
  });
});

/** A service whose /health answers 503 with a report where `error` fails, from `fail()`. */
const FAILING = `${SERVE}
let calls = 0;
Deno.serve(options, () => {
  calls++;
  return Response.json({
    status: "fail",
    checks: [{ name: "database", status: "fail", durationMs: 1, error: fail() }],
    failing: ["database"],
  }, { status: 503 });
});`;

Deno.test("waitHealthy() stops with DEV_HEALTH_FAILED when the same check keeps failing", async () => {
  const port = freePort();
  await withProcess(
    port,
    `const fail = () => "\\nInvalid invocation:\\n\\nDatabase \\\`app\\\` does not exist on the database server";
${FAILING}`,
    async (child) => {
      await rejects(
        waitHealthy(service(port), child, {
          timeoutMs: 600_000,
          failAfterMs: 200,
          failingIntervalMs: 10,
        }),
        (error: unknown) => {
          ok(error instanceof NetScriptError, String(error));
          equal(error.code, "DEV_HEALTH_FAILED");
          equal(
            error.message,
            `api answers /health on port ${port} with 503 (database: Database \`app\` does not exist on the database server); create it with netscript db create, then apply the migrations with netscript db deploy`,
          );
          deepEqual(error.details, {
            resource: "api",
            port,
            status: 503,
            failure: "database: Database `app` does not exist on the database server",
          });
          return true;
        },
      );
    },
  );
});

Deno.test("waitHealthy() keeps waiting while the failure changes, and says what failed last at the deadline", async () => {
  const port = freePort();
  await withProcess(port, `const fail = () => "attempt " + calls;\n${FAILING}`, async (child) => {
    await untilListening(port);
    await rejects(
      waitHealthy(service(port), child, {
        timeoutMs: 500,
        failAfterMs: 100,
        failingIntervalMs: 10,
      }),
      isTimeout(
        /^api did not answer \/health on port \d+ within 500 ms \(it answers 503: database: attempt \d+\)$/,
      ),
    );
  });
});

Deno.test("waitHealthy() rejects a resource without a port", async () => {
  await withProcess(freePort(), "Deno.exit(0);", async (child) => {
    await rejects(waitHealthy(service(undefined), child), TypeError);
  });
});

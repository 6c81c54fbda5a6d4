import { deepEqual, equal, match, ok, rejects } from "node:assert/strict";
import { startProgram } from "../../tests/support/process.ts";
import { capturedLogger } from "../../tests/support/captured_logger.ts";
import { createUsersService } from "./testdata/users_service.ts";

const SERVER = new URL("./testdata/serve_users.ts", import.meta.url);
const PERMISSIONS = ["--allow-net=127.0.0.1", "--allow-env=PORT,SHUTDOWN_TIMEOUT_MS"];

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

async function listening(program: ReturnType<typeof startProgram>): Promise<URL> {
  const record = await program.waitForRecord((r) => r.msg === "service listening");
  return new URL(record.url as string);
}

Deno.test("serve() listens on the PORT environment variable, with only net and env permissions", async () => {
  const port = freePort();
  await using program = startProgram(SERVER, {
    permissions: PERMISSIONS,
    env: { PORT: String(port) },
  });
  const url = await listening(program);
  equal(Number(url.port), port);
  const response = await fetch(new URL("/api/users/1", url));
  deepEqual(await response.json(), { id: "1", name: "Ada", age: 36 });
  const script = await fetch(new URL("/api/docs/scalar.js", url));
  equal(script.status, 200, "the docs bundle loads without --allow-read");
  await script.body?.cancel();
});

Deno.test("serve() rejects a PORT that is not a port number", async () => {
  await using program = startProgram(SERVER, { permissions: PERMISSIONS, env: { PORT: "http" } });
  const status = await program.finished;
  ok(!status.success);
  const stderr = program.stderr.join("\n");
  match(stderr, /SERVICE_INVALID_PORT|PORT="http"/);
  match(stderr, /integer from 0 to 65535/);
});

Deno.test("SIGTERM stops accepting, finishes in-flight requests, then exits 0", async () => {
  await using program = startProgram(SERVER, { permissions: PERMISSIONS, env: { PORT: "0" } });
  const url = await listening(program);
  const inFlight = fetch(new URL("/api/slow?ms=700", url));
  await new Promise((resolve) => setTimeout(resolve, 150));
  program.child.kill("SIGTERM");
  const response = await inFlight;
  equal(response.status, 200);
  deepEqual(await response.json(), { waited: 700 });
  const status = await program.finished;
  equal(status.code, 0);
  const messages = program.stdout.map((line) => JSON.parse(line).msg);
  ok(messages.includes("service stopping"));
  ok(messages.indexOf("onShutdown ran") > messages.indexOf("service stopping"));
  const stopped = program.stdout.map((line) => JSON.parse(line)).find((r) =>
    r.msg === "service stopped"
  );
  equal(stopped?.graceful, true);
  await rejects(fetch(new URL("/alive", url)));
});

Deno.test("a shutdown that outlasts shutdownTimeoutMs gives up on the request and exits 1", async () => {
  await using program = startProgram(SERVER, {
    permissions: PERMISSIONS,
    env: { PORT: "0", SHUTDOWN_TIMEOUT_MS: "100" },
  });
  const url = await listening(program);
  const inFlight = fetch(new URL("/api/slow?ms=30000", url)).then(
    (response) => response.body?.cancel(),
    () => undefined,
  );
  await new Promise((resolve) => setTimeout(resolve, 150));
  program.child.kill("SIGINT");
  const status = await program.finished;
  equal(status.code, 1);
  const timedOut = program.stderr.map((line) => JSON.parse(line)).find((r) =>
    r.msg === "shutdown timed out with requests still in flight"
  );
  equal(timedOut?.inFlight, 1);
  await inFlight;
});

/** Whether a TCP connection to `hostname:port` is accepted. */
async function accepts(hostname: string, port: number): Promise<boolean> {
  try {
    (await Deno.connect({ hostname, port })).close();
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.ConnectionRefused) return false;
    throw error;
  }
}

Deno.test("serve() listens on 127.0.0.1 unless told otherwise", async (t) => {
  // Linux routes all of 127.0.0.0/8 to loopback: a server on every interface
  // answers on 127.0.0.2, one on 127.0.0.1 only does not.
  const otherLoopback = Deno.build.os === "linux";
  await t.step("by default", async () => {
    const ambient = Deno.env.get("HOST");
    Deno.env.delete("HOST");
    try {
      const { logger } = capturedLogger("users");
      await using running = createUsersService({ logger }).serve({ port: 0, handleSignals: false });
      equal(running.hostname, "127.0.0.1");
      equal(running.url.hostname, "127.0.0.1");
      ok(await accepts("127.0.0.1", running.port));
      if (otherLoopback) equal(await accepts("127.0.0.2", running.port), false);
    } finally {
      if (ambient !== undefined) Deno.env.set("HOST", ambient);
    }
  });
  await t.step("with hostname 0.0.0.0, on every interface", async () => {
    const { logger } = capturedLogger("users");
    await using running = createUsersService({ logger }).serve({
      port: 0,
      hostname: "0.0.0.0",
      handleSignals: false,
    });
    equal(running.hostname, "0.0.0.0");
    equal(running.url.hostname, "127.0.0.1", "the URL stays one a local client can open");
    if (otherLoopback) ok(await accepts("127.0.0.2", running.port));
  });
});

Deno.test("serve() listens where HOST says when it may read it", async () => {
  await using program = startProgram(SERVER, {
    permissions: ["--allow-net=0.0.0.0", "--allow-env=PORT,HOST,SHUTDOWN_TIMEOUT_MS"],
    env: { PORT: "0", HOST: "0.0.0.0" },
  });
  const record = await program.waitForRecord((r) => r.msg === "service listening");
  equal(record.hostname, "0.0.0.0");
});

Deno.test("serve() ignores HOST it may not read and stays on 127.0.0.1", async () => {
  await using program = startProgram(SERVER, {
    permissions: PERMISSIONS,
    env: { PORT: "0", HOST: "0.0.0.0" },
  });
  const record = await program.waitForRecord((r) => r.msg === "service listening");
  equal(record.hostname, "127.0.0.1");
});

/**
 * The service layer under the attacks of issue 13, on real ports: bodies
 * declared but never sent, bodies that never finish. Each attack is
 * reproduced and must now be harmless: answered in time, at a bounded cost
 * in memory.
 */
import { equal, match, ok } from "node:assert/strict";
import { createUsersService } from "../packages/service/testdata/users_service.ts";
import { startProgram } from "./support/process.ts";
import { capturedLogger } from "./support/captured_logger.ts";

const SERVER = new URL("../packages/service/testdata/serve_users.ts", import.meta.url);
const PERMISSIONS = ["--allow-net=127.0.0.1", "--allow-env=PORT,SHUTDOWN_TIMEOUT_MS"];
const ENCODER = new TextEncoder();

/** Reads what the server sends until `pattern` appears in it. */
async function readUntil(conn: Deno.Conn, pattern: RegExp): Promise<string> {
  const decoder = new TextDecoder();
  const buffer = new Uint8Array(16_384);
  let text = "";
  while (!pattern.test(text)) {
    const read = await conn.read(buffer);
    if (read === null) throw new Error(`the connection closed after ${JSON.stringify(text)}`);
    text += decoder.decode(buffer.subarray(0, read));
  }
  return text;
}

/** Opens a connection and sends request headers plus the first bytes of a longer body. */
async function startBody(
  port: number,
  path: string,
  declared: number,
  sent: string,
): Promise<Deno.Conn> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  await conn.write(ENCODER.encode(
    `POST ${path} HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\n` +
      `content-length: ${declared}\r\n\r\n${sent}`,
  ));
  return conn;
}

Deno.test("a body that never finishes is answered 408 within bodyTimeoutMs", async (t) => {
  const { logger } = capturedLogger("users");
  await using running = createUsersService({ logger, logRequests: false, bodyTimeoutMs: 300 })
    .serve({ port: 0, handleSignals: false });
  for (const path of ["/api/users", "/api/rpc/users/create"]) {
    await t.step(path, async () => {
      const conn = await startBody(running.port, path, 1_000, '{"name":"slow"');
      try {
        const answer = await readUntil(conn, /"TIMEOUT"/);
        match(answer, /^HTTP\/1\.1 408 /);
        match(answer, /\r\nconnection: close\r\n/);
      } finally {
        conn.close();
      }
    });
  }
  await t.step("a body that arrives in time is still served", async () => {
    const response = await fetch(new URL("/api/users", running.url), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "Ada", age: 36 }),
    });
    equal(response.status, 200);
    await response.body?.cancel();
  });
});

Deno.test("a declared body over maxBodyBytes is answered 413 without waiting for it", async (t) => {
  const { logger } = capturedLogger("users");
  await using running = createUsersService({ logger, logRequests: false, maxBodyBytes: 1_024 })
    .serve({ port: 0, handleSignals: false });
  for (const path of ["/api/users", "/api/rpc/users/create"]) {
    await t.step(path, async () => {
      const conn = await startBody(running.port, path, 1_000_000, '{"name":"big"');
      try {
        const answer = await readUntil(conn, /"PAYLOAD_TOO_LARGE"/);
        match(answer, /^HTTP\/1\.1 413 /);
        match(answer, /\r\nconnection: close\r\n/);
      } finally {
        conn.close();
      }
    });
  }
});

/** The resident memory of a Linux process, in MiB. */
async function rssMiB(pid: number): Promise<number> {
  const status = await Deno.readTextFile(`/proc/${pid}/status`);
  const kib = Number(/^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1]);
  ok(Number.isFinite(kib), "VmRSS is readable");
  return kib / 1024;
}

const CONNECTIONS = 200;
/** Declared per connection: what the attack hoped the server would allocate. */
const DECLARED = 1_000_000;
/**
 * What 200 half-sent bodies may add to the server's resident memory, while
 * they wait and after they close. Reading each body up to its declared
 * length cost +208 MiB (REST) and +408 MiB (RPC). Reading it in 16 KiB
 * chunks costs about +10 MiB while they wait and +20 MiB after they close
 * (the runtime keeps some of the heap it grew); 64 MiB leaves room for a
 * loaded machine while staying far below the attack's old cost.
 */
const BUDGET_MIB = 64;

/** Sends 200 declared-but-unsent bodies to `path` of a fresh server; returns RSS in MiB. */
async function attack(path: string): Promise<{ baseline: number; during: number; after: number }> {
  await using program = startProgram(SERVER, { permissions: PERMISSIONS, env: { PORT: "0" } });
  const record = await program.waitForRecord((r) => r.msg === "service listening");
  const port = Number(new URL(record.url as string).port);
  const pid = program.child.pid;
  const alive = async () => {
    const response = await fetch(`http://127.0.0.1:${port}/alive`);
    await response.body?.cancel();
  };
  // One real call first, so the handler's one-off allocations are in the baseline.
  const body = path.includes("rpc") ? { json: { name: "w", age: 1 } } : { name: "w", age: 1 };
  const warmUp = await fetch(`http://127.0.0.1:${port}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  await warmUp.body?.cancel();
  const baseline = await rssMiB(pid);
  const conns = await Promise.all(
    Array.from(
      { length: CONNECTIONS },
      () => startBody(port, path, DECLARED, `{"name":"${"x".repeat(1_000)}`),
    ),
  );
  let during: number;
  try {
    // The server answers behind them once it has taken every connection in.
    await alive();
    during = await rssMiB(pid);
  } finally {
    for (const conn of conns) conn.close();
  }
  await alive();
  return { baseline, during, after: await rssMiB(pid) };
}

Deno.test({
  name: "200 declared-but-unsent 1 MB bodies cost the server a bounded few MiB",
  ignore: Deno.build.os !== "linux",
  async fn(t) {
    for (const path of ["/api/users", "/api/rpc/users/create"]) {
      await t.step(path, async () => {
        const { baseline, during, after } = await attack(path);
        const report = `${path}: ${baseline.toFixed(1)} MiB at start, ${
          during.toFixed(1)
        } MiB with ${CONNECTIONS} bodies pending, ${after.toFixed(1)} MiB after they closed`;
        console.log(report);
        ok(during - baseline < BUDGET_MIB, `${report} (budget +${BUDGET_MIB} MiB)`);
        ok(after - baseline < BUDGET_MIB, `${report} (budget +${BUDGET_MIB} MiB)`);
      });
    }
  },
});

import { deepEqual, equal, ok } from "node:assert/strict";
import { oc } from "@orpc/contract";
import { implement, lazy } from "@orpc/server";
import { RPCHandler } from "@orpc/server/fetch";
import { z } from "zod";
import { createLogger, type Logger } from "@netscript/telemetry";
import { DirectRpc } from "./direct_rpc.ts";
import { createProcedureInterceptor, REQUEST_STATE } from "./procedure_interceptor.ts";

const contract = {
  echo: oc.input(z.object({ n: z.number() })).output(z.object({ n: z.number() })),
  when: oc.input(z.object({ at: z.date(), big: z.bigint() })).output(
    z.object({ next: z.date(), big: z.bigint() }),
  ),
  nested: {
    missing: oc.errors({ NOT_FOUND: { data: z.object({ id: z.string() }) } }).input(
      z.object({ id: z.string() }),
    ),
  },
  broken: oc.input(z.object({})),
  circular: oc.input(z.object({})),
  optional: oc.input(z.object({ n: z.number() }).optional()).output(z.string()),
};
const os = implement(contract).$context<{ headers: Headers }>();
const router = os.router({
  echo: os.echo.handler(({ input }) => ({ n: input.n })),
  when: os.when.handler(({ input }) => ({
    next: new Date(input.at.getTime() + 1_000),
    big: input.big + 1n,
  })),
  nested: {
    missing: os.nested.missing.handler(({ input, errors }) => {
      throw errors.NOT_FOUND({ message: `No ${input.id}`, data: { id: input.id } });
    }),
  },
  broken: os.broken.handler(() => {
    throw new Error("disk on fire");
  }),
  circular: os.circular.handler(() => {
    const value: Record<string, unknown> = {};
    value.self = value;
    return value;
  }),
  optional: os.optional.handler(({ input }) => input === undefined ? "none" : `n=${input.n}`),
});

function setup(logged: string[] = []) {
  const logger: Logger = createLogger({ service: "test", sink: (line) => void logged.push(line) });
  const interceptor = createProcedureInterceptor("test", logger);
  const handler = new RPCHandler(router, { clientInterceptors: [interceptor] });
  const direct = new DirectRpc(router, {
    clientInterceptors: [interceptor],
    maxBodyBytes: 1_048_576,
    bodyTimeoutMs: 5_000,
    logger,
  });
  return { handler, direct, logged };
}

function call(path: string, body: string | null, headers: Record<string, string> = {}): Request {
  return new Request(`http://localhost/api/rpc${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    ...(body === null ? {} : { body }),
  });
}

/** The answer as a client sees it: status, content type and body. */
async function seen(response: Response) {
  return {
    status: response.status,
    type: response.headers.get("content-type"),
    body: await response.text(),
  };
}

const context = () => ({ headers: new Headers(), [REQUEST_STATE]: { parent: undefined as never } });

Deno.test("a direct call answers exactly what oRPC's RPCHandler answers", async (t) => {
  const { handler, direct } = setup();
  const cases: [string, string, string | null, Record<string, string>?][] = [
    ["a valid call", "/echo", '{"json":{"n":1}}'],
    ["a charset in the content type", "/echo", '{"json":{"n":2}}', {
      "content-type": "application/json; charset=utf-8",
    }],
    [
      "dates and bigints carried in meta",
      "/when",
      JSON.stringify({
        json: { at: "2026-01-01T00:00:00.000Z", big: "41" },
        meta: [[1, "at"], [2, "big"]],
      }),
    ],
    ["an input that fails validation", "/echo", '{"json":{"n":"one"}}'],
    ["a body that is not JSON", "/echo", '{"json":'],
    ["an empty body", "/optional", ""],
    ["no body and no content type", "/optional", null, { "content-type": "" }],
    ["a declared error with data", "/nested/missing", '{"json":{"id":"u1"}}'],
    ["a handler that throws", "/broken", '{"json":{}}'],
    ["an output that cannot be encoded", "/circular", '{"json":{}}'],
  ];
  for (const [name, path, body, headers] of cases) {
    await t.step(name, async () => {
      const make = () =>
        headers?.["content-type"] === ""
          ? new Request(`http://localhost/api/rpc${path}`, { method: "POST" })
          : call(path, body, headers);
      const expected = make();
      const actual = make();
      ok(direct.accepts(actual, path), `${path} is answered directly`);
      const reference = await handler.handle(expected, { prefix: "/api/rpc", context: context() });
      ok(reference.matched);
      deepEqual(
        await seen(await direct.handle(actual, path, context())),
        await seen(reference.response),
      );
    });
  }
});

Deno.test("a direct call logs an output that cannot be encoded", async () => {
  const logged: string[] = [];
  const { direct } = setup(logged);
  const response = await direct.handle(call("/circular", '{"json":{}}'), "/circular", context());
  equal(response.status, 500);
  await response.body?.cancel();
  ok(
    logged.some((line) => {
      const record = JSON.parse(line);
      return record.msg === "response could not be encoded" && record.procedure === "circular";
    }),
    logged.join("\n"),
  );
});

Deno.test("only plain JSON calls to known procedures are answered directly", () => {
  const { direct } = setup();
  ok(direct.accepts(call("/nested/missing", "{}"), "/nested/missing"));
  equal(direct.accepts(call("/nested", "{}"), "/nested"), false, "a router, not a procedure");
  equal(direct.accepts(call("/nope", "{}"), "/nope"), false);
  equal(
    direct.accepts(new Request("http://localhost/api/rpc/echo?data=%7B%7D"), "/echo"),
    false,
    "a GET call",
  );
  equal(
    direct.accepts(
      call("/echo", "x", { "content-type": "multipart/form-data; boundary=x" }),
      "/echo",
    ),
    false,
    "a file upload",
  );
  equal(
    direct.accepts(
      call("/echo", "x", { "content-disposition": 'attachment; filename="a"' }),
      "/echo",
    ),
    false,
    "a file body",
  );
  const lazyRouter = { later: lazy(() => Promise.resolve({ default: router.echo })) };
  const lazyDirect = new DirectRpc(lazyRouter, {
    clientInterceptors: [],
    maxBodyBytes: 1_000,
    bodyTimeoutMs: 1_000,
    logger: createLogger({ service: "test", sink: () => {} }),
  });
  equal(lazyDirect.accepts(call("/later", "{}"), "/later"), false, "a lazy procedure");
});

Deno.test("a direct call refuses a body over the limit with 413 and closes the connection", async () => {
  const direct = new DirectRpc(router, {
    clientInterceptors: [],
    maxBodyBytes: 8,
    bodyTimeoutMs: 1_000,
    logger: createLogger({ service: "test", sink: () => {} }),
  });
  const response = await direct.handle(call("/echo", '{"json":{"n":12345}}'), "/echo", context());
  equal(response.status, 413);
  equal(response.headers.get("connection"), "close");
  equal((await response.json()).json.code, "PAYLOAD_TOO_LARGE");
});

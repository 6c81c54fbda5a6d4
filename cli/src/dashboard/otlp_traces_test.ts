import { deepEqual, equal, match, ok, rejects } from "node:assert/strict";
import { fileURLToPath } from "node:url";
import protobuf from "protobufjs/minimal.js";
import { receiveOtlp } from "./otlp_traces.ts";
import type { SpanRecord } from "./span_record.ts";

const CHILD = fileURLToPath(new URL("./testdata/otlp_child.ts", import.meta.url));
const HERE = fileURLToPath(new URL(".", import.meta.url));

/** A port nothing listens on right now. */
function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

/** What a real Deno process exported to a receiver built on `receiveOtlp`. */
interface ChildExport {
  spans: SpanRecord[];
  /** `path status content-type` of every export the receiver answered. */
  answered: string[];
  output: Deno.CommandOutput;
  before: number;
  after: number;
}

/**
 * Runs `testdata/otlp_child.ts` with Deno's OpenTelemetry on, exporting over
 * `protocol` to a receiver in this process, with no permission but the
 * network to its own port, and waits (10 s at most) for its three spans.
 */
async function exportFromChild(protocol: "http/protobuf" | "http/json"): Promise<ChildExport> {
  const spans: SpanRecord[] = [];
  const answered: string[] = [];
  const { promise: arrived, resolve } = Promise.withResolvers<void>();
  const receiver = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    async (request) => {
      const response = await receiveOtlp(request, (received) => {
        spans.push(...received);
        if (spans.length >= 3) resolve();
      });
      const type = response.headers.get("content-type");
      answered.push(`${new URL(request.url).pathname} ${response.status} ${type}`);
      return response;
    },
  );
  const port = freePort();
  const before = Date.now();
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--no-prompt", `--allow-net=127.0.0.1:${port}`, CHILD, String(port)],
    cwd: HERE,
    env: {
      OTEL_DENO: "true",
      OTEL_SERVICE_NAME: "greeter",
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${receiver.addr.port}`,
      OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
    },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const after = Date.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([arrived, new Promise((done) => timer = setTimeout(done, 10_000))]);
  clearTimeout(timer);
  await receiver.shutdown();
  return { spans, answered, output, before, after };
}

/** Checks the three spans of `otlp_child.ts` and how they link. */
function assertChildSpans({ spans, answered, output, before, after }: ChildExport) {
  const stderr = new TextDecoder().decode(output.stderr);
  equal(output.code, 0, stderr);
  equal(stderr, "", "the exporter needs no permission and reports no error");
  equal(new TextDecoder().decode(output.stdout), "hello\n");
  equal(spans.length, 3, JSON.stringify(spans));
  const client = spans.find((span) => span.kind === "client");
  const server = spans.find((span) => span.kind === "server");
  const custom = spans.find((span) => span.name === "load greeting");
  ok(client && server && custom, JSON.stringify(spans));
  match(client.traceId, /^[0-9a-f]{32}$/);
  match(client.spanId, /^[0-9a-f]{16}$/);
  deepEqual(spans.map((span) => span.traceId), [client.traceId, client.traceId, client.traceId]);
  deepEqual(spans.map((span) => span.service), ["greeter", "greeter", "greeter"]);
  equal(client.parentSpanId, null);
  equal(server.parentSpanId, client.spanId);
  equal(custom.parentSpanId, server.spanId);
  equal(client.name, "GET");
  equal(server.attributes["url.path"], "/greet");
  equal(server.attributes["http.request.method"], "GET");
  deepEqual(
    { kind: custom.kind, status: custom.status, message: custom.statusMessage },
    { kind: "internal", status: "error", message: "cache miss" },
  );
  deepEqual(custom.attributes, {
    "greeting.count": "3",
    "greeting.cached": "false",
    "greeting.tags": '["a","b"]',
  });
  equal(server.status, "unset");
  for (const span of spans) {
    ok(span.startMs >= before && span.startMs <= after, `${span.name} starts within the run`);
    ok(span.durationMs >= 0 && span.startMs + span.durationMs <= after, `${span.name} ends in it`);
  }
  ok(custom.startMs >= server.startMs, "the handler's span starts inside the server span");
  const contentType = answered[0]?.split(" ")[2];
  for (const path of ["/v1/traces", "/v1/logs", "/v1/metrics"]) {
    ok(answered.includes(`${path} 200 ${contentType}`), `${path} answered: ${answered}`);
  }
}

Deno.test("receiveOtlp() receives a Deno process's spans over http/protobuf", async () => {
  const exported = await exportFromChild("http/protobuf");
  assertChildSpans(exported);
  ok(exported.answered.every((line) => line.endsWith(" 200 application/x-protobuf")));
});

Deno.test("receiveOtlp() receives a Deno process's spans over http/json", async () => {
  const exported = await exportFromChild("http/json");
  assertChildSpans(exported);
  ok(exported.answered.every((line) => line.endsWith(" 200 application/json")));
});

/** A POST of `body` to `path` on a receiver. */
function post(path: string, body: BodyInit | null, headers: Record<string, string>): Request {
  return new Request(`http://127.0.0.1:4318${path}`, {
    method: "POST",
    body,
    headers,
    duplex: "half",
  } as RequestInit);
}

/** Calls `receiveOtlp` and returns its response with the spans it passed on. */
async function receive(request: Request, maxBodyBytes?: number) {
  const batches: SpanRecord[][] = [];
  const options = maxBodyBytes === undefined ? {} : { maxBodyBytes };
  const response = await receiveOtlp(request, (spans) => batches.push(spans), options);
  return { response, status: response.status, text: await response.text(), batches };
}

async function gzip(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream();
  return await new Response(stream.pipeThrough(new CompressionStream("gzip"))).bytes();
}

const JSON_EXPORT = {
  resourceSpans: [{
    resource: { attributes: [{ key: "host.name", value: { stringValue: "box" } }] },
    scopeSpans: [{
      scope: { name: "test" },
      spans: [{
        traceId: "0AF7651916CD43DD8448EB211C80319C",
        spanId: "B7AD6B7169203331",
        parentSpanId: "",
        name: "consume",
        kind: 5,
        startTimeUnixNano: 1_700_000_000_123_456_000,
        endTimeUnixNano: "1700000000125956000",
        attributes: [
          { key: "s", value: { stringValue: "text" } },
          { key: "i", value: { intValue: "42" } },
          { key: "big", value: { intValue: "9007199254740993" } },
          { key: "d", value: { doubleValue: 1.5 } },
          { key: "inf", value: { doubleValue: "Infinity" } },
          { key: "b", value: { boolValue: true } },
          { key: "bytes", value: { bytesValue: "AAEC" } },
          {
            key: "list",
            value: { arrayValue: { values: [{ intValue: 1 }, { stringValue: "x" }] } },
          },
          {
            key: "map",
            value: { kvlistValue: { values: [{ key: "k", value: { boolValue: false } }] } },
          },
          { key: "empty", value: {} },
        ],
        status: { code: 1 },
      }, {
        traceId: "0af7651916cd43dd8448eb211c80319c",
        spanId: "00f067aa0ba902b7",
        parentSpanId: "b7ad6b7169203331",
        name: "unfinished",
      }],
    }],
  }],
};

Deno.test("receiveOtlp() decodes OTLP/JSON: hex ids, int64 as strings or numbers, enum ints", async () => {
  const { status, text, response, batches } = await receive(
    post("/v1/traces", JSON.stringify(JSON_EXPORT), { "content-type": "application/json" }),
  );
  deepEqual({ status, text, type: response.headers.get("content-type") }, {
    status: 200,
    text: "{}",
    type: "application/json",
  });
  deepEqual(batches, [[{
    traceId: "0af7651916cd43dd8448eb211c80319c",
    spanId: "b7ad6b7169203331",
    parentSpanId: null,
    name: "consume",
    service: "unknown",
    kind: "consumer",
    startMs: 1_700_000_000_123.456,
    durationMs: 2.5,
    status: "ok",
    statusMessage: "",
    attributes: {
      s: "text",
      i: "42",
      big: "9007199254740993",
      d: "1.5",
      inf: "Infinity",
      b: "true",
      bytes: "AAEC",
      list: '[1,"x"]',
      map: '{"k":false}',
      empty: "",
    },
  }, {
    traceId: "0af7651916cd43dd8448eb211c80319c",
    spanId: "00f067aa0ba902b7",
    parentSpanId: "b7ad6b7169203331",
    name: "unfinished",
    service: "unknown",
    kind: "unspecified",
    startMs: 0,
    durationMs: 0,
    status: "unset",
    statusMessage: "",
    attributes: {},
  }]]);
});

/** Writes a length-delimited field `field` whose content `write` adds. */
function nested(writer: protobuf.Writer, field: number, write: () => void) {
  writer.uint32((field << 3) | 2).fork();
  write();
  writer.ldelim();
}

/** A `KeyValue` with a string value, written as field `field`. */
function stringAttribute(writer: protobuf.Writer, field: number, key: string, value: string) {
  nested(writer, field, () => {
    writer.uint32((1 << 3) | 2).string(key);
    nested(writer, 2, () => writer.uint32((1 << 3) | 2).string(value));
  });
}

/** A `KeyValue` of a span (field 9) whose `AnyValue` content `write` adds. */
function anyAttribute(writer: protobuf.Writer, key: string, write: () => void) {
  nested(writer, 9, () => {
    writer.uint32((1 << 3) | 2).string(key);
    nested(writer, 2, write);
  });
}

const TRACE_ID = Uint8Array.from({ length: 16 }, (_, index) => index + 1);
const SPAN_ID = Uint8Array.from({ length: 8 }, (_, index) => 0xf0 + index);

/**
 * An `ExportTraceServiceRequest` written field by field with the numbers of
 * opentelemetry-proto (independently of the receiver's schema), with fields
 * the receiver does not read in between.
 */
function wireExport(): Uint8Array {
  const writer = protobuf.Writer.create();
  nested(writer, 1, () => { // resource_spans
    nested(writer, 1, () => stringAttribute(writer, 1, "service.name", "billing")); // resource
    nested(writer, 2, () => { // scope_spans
      nested(writer, 1, () => writer.uint32((1 << 3) | 2).string("scope")); // scope
      nested(writer, 2, () => { // spans
        writer.uint32((1 << 3) | 2).bytes(TRACE_ID);
        writer.uint32((2 << 3) | 2).bytes(SPAN_ID);
        writer.uint32((3 << 3) | 2).string("vendor=1"); // trace_state
        writer.uint32((5 << 3) | 2).string("charge");
        writer.uint32((6 << 3) | 0).int32(3); // kind: client
        writer.uint32((7 << 3) | 1).fixed64("1700000000000000000");
        writer.uint32((8 << 3) | 1).fixed64("1700000000001500000");
        stringAttribute(writer, 9, "peer", "bank");
        nested(writer, 9, () => {
          writer.uint32((1 << 3) | 2).string("retries");
          nested(writer, 2, () => writer.uint32((3 << 3) | 0).int64(2)); // int_value
        });
        stringAttribute(writer, 9, "note", "café ✓ 😀");
        anyAttribute(writer, "ok", () => writer.uint32((2 << 3) | 0).bool(true));
        anyAttribute(writer, "ratio", () => writer.uint32((4 << 3) | 1).double(0.5));
        anyAttribute(writer, "big", () => writer.uint32((3 << 3) | 0).int64("9007199254740993"));
        anyAttribute(
          writer,
          "blob",
          () => writer.uint32((7 << 3) | 2).bytes(new Uint8Array([1, 2, 3])),
        );
        anyAttribute(writer, "tags", () =>
          nested(writer, 5, () => { // array_value
            nested(writer, 1, () => writer.uint32((1 << 3) | 2).string("a"));
            nested(writer, 1, () => writer.uint32((3 << 3) | 0).int64(1));
          }));
        anyAttribute(writer, "meta", () =>
          nested(writer, 6, () => { // kvlist_value
            stringAttribute(writer, 1, "k", "v");
          }));
        nested(writer, 11, () => writer.uint32((2 << 3) | 2).string("an event")); // events
        nested(writer, 15, () => { // status
          writer.uint32((2 << 3) | 2).string("declined");
          writer.uint32((3 << 3) | 0).int32(2);
        });
        writer.uint32((16 << 3) | 5).fixed32(1); // flags
      });
    });
  });
  return writer.finish();
}

const WIRE_SPAN: SpanRecord = {
  traceId: "0102030405060708090a0b0c0d0e0f10",
  spanId: "f0f1f2f3f4f5f6f7",
  parentSpanId: null,
  name: "charge",
  service: "billing",
  kind: "client",
  startMs: 1_700_000_000_000,
  durationMs: 1.5,
  status: "error",
  statusMessage: "declined",
  attributes: {
    peer: "bank",
    retries: "2",
    note: "café ✓ 😀",
    ok: "true",
    ratio: "0.5",
    big: "9007199254740993",
    blob: "AQID",
    tags: '["a",1]',
    meta: '{"k":"v"}',
  },
};

Deno.test("receiveOtlp() decodes protobuf by opentelemetry-proto's field numbers", async () => {
  const { status, text, response, batches } = await receive(
    post("/v1/traces", wireExport() as BodyInit, { "content-type": "application/x-protobuf" }),
  );
  deepEqual({ status, text, type: response.headers.get("content-type") }, {
    status: 200,
    text: "",
    type: "application/x-protobuf",
  });
  deepEqual(batches, [[WIRE_SPAN]]);
});

Deno.test("receiveOtlp() reads a gzip body", async (t) => {
  await t.step("protobuf", async () => {
    const body = await gzip(wireExport());
    const { status, batches } = await receive(post("/v1/traces", body as BodyInit, {
      "content-type": "application/x-protobuf",
      "content-encoding": "gzip",
    }));
    deepEqual({ status, batches }, { status: 200, batches: [[WIRE_SPAN]] });
  });
  await t.step("JSON", async () => {
    const body = await gzip(new TextEncoder().encode(JSON.stringify(JSON_EXPORT)));
    const { status, batches } = await receive(post("/v1/traces", body as BodyInit, {
      "content-type": "application/json; charset=utf-8",
      "content-encoding": "GZIP",
    }));
    equal(status, 200);
    deepEqual(batches[0]?.map((span) => span.name), ["consume", "unfinished"]);
  });
});

Deno.test("receiveOtlp() answers 400 with a short message for a body it cannot decode", async (t) => {
  const cases: [string, BodyInit, Record<string, string>][] = [
    ["truncated protobuf", new Uint8Array([0x0a, 0x05, 0x01]), {
      "content-type": "application/x-protobuf",
    }],
    [
      "protobuf with a 3-byte trace id",
      new Uint8Array([0x0a, 0x09, 0x12, 0x07, 0x12, 0x05, 0x0a, 0x03, 1, 2, 3]),
      {
        "content-type": "application/x-protobuf",
      },
    ],
    ["text that is not JSON", "not json", { "content-type": "application/json" }],
    ["JSON of another shape", '{"resourceSpans":5}', { "content-type": "application/json" }],
    [
      "JSON with a short id",
      JSON.stringify({
        resourceSpans: [{
          scopeSpans: [{ spans: [{ traceId: "abc", spanId: "b7ad6b7169203331" }] }],
        }],
      }),
      { "content-type": "application/json" },
    ],
    [
      "JSON with a fractional time",
      JSON.stringify({
        resourceSpans: [{
          scopeSpans: [{
            spans: [{
              traceId: "0af7651916cd43dd8448eb211c80319c",
              spanId: "b7ad6b7169203331",
              startTimeUnixNano: 1.5,
            }],
          }],
        }],
      }),
      { "content-type": "application/json" },
    ],
    ["a body that is not gzip", "plain", {
      "content-type": "application/json",
      "content-encoding": "gzip",
    }],
  ];
  for (const [name, body, headers] of cases) {
    await t.step(name, async () => {
      const { status, text, response, batches } = await receive(post("/v1/traces", body, headers));
      equal(status, 400);
      equal(response.headers.get("content-type"), "text/plain; charset=utf-8");
      match(text, /^Cannot decode the OTLP trace export/);
      ok(text.length < 300, text);
      deepEqual(batches, []);
    });
  }
});

Deno.test("receiveOtlp() answers 413 past the limit and stops reading", async (t) => {
  await t.step("an endless stream", async () => {
    let pulls = 0;
    let cancelled = false;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulls++;
        controller.enqueue(new Uint8Array(65_536));
      },
      cancel() {
        cancelled = true;
      },
    });
    const { status, text } = await receive(
      post("/v1/traces", body, { "content-type": "application/json" }),
      100_000,
    );
    equal(status, 413);
    match(text, /larger than the limit of 100000 bytes/);
    ok(cancelled, "the body is cancelled");
    ok(pulls <= 4, `read ${pulls} chunks`);
  });
  await t.step("a declared content-length", async () => {
    let pulled = false;
    const body = new ReadableStream<Uint8Array>({
      pull() {
        pulled = true;
      },
    });
    const { status } = await receive(
      post("/v1/traces", body, {
        "content-type": "application/x-protobuf",
        "content-length": "100001",
      }),
      100_000,
    );
    equal(status, 413);
    equal(pulled, false, "nothing of the body is read");
  });
  await t.step("a gzip body that inflates past the limit", async () => {
    const body = await gzip(new Uint8Array(4 * 1024 * 1024));
    ok(body.byteLength < 100_000);
    const { status } = await receive(
      post("/v1/traces", body as BodyInit, {
        "content-type": "application/json",
        "content-encoding": "gzip",
      }),
      1024 * 1024,
    );
    equal(status, 413);
  });
  await t.step("a body exactly at the limit is read", async () => {
    const body = JSON.stringify({ resourceSpans: [] });
    const { status } = await receive(
      post("/v1/traces", body, { "content-type": "application/json" }),
      body.length,
    );
    equal(status, 200);
  });
});

Deno.test("receiveOtlp() answers 415 for another content type or encoding", async (t) => {
  const cases: [string, Record<string, string>][] = [
    ["text/plain", { "content-type": "text/plain" }],
    ["no content type", {}],
    ["brotli", { "content-type": "application/json", "content-encoding": "br" }],
  ];
  for (const [name, headers] of cases) {
    await t.step(name, async () => {
      const { status, text, batches } = await receive(post("/v1/traces", "{}", headers));
      equal(status, 415);
      match(text, /^Unsupported content/);
      deepEqual(batches, []);
    });
  }
});

Deno.test("receiveOtlp() accepts and discards logs and metrics", async (t) => {
  for (const path of ["/v1/logs", "/v1/metrics"]) {
    await t.step(path, async () => {
      const protobufAnswer = await receive(
        post(path, new Uint8Array([0xff, 0xff]), { "content-type": "application/x-protobuf" }),
      );
      deepEqual(
        [protobufAnswer.status, protobufAnswer.text, protobufAnswer.batches],
        [200, "", []],
      );
      const jsonAnswer = await receive(
        post(path, '{"resourceLogs":[]}', { "content-type": "application/json" }),
      );
      deepEqual([jsonAnswer.status, jsonAnswer.text], [200, "{}"]);
    });
  }
});

Deno.test("receiveOtlp() answers 404 for another path and 405 for another method", async () => {
  const elsewhere = await receive(
    post("/v1/profiles", "{}", { "content-type": "application/json" }),
  );
  equal(elsewhere.status, 404);
  const get = await receive(new Request("http://127.0.0.1:4318/v1/traces"));
  deepEqual([get.status, get.response.headers.get("allow")], [405, "POST"]);
});

Deno.test("receiveOtlp() rejects a limit that is not a positive integer", async () => {
  for (const maxBodyBytes of [0, -1, 1.5, Number.NaN]) {
    await rejects(
      receiveOtlp(post("/v1/traces", "{}", { "content-type": "application/json" }), () => {}, {
        maxBodyBytes,
      }),
      RangeError,
    );
  }
});

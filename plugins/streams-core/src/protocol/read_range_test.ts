import { deepEqual, equal, rejects } from "node:assert/strict";
import fc from "fast-check";
import { isNetScriptError } from "@netscript/contracts/errors";
import { createMemoryStreamStore } from "../adapters/memory/mod.ts";
import { appendToStream } from "./append_stream.ts";
import { createProtocolContext, type ProtocolContext } from "./context.ts";
import { createStream } from "./create_stream.ts";
import type { ForkRequest } from "./fork_position.ts";
import type { RequestedOffset } from "./offsets.ts";
import { joinSlices } from "./read_range.ts";
import { readStream } from "./read_stream.ts";
import { deleteStream } from "./stream_lifecycle.ts";

const text = (value: string) => new TextEncoder().encode(value);

async function withContext(body: (context: ProtocolContext) => Promise<void>): Promise<void> {
  const store = await createMemoryStreamStore();
  try {
    await body(createProtocolContext(store));
  } finally {
    await store.close();
  }
}

function create(
  context: ProtocolContext,
  path: string,
  contentType: string,
  body = "",
  fork: ForkRequest | null = null,
) {
  return createStream(context, {
    path,
    contentType,
    ttlSeconds: null,
    expiresAt: null,
    closed: false,
    body: text(body),
    fork,
  });
}

function append(context: ProtocolContext, path: string, contentType: string, body: string) {
  return appendToStream(context, {
    path,
    contentType,
    body: text(body),
    close: false,
    seq: null,
    producer: null,
  });
}

async function readAll(
  context: ProtocolContext,
  path: string,
  maxBytes = 1 << 20,
): Promise<string> {
  const read = await readStream(context, { path, offset: { kind: "start" }, maxBytes });
  return new TextDecoder().decode(
    joinSlices(read.slices, contentTypeJson(read.record.contentType)),
  );
}

const contentTypeJson = (contentType: string) => contentType === "application/json";

Deno.test("a fork reads its source's data below the fork position, then its own", () =>
  withContext(async (context) => {
    await create(context, "/s/a", "text/plain", "hello");
    await append(context, "/s/a", "text/plain", " world");
    await create(context, "/s/b", "text/plain", "", {
      source: "/s/a",
      offset: { kind: "position", position: 2 },
      subOffset: 1,
    });
    await append(context, "/s/b", "text/plain", "LO");
    await append(context, "/s/a", "text/plain", "!");
    equal(await readAll(context, "/s/b"), "helLO");
    equal(await readAll(context, "/s/a"), "hello world!");
  }));

Deno.test("a JSON fork cut inside a batch reads the messages before the cut as one array with its own", () =>
  withContext(async (context) => {
    await create(context, "/j/a", "application/json", '[{"i":1},{"i":2},{"i":3}]');
    await create(context, "/j/b", "application/json", "", {
      source: "/j/a",
      offset: { kind: "position", position: 0 },
      subOffset: 2,
    });
    await append(context, "/j/b", "application/json", '{"i":99}');
    deepEqual(JSON.parse(await readAll(context, "/j/b")), [{ i: 1 }, { i: 2 }, { i: 99 }]);
  }));

Deno.test("reads stitch across three levels of forks, in pages of about maxBytes", () =>
  withContext(async (context) => {
    await create(context, "/r/0", "text/plain", "A");
    await create(context, "/r/1", "text/plain", "", { source: "/r/0", offset: null, subOffset: 0 });
    await append(context, "/r/1", "text/plain", "B");
    await create(context, "/r/2", "text/plain", "", { source: "/r/1", offset: null, subOffset: 0 });
    await append(context, "/r/2", "text/plain", "C");
    equal(await readAll(context, "/r/2"), "ABC");
    const first = await readStream(context, {
      path: "/r/2",
      offset: { kind: "start" },
      maxBytes: 1,
    });
    deepEqual([first.start, first.end, first.upToDate], [0, 1, false]);
  }));

Deno.test("a fork keeps reading a deleted source, and deleting the last fork removes the source", () =>
  withContext(async (context) => {
    await create(context, "/d/a", "text/plain", "kept");
    await create(context, "/d/b", "text/plain", "", { source: "/d/a", offset: null, subOffset: 0 });
    await deleteStream(context, "/d/a");
    await rejects(readAll(context, "/d/a"), (error) => isNetScriptError(error, "STREAMS_GONE"));
    equal(await readAll(context, "/d/b"), "kept");
    await deleteStream(context, "/d/b");
    equal(await context.store.get("/d/a"), undefined);
  }));

Deno.test("a sub-offset past the append that holds the fork offset is refused", () =>
  withContext(async (context) => {
    await create(context, "/o/a", "text/plain", "hi");
    await append(context, "/o/a", "text/plain", "there");
    await rejects(
      create(context, "/o/b", "text/plain", "", {
        source: "/o/a",
        offset: { kind: "position", position: 0 },
        subOffset: 3,
      }),
      (error) => isNetScriptError(error, "STREAMS_INVALID_HEADER"),
    );
    await rejects(
      create(context, "/o/c", "text/plain", "", {
        source: "/o/a",
        offset: { kind: "position", position: 8 },
        subOffset: 0,
      }),
      (error) => isNetScriptError(error, "STREAMS_INVALID_OFFSET"),
    );
  }));

Deno.test("reading a fork chain page by page gives its source's prefix followed by its own data", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.string({ minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 6 }),
      fc.array(fc.string({ minLength: 1, maxLength: 6 }), { maxLength: 4 }),
      fc.nat(),
      fc.integer({ min: 1, max: 8 }),
      async (sourceParts, forkParts, cut, pageBytes) => {
        await withContext(async (context) => {
          await create(context, "/p/src", "application/octet-stream");
          for (const part of sourceParts) {
            await append(context, "/p/src", "application/octet-stream", part);
          }
          const source = new TextEncoder().encode(sourceParts.join(""));
          const position = cut % (source.length + 1);
          await create(context, "/p/fork", "application/octet-stream", "", {
            source: "/p/src",
            offset: { kind: "position", position },
            subOffset: 0,
          });
          for (const part of forkParts) {
            await append(context, "/p/fork", "application/octet-stream", part);
          }
          const pages: Uint8Array[] = [];
          let offset: RequestedOffset = { kind: "start" };
          for (;;) {
            const read = await readStream(context, {
              path: "/p/fork",
              offset,
              maxBytes: pageBytes,
            });
            pages.push(joinSlices(read.slices, false));
            if (read.upToDate) break;
            offset = { kind: "position", position: read.end };
          }
          const expected = [
            ...source.subarray(0, position),
            ...new TextEncoder().encode(forkParts.join("")),
          ];
          deepEqual(pages.flatMap((page) => [...page]), expected);
        });
      },
    ),
    { numRuns: 60 },
  );
});

Deno.test("joinSlices() joins JSON chunks into one array as bytes, skipping empty chunks and the whitespace around brackets", () => {
  const slice = (data: string, start: number, end: number) => ({ start, end, data: text(data) });
  const joined = joinSlices([
    slice('[{"a":"é"},2]', 0, 2),
    slice("[]", 2, 2),
    slice(' \n[ "x,]" ]\t', 2, 3),
    slice("[[1]]", 3, 4),
  ], true);
  equal(new TextDecoder().decode(joined), '[{"a":"é"},2,"x,]",[1]]');
  deepEqual(JSON.parse(new TextDecoder().decode(joined)), [{ a: "é" }, 2, "x,]", [1]]);
  equal(new TextDecoder().decode(joinSlices([slice("[]", 0, 0)], true)), "[]");
  equal(new TextDecoder().decode(joinSlices([], true)), "[]");
  equal(
    new TextDecoder().decode(joinSlices([slice("ab", 0, 2), slice("cd", 2, 4)], false)),
    "abcd",
  );
});

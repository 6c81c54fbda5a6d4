/**
 * A second process on a test's KV file. `append <file> <path>`: reads the
 * stream at `path`, appends the bytes "from another process" at its tail,
 * and prints `{"committed":true}` (or `false` when a commit raced it).
 *
 * @module
 */
import { createKvStreamStore } from "../mod.ts";

const [mode, file, path] = Deno.args;
if (mode !== "append" || file === undefined || path === undefined) {
  throw new TypeError(`Usage: append <file> <path>; got ${JSON.stringify(Deno.args)}`);
}
const store = await createKvStreamStore({ path: file });
try {
  const record = (await store.get(path))!;
  const data = new TextEncoder().encode("from another process");
  const committed = await store.commit([{
    kind: "put",
    expectedVersion: record.version,
    record: { ...record, version: record.version + 1, tail: record.tail + data.byteLength },
    chunks: [{ start: record.tail, end: record.tail + data.byteLength, data, committedAt: 1 }],
  }]);
  console.log(JSON.stringify({ committed }));
} finally {
  await store.close();
}

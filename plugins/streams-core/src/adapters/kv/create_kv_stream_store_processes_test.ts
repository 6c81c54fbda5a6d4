import { equal, ok } from "node:assert/strict";
import { startProgram } from "../../../../../tests/support/process.ts";
import { createKvStreamStore } from "./mod.ts";
import { record } from "./testdata/kv_fixtures.ts";

const PROCESS = new URL("./testdata/kv_stream_process.ts", import.meta.url);

const RECORD = record("/v1/stream/shared");

Deno.test("createKvStreamStore(): waitForChange wakes on a commit by another process", async () => {
  const dir = await Deno.makeTempDir({ prefix: "netscript-kv-streams-" });
  const file = `${dir}/streams.kv`;
  const store = await createKvStreamStore({ path: file, pollMs: 50 });
  try {
    ok(await store.commit([{ kind: "put", expectedVersion: null, record: RECORD, chunks: [] }]));
    const waiting = store.waitForChange(RECORD.path, 1, { timeoutMs: 60_000 });
    const early = await Promise.race([
      waiting.then(() => true),
      new Promise((resolve) => setTimeout(resolve, 300, false)),
    ]);
    equal(early, false, "nothing changed yet, so the wait goes on");
    await using child = startProgram(PROCESS, {
      permissions: ["--unstable-kv", `--allow-read=${dir}`, `--allow-write=${dir}`],
      args: ["append", file, RECORD.path],
    });
    equal((await child.waitForRecord((record) => "committed" in record)).committed, true);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const woken = await Promise.race([
      waiting.then(() => "woken"),
      new Promise((resolve) => timer = setTimeout(resolve, 30_000, "late")),
    ]).finally(() => clearTimeout(timer));
    equal(woken, "woken", "the wait ended on the other process's commit, not its timeout");
    equal((await child.finished).code, 0);
    equal((await store.get(RECORD.path))?.version, 2);
    const [chunk] = await store.readChunks(RECORD.path, 0, { maxBytes: 1_000 });
    equal(new TextDecoder().decode(chunk!.data), "from another process");
  } finally {
    await store.close();
    await Deno.remove(dir, { recursive: true });
  }
});

import { deepEqual, equal, ok, rejects } from "node:assert/strict";
import { isNetScriptError } from "@netscript/contracts/errors";
import { configStoreConformance } from "../../testing/mod.ts";
import { createKvConfigStore } from "./mod.ts";

const ROOT = new URL("../../../../", import.meta.url);
const WRITER = new URL("./testdata/write_config.ts", import.meta.url);

async function withTempDir(body: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "netscript-kv-config-" });
  try {
    await body(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** The next value of an iterator, failing after five seconds; the timer is always cleared. */
async function nextWithin<T>(iterator: AsyncIterator<T>, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Timed out waiting for ${what}`)), 5_000);
  });
  try {
    const result = await Promise.race([iterator.next(), timeout]);
    if (result.done) throw new Error(`The watch ended before ${what}`);
    return result.value;
  } finally {
    clearTimeout(timer);
  }
}

Deno.test("createKvConfigStore() conforms to the config store port, on a fresh file per step", (t) =>
  withTempDir(async (dir) => {
    let files = 0;
    await configStoreConformance(
      t,
      () => createKvConfigStore({ path: `${dir}/step-${files++}.sqlite3` }),
    );
  }));

Deno.test("createKvConfigStore() creates the folder of its file", () =>
  withTempDir(async (dir) => {
    const path = `${dir}/nested/deeper/config.sqlite3`;
    const store = await createKvConfigStore({ path });
    try {
      await store.write("workers", 1);
    } finally {
      await store.close();
    }
    ok((await Deno.stat(path)).isFile);
  }));

Deno.test("two KV stores on one file share values, and a watch on one sees the other's writes", () =>
  withTempDir(async (dir) => {
    const path = `${dir}/config.sqlite3`;
    const reader = await createKvConfigStore({ path });
    const writer = await createKvConfigStore({ path });
    const controller = new AbortController();
    const watch = reader.watch("workers", { signal: controller.signal })[Symbol.asyncIterator]();
    try {
      equal(await nextWithin(watch, "the current value"), undefined);
      await writer.write("workers", { concurrency: 3 });
      const seen = await nextWithin(watch, "the other store's write");
      deepEqual(seen?.value, { concurrency: 3 });
      equal(seen?.revision, 1);
      deepEqual((await reader.read("workers"))?.value, { concurrency: 3 });
    } finally {
      controller.abort();
      await watch.return?.();
      await Promise.all([reader.close(), writer.close()]);
    }
  }));

Deno.test("a KV store's watch sees a write made by another process", () =>
  withTempDir(async (dir) => {
    const path = `${dir}/config.sqlite3`;
    const store = await createKvConfigStore({ path, pollMs: 100 });
    const controller = new AbortController();
    const watch = store.watch("workers", { signal: controller.signal })[Symbol.asyncIterator]();
    try {
      equal(await nextWithin(watch, "the current value"), undefined);
      const output = await new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          "--unstable-kv",
          "--allow-read",
          "--allow-write",
          WRITER.pathname,
          path,
          "workers",
          '{"concurrency":7}',
        ],
        cwd: ROOT.pathname,
        stdout: "piped",
        stderr: "piped",
      }).output();
      equal(output.success, true, new TextDecoder().decode(output.stderr));
      const seen = await nextWithin(watch, "the other process's write");
      deepEqual(seen?.value, { concurrency: 7 });
      equal(seen?.revision, 1);
    } finally {
      controller.abort();
      await watch.return?.();
      await store.close();
    }
  }));

Deno.test("createKvConfigStore() reports a path it cannot open as STORE_UNAVAILABLE", () =>
  withTempDir(async (dir) => {
    await rejects(createKvConfigStore({ path: dir }), (error: unknown) => {
      if (!isNetScriptError(error, "STORE_UNAVAILABLE")) return false;
      ok(error.message.includes(dir), error.message);
      return true;
    });
  }));

Deno.test("a KV store refuses a value too large for one entry, with a RangeError", () =>
  withTempDir(async (dir) => {
    const store = await createKvConfigStore({ path: `${dir}/config.sqlite3` });
    try {
      await rejects(store.write("workers", "x".repeat(70_000)), RangeError);
      equal(await store.read("workers"), undefined);
    } finally {
      await store.close();
    }
  }));

import { equal, rejects } from "node:assert/strict";
import { startProgram } from "../../../tests/support/process.ts";
import { CommitDoorbell } from "./commit_doorbell.ts";

const PROCESS = new URL("./testdata/kv_set.ts", import.meta.url);

Deno.test("CommitDoorbell rings on another process's commit, not on other files of the folder", async () => {
  const dir = await Deno.makeTempDir({ prefix: "netscript-kv-doorbell-" });
  const kv = await Deno.openKv(`${dir}/queue.sqlite3`);
  const doorbell = await CommitDoorbell.open(`${dir}/queue.sqlite3`);
  const signal = new AbortController().signal;
  try {
    const before = doorbell.rings;
    await Deno.writeTextFile(`${dir}/other.txt`, "not the store");
    equal(await doorbell.rung(before, 300, signal), false, "another file does not ring");
    await using child = startProgram(PROCESS, {
      permissions: ["--unstable-kv", "--allow-read", "--allow-write"],
      args: [`${dir}/queue.sqlite3`],
    });
    equal((await child.finished).code, 0);
    equal(await doorbell.rung(before, 60_000, signal), true, "the other process's commit rang");
    const aborted = new AbortController();
    const waiting = doorbell.rung(doorbell.rings, 60_000, aborted.signal);
    aborted.abort();
    equal(await waiting, false, "an abort ends the wait");
  } finally {
    await doorbell.close();
    kv.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("CommitDoorbell.open() rejects a file that does not exist", async () => {
  const dir = await Deno.makeTempDir({ prefix: "netscript-kv-doorbell-" });
  try {
    await rejects(CommitDoorbell.open(`${dir}/missing.sqlite3`), Deno.errors.NotFound);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

import assert from "node:assert/strict";
import { parseSmapsRollup, readProcessMemory } from "./process_memory.ts";

const ROLLUP = `55950bce2000-7ffcf5a90000 ---p 00000000 00:00 0                          [rollup]
Rss:               88192 kB
Pss:               50213 kB
Shared_Clean:      40100 kB
Shared_Dirty:          0 kB
Private_Clean:      1040 kB
Private_Dirty:     47052 kB
Swap:                  0 kB
`;

Deno.test("parseSmapsRollup() adds clean and dirty private pages and reads the RSS", () => {
  assert.deepEqual(parseSmapsRollup(ROLLUP), { privateKib: 48_092, rssKib: 88_192 });
});

Deno.test("parseSmapsRollup() rejects text without a field it needs", () => {
  assert.throws(
    () => parseSmapsRollup(ROLLUP.replace(/^Private_Dirty:.*$/m, "")),
    /Cannot find Private_Dirty/,
  );
});

Deno.test({
  name: "readProcessMemory() reads this process's memory on Linux",
  ignore: Deno.build.os !== "linux",
  async fn() {
    const memory = await readProcessMemory(Deno.pid);
    assert.ok(memory.privateKib > 0 && memory.privateKib <= memory.rssKib);
  },
});

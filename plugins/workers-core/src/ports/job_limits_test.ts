import { deepEqual, equal } from "node:assert/strict";
import { isStorableText, storableText, unstorableTextPaths } from "./job_limits.ts";

Deno.test("isStorableText() refuses a NUL and a lone surrogate, and accepts paired ones", () => {
  equal(isStorableText("plain é \u{1F600}"), true);
  equal(isStorableText("a\u0000b"), false);
  equal(isStorableText("\uD800"), false);
  equal(isStorableText("x\uDC00"), false);
});

Deno.test("storableText() replaces a NUL and lone surrogates with U+FFFD, and keeps the rest", () => {
  equal(storableText("a\u0000b\uD800c\u{1F600}"), "a\uFFFDb\uFFFDc\u{1F600}");
  equal(storableText("unchanged"), "unchanged");
});

Deno.test("unstorableTextPaths() names every string and key no store can keep", () => {
  deepEqual(unstorableTextPaths({ ok: "fine", list: ["x", "b\u0000"], nested: { "\uDC00": 1 } }), [
    ["list", 1],
    ["nested", "\uDC00"],
  ]);
  deepEqual(unstorableTextPaths("\u0000"), [[]]);
  deepEqual(unstorableTextPaths({ n: 1, b: true, z: null, s: "é" }), []);
});

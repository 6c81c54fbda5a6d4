import { equal } from "node:assert/strict";
import fc from "fast-check";
import { closestMatch, editDistance, maxTypoDistance } from "./closest_match.ts";

Deno.test("editDistance() counts insertions, deletions, substitutions and swaps", async (t) => {
  const cases: [string, string, number][] = [
    ["", "", 0],
    ["", "abc", 3],
    ["abc", "", 3],
    ["watch", "watch", 0],
    ["wach", "watch", 1],
    ["watchh", "watch", 1],
    ["wotch", "watch", 1],
    ["wacth", "watch", 1],
    ["db migrat", "db migrate", 1],
    ["kitten", "sitting", 3],
  ];
  for (const [a, b, distance] of cases) {
    await t.step(`"${a}" to "${b}" is ${distance}`, () => {
      equal(editDistance(a, b), distance);
      equal(editDistance(b, a), distance);
    });
  }
});

Deno.test("closestMatch() suggests the nearest known name, or nothing", async (t) => {
  await t.step("a typo of a flag", () => {
    equal(closestMatch("wach", ["json", "help", "watch", "port"]), "watch");
  });
  await t.step("a typo of a two-word command", () => {
    equal(closestMatch("db migrat", ["db generate", "db migrate", "db status"]), "db migrate");
  });
  await t.step("a swap of two letters", () => {
    equal(closestMatch("plugin lsit", ["plugin add", "plugin list"]), "plugin list");
  });
  await t.step("the first of equally close names", () => {
    equal(closestMatch("pot", ["port", "post"]), "port");
  });
  await t.step("nothing when no name is close", () => {
    equal(closestMatch("deploy", ["init", "dev", "doctor"]), undefined);
    equal(closestMatch("x", ["json", "help"]), undefined);
  });
  await t.step("nothing when there are no names", () => {
    equal(closestMatch("watch", []), undefined);
  });
});

Deno.test("closestMatch() only suggests a known name, the nearest, and only when close", () => {
  const word = fc.stringMatching(/^[a-z-]{0,12}$/);
  fc.assert(
    fc.property(word, fc.array(word, { maxLength: 8 }), (input, candidates) => {
      const suggestion = closestMatch(input, candidates);
      const distances = candidates.map((candidate) => editDistance(input, candidate));
      const nearest = Math.min(...distances);
      if (suggestion === undefined) {
        return distances.every((distance) => distance > maxTypoDistance(input));
      }
      return candidates.includes(suggestion) &&
        editDistance(input, suggestion) === nearest &&
        nearest <= maxTypoDistance(input);
    }),
  );
});

Deno.test("editDistance() is a symmetric measure that is 0 only for equal strings", () => {
  const word = fc.string({ maxLength: 12 });
  fc.assert(
    fc.property(word, word, (a, b) => {
      const distance = editDistance(a, b);
      return distance === editDistance(b, a) &&
        (distance === 0) === (a === b) &&
        distance >= Math.abs(a.length - b.length) &&
        distance <= Math.max(a.length, b.length);
    }),
  );
});

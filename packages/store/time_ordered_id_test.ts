import { match, ok } from "node:assert/strict";
import { createTimeOrderedId, firstTimeOrderedIdAt } from "./time_ordered_id.ts";

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

Deno.test("createTimeOrderedId() makes strictly increasing UUIDv7s, also within one ms and when the clock steps back", () => {
  const ids = [
    ...Array.from({ length: 5_000 }, () => createTimeOrderedId(1_700_000_000_000)),
    createTimeOrderedId(1_600_000_000_000),
  ];
  for (const id of ids) match(id, UUID_V7);
  for (let i = 1; i < ids.length; i++) ok(ids[i - 1]! < ids[i]!, `${ids[i - 1]} < ${ids[i]}`);
});

Deno.test("firstTimeOrderedIdAt() sorts above every id of an earlier ms and at or below the ids of its own", () => {
  const before = createTimeOrderedId(1_800_000_000_000);
  const bound = firstTimeOrderedIdAt(1_800_000_000_001);
  ok(before < bound);
  ok(bound <= createTimeOrderedId(1_800_000_000_001));
});

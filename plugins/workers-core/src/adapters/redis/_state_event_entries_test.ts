import { deepEqual, equal } from "node:assert/strict";
import fc from "fast-check";
import { isStreamId, toStateEvent, watchedMembers } from "./_state_event_entries.ts";

Deno.test("isStreamId() takes the ids Redis writes and nothing else", () => {
  for (
    const id of ["0-0", "1-0", "1796580015824-12", "18446744073709551615-18446744073709551615"]
  ) {
    equal(isStreamId(id), true, id);
  }
  for (
    const id of [
      "",
      "1",
      "1-",
      "-1",
      "01-0",
      "1-00",
      "1-2-3",
      " 1-0",
      "1-0\n",
      "18446744073709551616-0",
      "0-18446744073709551616",
      "1e3-0",
      "0x1-0",
      "018f6c3e-7b1a-7c3d-9e4f-0123456789ab",
    ]
  ) {
    equal(isStreamId(id), false, JSON.stringify(id));
  }
});

Deno.test("isStreamId() agrees with the id's two unsigned 64-bit parts", () => {
  fc.assert(
    fc.property(
      fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
      fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
      (ms, seq) => isStreamId(`${ms}-${seq}`),
    ),
  );
});

Deno.test("watchedMembers() joins each pair with a NUL and drops repeats", () => {
  deepEqual(
    watchedMembers([
      { name: "email", state: "dead" },
      { name: "email", state: "dead" },
      { name: "email", state: "completed" },
      { name: "", state: "failed" },
    ]),
    ["email\0dead", "email\0completed", "\0failed"],
  );
  deepEqual(watchedMembers([]), []);
});

Deno.test("toStateEvent() keeps an empty error apart from none", () => {
  const at = 1_796_580_015_824;
  const fields = ["name", "email", "subject", "j1", "state", "dead", "at", String(at)];
  deepEqual(toStateEvent([`${at}-0`, [...fields, "error", ""]]), {
    id: `${at}-0`,
    name: "email",
    subject: "j1",
    state: "dead",
    error: "",
    at: new Date(at),
  });
  equal(toStateEvent([`${at}-1`, fields]).error, null);
});

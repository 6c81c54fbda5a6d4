import { deepEqual, equal, rejects } from "node:assert/strict";
import { createSingleFlight } from "./single_flight.ts";

/** Work that finishes when told to, counting how often it started. */
function gatedWork(): {
  work: () => Promise<string>;
  finish: (value: string) => void;
  starts: () => number;
} {
  let count = 0;
  let finish: (value: string) => void = () => {};
  const gate = new Promise<string>((resolve) => finish = resolve);
  return { work: () => (count++, gate), finish: (value) => finish(value), starts: () => count };
}

Deno.test("createSingleFlight() shares one run per key while it is in flight", async (t) => {
  await t.step("callers of the same key share the first run", async () => {
    const flight = createSingleFlight<string>();
    const { work, finish, starts } = gatedWork();
    const first = flight.run("a", work);
    const second = flight.run("a", work);
    equal(flight.size, 1);
    finish("done");
    deepEqual(await Promise.all([first, second]), ["done", "done"]);
    equal(starts(), 1);
    equal(flight.size, 0);
  });
  await t.step("another key runs on its own", async () => {
    const flight = createSingleFlight<string>();
    const results = await Promise.all([
      flight.run("a", () => Promise.resolve("a")),
      flight.run("b", () => Promise.resolve("b")),
    ]);
    deepEqual(results, ["a", "b"]);
  });
  await t.step("the key is free again once the run settles", async () => {
    const flight = createSingleFlight<number>();
    let runs = 0;
    await flight.run("a", () => Promise.resolve(++runs));
    equal(await flight.run("a", () => Promise.resolve(++runs)), 2);
  });
  await t.step("a failure reaches every caller and frees the key", async () => {
    const flight = createSingleFlight<string>();
    const failing = () => Promise.reject(new Error("refused"));
    await Promise.all([
      rejects(flight.run("a", failing), /refused/),
      rejects(flight.run("a", failing), /refused/),
    ]);
    equal(flight.size, 0);
    equal(await flight.run("a", () => Promise.resolve("ok")), "ok");
  });
  await t.step("work that throws at once is a rejection, and frees the key", async () => {
    const flight = createSingleFlight<string>();
    await rejects(
      flight.run("a", () => {
        throw new Error("sync");
      }),
      /sync/,
    );
    equal(flight.size, 0);
  });
  await t.step("settled() waits for every run, whatever its outcome", async () => {
    const flight = createSingleFlight<string>();
    const { work, finish } = gatedWork();
    const running = flight.run("a", work);
    const failed = flight.run("b", () => Promise.reject(new Error("x"))).catch(() => "caught");
    const settled = flight.settled();
    finish("done");
    await settled;
    equal(flight.size, 0);
    deepEqual(await Promise.all([running, failed]), ["done", "caught"]);
  });
});

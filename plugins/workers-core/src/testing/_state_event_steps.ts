import { deepEqual, equal, ok } from "node:assert/strict";
import type { StateEvent } from "@netscript/store";
import type { JobQueue } from "../ports/job_queue.ts";

/** Runs one conformance step on a fresh queue. */
type Step = (name: string, body: (queue: JobQueue) => Promise<void>) => Promise<boolean>;

/** Enqueues a job of `name` and claims it as worker `w`; returns its id. */
async function _running(queue: JobQueue, name: string, maxAttempts = 1): Promise<string> {
  const { id } = await queue.enqueue({ name, input: { n: 1 }, maxAttempts });
  const claimed = await queue.claim({ workerId: "w", limit: 10, leaseMs: 60_000, names: [name] });
  ok(claimed.some((job) => job.id === id), `job ${id} of "${name}" is claimed`);
  return id;
}

/** The events' `(name, subject, state, error)`, in the order read. */
function _changes(events: readonly StateEvent[]): [string, string, string, string | null][] {
  return events.map((event) => [event.name, event.subject, event.state, event.error]);
}

/**
 * The conformance steps of the state events: a job reaching a watched
 * state is recorded with the change, nothing else is, events read oldest
 * first and stay until removed.
 *
 * @param step Runs a step on a fresh queue.
 */
export async function stateEventSteps(step: Step): Promise<void> {
  await step("no state event is recorded while nothing is watched", async (queue) => {
    const id = await _running(queue, "email");
    ok(await queue.complete(id, "w"));
    deepEqual(await queue.readStateEvents(10), []);
  });

  await step("each way a job reaches a watched state records one event", async (queue) => {
    await queue.watchStates([
      { name: "email", state: "completed" },
      { name: "email", state: "failed" },
      { name: "email", state: "dead" },
      { name: "email", state: "cancelled" },
    ]);
    const before = Date.now();
    const one = await _running(queue, "email");
    ok(await queue.complete(one, "w"));
    const many = await _running(queue, "email");
    deepEqual(await queue.completeMany([many], "w"), [many]);
    const retried = await _running(queue, "email", 2);
    ok(await queue.fail(retried, "w", "smtp timeout", new Date(Date.now() + 60_000)));
    const dead = await _running(queue, "email");
    ok(await queue.fail(dead, "w", "bounced", null));
    const cancelled = (await queue.enqueue({ name: "email", input: null })).id;
    ok(await queue.cancel(cancelled));
    const events = await queue.readStateEvents(10);
    deepEqual(_changes(events), [
      ["email", one, "completed", null],
      ["email", many, "completed", null],
      ["email", retried, "failed", "smtp timeout"],
      ["email", dead, "dead", "bounced"],
      ["email", cancelled, "cancelled", null],
    ]);
    equal(new Set(events.map((event) => event.id)).size, 5, "every event has its own id");
    for (const event of events) {
      ok(event.at instanceof Date);
      ok(Math.abs(event.at.getTime() - before) < 10_000, "recorded at about now");
    }
  });

  await step("only watched names and states are recorded", async (queue) => {
    await queue.watchStates([{ name: "email", state: "dead" }]);
    const completed = await _running(queue, "email");
    ok(await queue.complete(completed, "w"));
    const other = await _running(queue, "report");
    ok(await queue.fail(other, "w", "boom", null));
    deepEqual(await queue.readStateEvents(10), []);
    const dead = await _running(queue, "email");
    ok(await queue.fail(dead, "w", "boom", null));
    deepEqual(_changes(await queue.readStateEvents(10)), [["email", dead, "dead", "boom"]]);
  });

  await step("a change that does not happen records nothing", async (queue) => {
    await queue.watchStates([
      { name: "email", state: "completed" },
      { name: "email", state: "dead" },
      { name: "email", state: "cancelled" },
    ]);
    const id = await _running(queue, "email");
    equal(await queue.complete(id, "someone-else"), false);
    deepEqual(await queue.completeMany([id], "someone-else"), []);
    equal(await queue.fail(id, "someone-else", "x", null), false);
    equal(await queue.cancel(id), false, "a running job is not cancelled");
    deepEqual(await queue.readStateEvents(10), []);
    ok(await queue.complete(id, "w"));
    equal(await queue.complete(id, "w"), false, "completed once");
    equal((await queue.readStateEvents(10)).length, 1);
  });

  await step("events are read oldest first, a page at a time, until removed", async (queue) => {
    await queue.watchStates([{ name: "email", state: "cancelled" }]);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const { id } = await queue.enqueue({ name: "email", input: i });
      ok(await queue.cancel(id));
      ids.push(id);
    }
    const first = await queue.readStateEvents(2);
    deepEqual(first.map((event) => event.subject), ids.slice(0, 2));
    deepEqual(
      (await queue.readStateEvents(2)).map((event) => event.id),
      first.map((event) => event.id),
      "reading removes nothing",
    );
    await queue.removeStateEvents([...first.map((event) => event.id), first[0]!.id]);
    deepEqual((await queue.readStateEvents(10)).map((event) => event.subject), ids.slice(2));
    await queue.removeStateEvents(first.map((event) => event.id));
    equal((await queue.readStateEvents(10)).length, 3, "removing twice changes nothing");
  });

  await step("watchStates replaces the pairs and keeps recorded events", async (queue) => {
    await queue.watchStates([{ name: "email", state: "cancelled" }]);
    const kept = (await queue.enqueue({ name: "email", input: 1 })).id;
    ok(await queue.cancel(kept));
    await queue.watchStates([{ name: "report", state: "cancelled" }]);
    const unwatched = (await queue.enqueue({ name: "email", input: 2 })).id;
    ok(await queue.cancel(unwatched));
    const watched = (await queue.enqueue({ name: "report", input: 3 })).id;
    ok(await queue.cancel(watched));
    await queue.watchStates([]);
    const after = (await queue.enqueue({ name: "report", input: 4 })).id;
    ok(await queue.cancel(after));
    deepEqual((await queue.readStateEvents(10)).map((event) => event.subject), [kept, watched]);
  });
}

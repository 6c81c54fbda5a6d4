/**
 * Where the Deno KV saga store keeps each piece of a saga, under one
 * prefix.
 *
 * - `saga/<id>` → the saga (its input, output and error inline when
 *   small); every write of the saga checks this key's versionstamp.
 * - `entry/<id>/<seq>` → a journal entry (its result and error inline
 *   when small); KV orders numbers numerically, so a prefix read is the
 *   journal in `seq` order.
 * - `signal/<id>/<signalId>` → a signal not taken yet.
 * - `part/<id>/<tag>/<n>` → the UTF-8 bytes of one text too large to keep
 *   inline, in parts under KV's 64 KiB value limit; each write of such a
 *   text has a new tag, so a reader never mixes the parts of two texts.
 * - `ready/<name>/<runAtMs>/<id>` → `runAtMs`: an unleased, unfinished
 *   saga with a `runAt`; claims read it up to now, oldest first.
 * - `lease/<name>/<claimableMs>/<id>` → `runAtMs`: a leased, unfinished
 *   saga, by when it can be claimed again (its lease's end, or its `runAt`
 *   when later).
 * - `list/all/<state|"">/<createdAtMs>/<id>` and
 *   `list/name/<name>/<state|"">/<createdAtMs>/<id>`: the list indexes, one
 *   entry per filter a listing can have, read backwards for newest first.
 * - `count/all/<state>` and `count/name/<name>/<state>`: `Deno.KvU64`
 *   counters, changed in the same operations as the states.
 * - `wake`: the wake-up counter `waitForWork` watches.
 * - `watched` → the `(name, state)` pairs whose commits record state
 *   events; every commit checks this key's versionstamp.
 * - `event/<eventId>` → a state event, by a time-ordered id, so a prefix
 *   read is oldest first; its error, when long, is kept in parts under
 *   `part/<sagaId>/<tag>/<n>` like the saga's texts, with a tag of its own.
 *
 * @module
 */
import type { SagaState } from "../../ports/saga_store.ts";

/** Builds every key of one store. */
export class KeySpace {
  readonly #prefix: Deno.KvKey;

  /** @param prefix The first parts of every key. */
  constructor(prefix: Deno.KvKey) {
    this.#prefix = prefix;
  }

  /** The wake-up counter. */
  get wake(): Deno.KvKey {
    return [...this.#prefix, "wake"];
  }

  /** The `(name, state)` pairs watched for state events. */
  get watched(): Deno.KvKey {
    return [...this.#prefix, "watched"];
  }

  /** The prefix of the state events. */
  get events(): Deno.KvKey {
    return [...this.#prefix, "event"];
  }

  /** @param id A state event's id. @returns Its key. */
  event(id: string): Deno.KvKey {
    return [...this.events, id];
  }

  /** @param id A saga id. @returns Its record's key. */
  saga(id: string): Deno.KvKey {
    return [...this.#prefix, "saga", id];
  }

  /** @param id A saga id. @returns The prefix of its journal. */
  entries(id: string): Deno.KvKey {
    return [...this.#prefix, "entry", id];
  }

  /** @param id A saga id. @param seq A position in its journal. @returns The entry's key. */
  entry(id: string, seq: number): Deno.KvKey {
    return [...this.entries(id), seq];
  }

  /** @param id A saga id. @returns The prefix of its signals. */
  signals(id: string): Deno.KvKey {
    return [...this.#prefix, "signal", id];
  }

  /** @param id A saga id. @param signalId A signal id. @returns The signal's key. */
  signal(id: string, signalId: string): Deno.KvKey {
    return [...this.signals(id), signalId];
  }

  /** @param id A saga id. @param tag A text's tag. @param n A part's number. @returns The part's key. */
  part(id: string, tag: string, n: number): Deno.KvKey {
    return [...this.#prefix, "part", id, tag, n];
  }

  /** @param name A saga name. @returns The prefix of its ready entries. */
  readyOf(name: string): Deno.KvKey {
    return [...this.#prefix, "ready", name];
  }

  /** @param name A saga name. @returns The prefix of its lease entries. */
  leasesOf(name: string): Deno.KvKey {
    return [...this.#prefix, "lease", name];
  }

  /** @param name A saga name, or all. @param state A state, or all. @returns The list index prefix. */
  list(name: string | undefined, state: SagaState | undefined): Deno.KvKey {
    return name === undefined
      ? [...this.#prefix, "list", "all", state ?? ""]
      : [...this.#prefix, "list", "name", name, state ?? ""];
  }

  /** @param name A saga name, or all. @param state A state. @returns Its counter. */
  count(name: string | undefined, state: SagaState): Deno.KvKey {
    return name === undefined
      ? [...this.#prefix, "count", "all", state]
      : [...this.#prefix, "count", "name", name, state];
  }
}

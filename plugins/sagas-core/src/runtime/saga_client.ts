/**
 * {@linkcode createSagaClient}: starts sagas with validated input and an
 * idempotency key, and cancels, signals, retries and reads them.
 *
 * @module
 */
import type { z } from "zod";
import type { SagaDefinition } from "../dsl/define_saga.ts";
import { type SagaCatalog, sagaCatalog, type SagaList } from "../dsl/saga_list.ts";
import type {
  SagaDetail,
  SagaRecord,
  SagaSignal,
  SagaState,
  SagaStore,
} from "../ports/saga_store.ts";
import { encodeSagaValue } from "../ports/saga_values.ts";
import { quoted, SIGNAL_NAME_PATTERN } from "../ports/saga_ids.ts";
import { checkSameSaga, definitionFor, newSagaFor } from "./_start_saga.ts";
import { sagaError } from "./saga_errors.ts";

/** Options of {@linkcode createSagaClient}. */
export interface SagaClientOptions {
  /** The store. */
  readonly store: SagaStore;
  /** The workspace's sagas: definitions, definition files, or a catalog. */
  readonly sagas: SagaList | SagaCatalog;
}

/** Options of {@linkcode SagaClient.start}. */
export interface StartSagaOptions {
  /**
   * The saga's id, an idempotency key: starting the same id again returns
   * the first saga and starts nothing. @default {a random UUID}
   */
  readonly id?: string | undefined;
}

/** What {@linkcode SagaClient.start} returns. */
export interface SagaStart {
  /** The saga's id. */
  readonly id: string;
  /** Its state now. */
  readonly state: SagaState;
  /** `false` when the id was already started (nothing new was started). */
  readonly created: boolean;
}

/** Starts, cancels, signals, retries and reads sagas. */
export interface SagaClient {
  /**
   * Starts a saga: its newest version when given by name, the given
   * definition's version otherwise.
   *
   * @param saga The saga's definition, or its name.
   * @param input Its input, checked against its schema.
   * @param options Its id (idempotency key).
   * @returns The saga's id and state.
   * @throws {NetScriptError} `SAGAS_UNKNOWN_SAGA`, `SAGAS_INVALID_INPUT`
   * (with `details.issues`), `SAGAS_INVALID_ID`, `SAGAS_ID_CONFLICT`,
   * `SAGAS_NOT_JSON`, `SAGAS_VALUE_TOO_LARGE`.
   */
  start<TInput extends z.ZodType>(
    saga: SagaDefinition<TInput, unknown, string> | string,
    input: z.input<TInput>,
    options?: StartSagaOptions,
  ): Promise<SagaStart>;
  /** A saga with its journal, or `null`. */
  get(id: string): Promise<SagaDetail | null>;
  /**
   * Asks a saga to cancel: it compensates what finished, then ends
   * `cancelled`. A finished saga is returned unchanged.
   *
   * @throws {NetScriptError} `SAGAS_NOT_FOUND`.
   */
  cancel(id: string): Promise<SagaRecord>;
  /**
   * Sends a signal; the saga's next `ctx.waitForSignal(name)` takes it.
   *
   * @throws {NetScriptError} `SAGAS_NOT_FOUND`, `SAGAS_FINISHED`, `SAGAS_NOT_JSON`, `SAGAS_VALUE_TOO_LARGE`.
   */
  signal(id: string, name: string, payload?: unknown): Promise<SagaSignal>;
  /**
   * Retries a `failed` saga: it replays and carries on where it stopped.
   *
   * @throws {NetScriptError} `SAGAS_NOT_FOUND`, `SAGAS_NOT_RETRYABLE`.
   */
  retry(id: string): Promise<SagaRecord>;
}

/**
 * Creates a saga client.
 *
 * @param options The store and the sagas.
 * @returns The client.
 * @throws {NetScriptError} `SAGAS_DUPLICATE_SAGA`, `SAGAS_INVALID_DEFINITION` from the list.
 *
 * @example
 * ```ts
 * import { createSagaClient, defineSaga } from "@netscript/plugin-sagas-core";
 * import { createMemorySagaStore } from "@netscript/plugin-sagas-core/memory";
 * import { z } from "zod";
 *
 * const refund = defineSaga({ name: "refund", input: z.object({ orderId: z.string() }), run: () => {} });
 * const store = createMemorySagaStore();
 * const sagas = createSagaClient({ store, sagas: [refund] });
 * const first = await sagas.start(refund, { orderId: "o-1" }, { id: "refund-o-1" });
 * const again = await sagas.start(refund, { orderId: "o-1" }, { id: "refund-o-1" });
 * console.log(first.created, again.created, again.id); // true false "refund-o-1"
 * await store.close();
 * ```
 */
export function createSagaClient(options: SagaClientOptions): SagaClient {
  const catalog = "latest" in options.sagas ? options.sagas : sagaCatalog(options.sagas);
  const { store } = options;
  const found = async (id: string): Promise<SagaRecord> => {
    const detail = await store.get(id);
    if (detail === null) throw _notFound(id);
    return detail.saga;
  };
  return {
    async start(saga, input, startOptions = {}) {
      const definition = definitionFor(catalog, saga);
      const started = await store.start(newSagaFor(definition, input, startOptions.id));
      checkSameSaga(started, definition.name);
      return { id: started.saga.id, state: started.saga.state, created: started.created };
    },
    get: (id) => store.get(id),
    async cancel(id) {
      return (await store.cancel(id)) ?? Promise.reject(_notFound(id));
    },
    async signal(id, name, payload) {
      if (typeof name !== "string" || !SIGNAL_NAME_PATTERN.test(name)) {
        throw new RangeError(
          `Cannot send a signal named ${
            quoted(name)
          }: a name is 1–128 letters, digits, ".", "_", ":" or "-"`,
        );
      }
      const text = encodeSagaValue(payload, `the payload of signal "${name}"`);
      const kept = await store.signal(id, name, text);
      if (kept !== null) return kept;
      const saga = await found(id);
      throw sagaError(
        "SAGAS_FINISHED",
        `Saga "${id}" has finished (${saga.state}); it takes no signal`,
        { id, state: saga.state },
      );
    },
    async retry(id) {
      const before = await found(id);
      if (before.state !== "failed") {
        throw sagaError(
          "SAGAS_NOT_RETRYABLE",
          `Saga "${id}" is ${before.state}; only a failed saga can be retried`,
          { id, state: before.state },
        );
      }
      return (await store.retry(id)) ?? Promise.reject(_notFound(id));
    },
  };
}

function _notFound(id: string) {
  return sagaError("SAGAS_NOT_FOUND", `No saga has the id ${quoted(id)}`, {
    id: id.slice(0, 200),
  });
}

import { isNetScriptError } from "@netscript/contracts/errors";
import {
  checkSagaId,
  createSagaClient,
  decodeSagaValue,
  type SagaCatalog,
  sagaCatalog,
  type SagaEntry,
  type SagaList,
  type SagaRecord,
  type SagaStore,
} from "@netscript/plugin-sagas-core";
import { createService, type Guard, implement, type Service } from "@netscript/service";
import { createLogger, type Logger } from "@netscript/telemetry";
import { ORPCError } from "@orpc/server";
import type { z } from "zod";
import {
  type SagaCompensationSchema,
  type SagaDetailSchema,
  SAGAS_ERRORS,
  type SagaSchema,
  sagasContract,
  type SagaStepSchema,
} from "../../contracts/v1/mod.ts";

/** Options of {@linkcode createSagasService}. */
export interface SagasServiceOptions {
  /** The saga store. */
  readonly store: SagaStore;
  /** The workspace's sagas: definitions, the files under `sagas/`, or a catalog. */
  readonly sagas: SagaList | SagaCatalog;
  /**
   * The logger for request lines and failures (where a store error's
   * address is written).
   * @default {a JSON logger for the service "sagas-api"}
   */
  readonly logger?: Logger | undefined;
  /**
   * Who may call it (see `createService`'s `guard`).
   * @default {a guard over auth-api when the workspace has the auth plugin}
   */
  readonly guard?: Guard | null | undefined;
}

/**
 * Creates `sagas-api`: the NetScript service that implements
 * {@linkcode sagasContract} on a saga store with the core's saga client.
 * Each failure a caller can cause is answered as the contract's typed
 * error of its code (`SAGAS_NOT_FOUND` 404, `SAGAS_INVALID_INPUT` 400, …);
 * while the store cannot be reached, `/health` and every procedure answer
 * 503 `SERVICE_UNAVAILABLE`.
 *
 * @param options The store, the sagas and a logger.
 * @returns The service; call `serve()`.
 * @throws {NetScriptError} `SAGAS_DUPLICATE_SAGA`, `SAGAS_INVALID_DEFINITION` from the sagas.
 *
 * @example
 * ```ts
 * import { defineSaga } from "@netscript/plugin-sagas-core";
 * import { createMemorySagaStore } from "@netscript/plugin-sagas-core/memory";
 * import { createSagasService } from "@netscript/plugin-sagas";
 * import { z } from "zod";
 *
 * const greet = defineSaga({ name: "greet", input: z.object({ who: z.string() }), run: () => {} });
 * const store = createMemorySagaStore();
 * const service = createSagasService({ store, sagas: [greet] });
 * const answer = await service.fetch(
 *   new Request("http://localhost/api/sagas", {
 *     method: "POST",
 *     headers: { "content-type": "application/json" },
 *     body: JSON.stringify({ name: "greet", input: { who: "Ada" }, id: "greet-ada" }),
 *   }),
 * );
 * console.log(answer.status, await answer.json()); // 200 { id: "greet-ada", state: "running", created: true }
 * await store.close();
 * ```
 */
export function createSagasService(options: SagasServiceOptions): Service {
  const { store } = options;
  const catalog = "latest" in options.sagas ? options.sagas : sagaCatalog(options.sagas);
  const client = createSagaClient({ store, sagas: catalog });
  const logger = options.logger ?? createLogger({ service: "sagas-api" });
  const os = implement(sagasContract);
  const router = os.router({
    sagas: {
      start: os.sagas.start.handler(({ input }) =>
        _answering(() => client.start(input.name, input.input, { id: input.id }))
      ),
      get: os.sagas.get.handler(({ input }) =>
        _answering(async () => {
          const detail = await client.get(_checkedId(input.id));
          if (detail === null) throw _notFound(input.id);
          return _detail(detail.saga, detail.entries);
        })
      ),
      list: os.sagas.list.handler(async ({ input }) => {
        const page = await store.list(input);
        return {
          items: page.items.map(_saga),
          total: page.total,
          limit: input.limit,
          offset: input.offset,
        };
      }),
      cancel: os.sagas.cancel.handler(({ input }) =>
        _answering(async () => _saga(await client.cancel(_checkedId(input.id))))
      ),
      signal: os.sagas.signal.handler(({ input }) =>
        _answering(async () => {
          const kept = await client.signal(_checkedId(input.id), input.name, input.payload);
          return { id: kept.id, name: kept.name, receivedAt: kept.receivedAt.toISOString() };
        })
      ),
      retry: os.sagas.retry.handler(({ input }) =>
        _answering(async () => _saga(await client.retry(_checkedId(input.id))))
      ),
    },
    stats: os.stats.handler(() => store.stats()),
    definitions: os.definitions.handler(() => ({
      items: catalog.all().map((definition) => ({
        name: definition.name,
        version: definition.version,
        latest: catalog.latest(definition.name) === definition,
      })),
    })),
  });
  return createService({
    name: "sagas-api",
    version: "1.0.0",
    description:
      "Sagas: durable workflows whose steps run once each, whose sleeps and signal waits survive restarts, and whose finished steps are compensated, last first, when a later step fails or the saga is cancelled.",
    contract: sagasContract,
    router,
    currentVersion: "v1",
    healthChecks: { store: async () => void (await store.stats()) },
    ...(options.guard === undefined ? {} : { guard: options.guard }),
    defaultAccess: "all",
    logger,
  });
}

/** Checks an id of the path, so a malformed one is a 400 `SAGAS_INVALID_ID`, not a lookup. */
function _checkedId(id: string): string {
  checkSagaId(id);
  return id;
}

function _notFound(id: string): ORPCError<"SAGAS_NOT_FOUND", { id: string }> {
  return _typed("SAGAS_NOT_FOUND", `No saga has the id ${_quote(id)}`, { id });
}

/**
 * Runs a call of the saga client and answers each saga error a caller can
 * cause as the contract's typed error of its code; anything else (a store
 * error, answered 503 by the service) passes through.
 */
async function _answering<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (isNetScriptError(error) && Object.hasOwn(SAGAS_ERRORS, error.code)) {
      const code = error.code as keyof typeof SAGAS_ERRORS;
      throw _typed(code, error.message, error.details);
    }
    throw error;
  }
}

function _typed<TCode extends keyof typeof SAGAS_ERRORS, TData>(
  code: TCode,
  message: string,
  data: TData,
): ORPCError<TCode, TData> {
  return new ORPCError(code, { status: SAGAS_ERRORS[code].status, message, data });
}

/** A value for a message: JSON, cut after 100 characters. */
function _quote(value: string): string {
  const text = JSON.stringify(value);
  return text.length <= 100 ? text : `${text.slice(0, 99)}…"`;
}

/** A stored value as the API returns it: the JSON, `null` for none. */
function _value(text: string | null): unknown {
  return decodeSagaValue(text) ?? null;
}

/** A saga as the API returns it. */
function _saga(record: SagaRecord): z.input<typeof SagaSchema> {
  return {
    id: record.id,
    name: record.name,
    version: record.version,
    state: record.state,
    input: _value(record.input),
    output: _value(record.output),
    error: record.error,
    cancelRequested: record.cancelRequested,
    parentId: record.parentId,
    runAt: record.runAt?.toISOString() ?? null,
    createdAt: record.createdAt.toISOString(),
    updatedAt: record.updatedAt.toISOString(),
    finishedAt: record.finishedAt?.toISOString() ?? null,
  };
}

/** A saga with its journal, split into the forward entries and the compensations. */
function _detail(
  record: SagaRecord,
  entries: readonly SagaEntry[],
): z.input<typeof SagaDetailSchema> {
  const steps: z.input<typeof SagaStepSchema>[] = [];
  const compensations: z.input<typeof SagaCompensationSchema>[] = [];
  for (const entry of entries) {
    const times = {
      wakeAt: entry.wakeAt?.toISOString() ?? null,
      startedAt: entry.startedAt.toISOString(),
      updatedAt: entry.updatedAt.toISOString(),
    };
    const common = {
      seq: entry.seq,
      name: entry.name,
      state: entry.state,
      attempts: entry.attempts,
      error: entry.error,
      ...times,
    };
    if (entry.kind === "compensation") {
      compensations.push({ ...common, compensates: entry.compensates });
    } else {
      steps.push({ ...common, kind: entry.kind, result: _value(entry.result) });
    }
  }
  return { ..._saga(record), steps, compensations };
}

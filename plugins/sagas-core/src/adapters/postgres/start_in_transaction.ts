/**
 * Starting a saga inside the caller's own transaction, so the saga exists
 * exactly when the data it is about commits.
 *
 * @module
 */
import { classifyStoreError } from "@netscript/store";
import { executorRunner, type SqlExecutor } from "@netscript/store/postgres";
import type { z } from "zod";
import type { StartableSaga } from "../../dsl/saga_context.ts";
import type { SagaStart, StartSagaOptions } from "../../runtime/saga_client.ts";
import { checkSameSaga, newSagaFor } from "../../runtime/_start_saga.ts";
import { type SagaRow, toSagaRecord } from "./_saga_row.ts";
import * as sql from "./_saga_sql.ts";
import { SAGA_STORE } from "./_saga_store_names.ts";

const TARGET = "the database of the given transaction";

/**
 * Starts a saga on a connection inside the caller's transaction: runners
 * see it once the transaction commits (they are notified then), and it is
 * gone if the transaction rolls back. The input is checked like
 * `SagaClient.start`; an id already started returns that saga.
 *
 * @param executor A `pg` client on which the caller ran `BEGIN`, or a
 * Prisma interactive-transaction client (`tx` in `db.$transaction(async (tx) => …)`).
 * @param saga The saga's definition.
 * @param input Its input, checked against its schema.
 * @param options Its id (an idempotency key).
 * @returns The saga's id and state, and whether it was started now.
 * @throws {NetScriptError} `SAGAS_INVALID_INPUT`, `SAGAS_INVALID_ID`,
 * `SAGAS_ID_CONFLICT`, `SAGAS_NOT_JSON`, `SAGAS_VALUE_TOO_LARGE`;
 * `SCHEMA_MISSING` when the sagas tables are missing.
 *
 * @example With Prisma
 * ```ts ignore
 * import { db } from "@db";
 * import { startSagaInTransaction } from "@netscript/plugin-sagas-core/postgres";
 * import placeOrder from "../sagas/place_order.ts";
 *
 * await db.$transaction(async (tx) => {
 *   const order = await tx.order.create({ data: { total: 42 } });
 *   await startSagaInTransaction(tx, placeOrder, { orderId: order.id, amount: 42 }, {
 *     id: `order-${order.id}`,
 *   });
 * });
 * ```
 */
export async function startSagaInTransaction<TInput extends z.ZodType>(
  executor: SqlExecutor,
  saga: StartableSaga<TInput>,
  input: z.input<TInput>,
  options: StartSagaOptions = {},
): Promise<SagaStart> {
  const newSaga = newSagaFor(saga, input, options.id);
  const run = executorRunner(executor);
  const values = [
    newSaga.id,
    newSaga.name,
    newSaga.version,
    newSaga.input,
    null,
    newSaga.traceparent ?? null,
    null,
    null,
  ];
  for (;;) {
    let row: (SagaRow & { created: boolean }) | undefined;
    try {
      [row] = await run<SagaRow & { created: boolean }>(sql.START_NOTIFYING, values);
    } catch (error) {
      throw classifyStoreError(error, { ...SAGA_STORE, driver: "postgres", target: TARGET });
    }
    // No row: a transaction that committed after this statement began took the id; the next statement sees it.
    if (row === undefined) continue;
    const started = { saga: toSagaRecord(row), created: row.created };
    checkSameSaga(started, saga.name);
    return { id: started.saga.id, state: started.saga.state, created: started.created };
  }
}

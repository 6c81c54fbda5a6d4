/**
 * The sagas plugin for NetScript: durable workflows whose steps run once
 * each, whose sleeps and signal waits survive restarts, and whose finished
 * steps are compensated, last first, when a later step fails or the saga
 * is cancelled. It runs `sagas-api` (port 8092: start, inspect, cancel,
 * signal and retry sagas) and `saga-runner`; a workspace writes its sagas
 * under `sagas/`, one `export default defineSaga(…)` per file. It needs
 * the workers plugin, whose jobs `ctx.enqueue` starts.
 *
 * @example A saga that charges, waits for shipping, and refunds on failure
 * ```ts
 * // sagas/place_order.ts
 * import { defineSaga } from "@netscript/plugin-sagas";
 * import { z } from "zod";
 *
 * export default defineSaga({
 *   name: "place-order",
 *   input: z.object({ orderId: z.string(), amount: z.number().positive() }),
 *   async run({ orderId, amount }, ctx) {
 *     const payment = await ctx.step("charge", () => ({ paymentId: `pay-${orderId}`, amount }), {
 *       compensate: (charged, { logger }) => logger.info("refund", { paymentId: charged.paymentId }),
 *     });
 *     const shipped = await ctx.waitForSignal("shipped", {
 *       schema: z.object({ tracking: z.string() }),
 *       timeout: 86_400_000,
 *     });
 *     return { paymentId: payment.paymentId, tracking: shipped.tracking };
 *   },
 * });
 * ```
 *
 * @module
 */

export {
  createSagaClient,
  defineSaga,
  SAGA_STATES,
  type SagaClient,
  type SagaContext,
  type SagaDefinition,
  type SagaDetail,
  type SagaEntry,
  type SagaRecord,
  SAGAS_CORE_ERROR_CODES,
  type SagasCoreErrorCode,
  type SagaStart,
  type SagaState,
  type SagaStore,
  type StartSagaOptions,
  type StepOptions,
  type WaitForSignalOptions,
} from "@netscript/plugin-sagas-core";
export {
  SAGAS_ERRORS,
  type SagasContract,
  sagasContract,
  type SagasErrorMap,
} from "../../contracts/v1/mod.ts";
export {
  defineSagasPlugin,
  SAGAS_CONTRACT_VERSIONS,
  type SagasManifest,
  sagasManifest,
  type SagasPluginOptions,
} from "../manifest.ts";
export {
  openSagasClient,
  type OpenSagasClientOptions,
  runSagaRunner,
  type SagaRunnerProcessOptions,
  type SagasClient,
  type SagasConfig,
  type SagasDefinitions,
  type SagasProcessOptions,
  serveSagasApi,
} from "../runtime/processes.ts";
export { DEFAULT_SAGAS_KV_PATH, type OpenedSagaStore, openSagaStore } from "../runtime/store.ts";
export { createSagasService, type SagasServiceOptions } from "../service/sagas_service.ts";
export { SAGAS_PLUGIN_ERROR_CODES, type SagasPluginErrorCode } from "../sagas_error_codes.ts";

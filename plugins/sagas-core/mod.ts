/**
 * Durable sagas for NetScript: workflows whose steps run once each, whose
 * sleeps and signal waits survive restarts, and whose finished steps are
 * compensated, last first, when a later step fails or the saga is
 * cancelled. Sagas are kept by adapters of the {@linkcode SagaStore} port:
 * PostgreSQL, Deno KV and memory.
 *
 * @module
 */

export {
  defineSaga,
  isSagaDefinition,
  MAX_SAGA_VERSION,
  SAGA_NAME_PATTERN,
  type SagaDefinition,
  type SagaOptions,
} from "./src/dsl/define_saga.ts";
export type {
  SagaContext,
  StartableSaga,
  Started,
  StepContext,
  StepOptions,
  WaitForSignalOptions,
} from "./src/dsl/saga_context.ts";
export {
  type ClaimedSaga,
  type ClaimSagasOptions,
  type CommitOutcome,
  FINISHED_SAGA_STATES,
  type HeartbeatOutcome,
  type ListSagasOptions,
  type NewSaga,
  SAGA_ENTRY_KINDS,
  SAGA_ENTRY_STATES,
  SAGA_STATES,
  type SagaCommit,
  type SagaDetail,
  type SagaEntry,
  type SagaEntryKind,
  type SagaEntryState,
  type SagaEntryWrite,
  type SagaPage,
  type SagaProgress,
  type SagaRecord,
  type SagaSignal,
  type SagaState,
  type SagaStats,
  type SagaStore,
  type StartedSaga,
} from "./src/ports/saga_store.ts";
export { SAGAS_CORE_ERROR_CODES, type SagasCoreErrorCode } from "./src/sagas_error_codes.ts";
export { decodeSagaValue, encodeSagaValue, MAX_SAGA_VALUE_BYTES } from "./src/ports/saga_values.ts";
export {
  checkSagaId,
  MAX_SAGA_ID_LENGTH,
  SAGA_ID_PATTERN,
  SIGNAL_NAME_PATTERN,
} from "./src/ports/saga_ids.ts";
export {
  type SagaCatalog,
  sagaCatalog,
  type SagaFile,
  type SagaList,
} from "./src/dsl/saga_list.ts";
export {
  createSagaClient,
  type SagaClient,
  type SagaClientOptions,
  type SagaStart,
  type StartSagaOptions,
} from "./src/runtime/saga_client.ts";
export type { ExecutionEnd, JobStarter } from "./src/runtime/saga_execution.ts";
export {
  createSagaRunner,
  type RunnerSagaStart,
  type SagaRunner,
  type SagaRunnerLimits,
  type SagaRunnerOptions,
} from "./src/runtime/saga_runner.ts";

/**
 * The ids a saga derives from its own id and a journal position, so a
 * replay names the same child saga and the same job: `<id>.<seq>` for a
 * child, `saga:<id>:<seq>` for a job's once-key; a digest of the id
 * stands in for it when the result would be too long.
 *
 * @module
 */
import { MAX_UNIQUE_KEY_LENGTH } from "@netscript/plugin-workers-core";
import { MAX_SAGA_ID_LENGTH } from "../ports/saga_ids.ts";

/**
 * The id of the child saga a saga starts at a position.
 *
 * @param parentId The parent's id.
 * @param seq The position of the `startSaga` call.
 * @returns The child's id.
 */
export async function childSagaId(parentId: string, seq: number): Promise<string> {
  const id = `${parentId}.${seq}`;
  return id.length <= MAX_SAGA_ID_LENGTH ? id : `${await _digest(parentId)}.${seq}`;
}

/**
 * The once-key of the job a saga enqueues at a position.
 *
 * @param sagaId The saga's id.
 * @param seq The position of the `enqueue` call.
 * @returns The once-key.
 */
export async function jobOnceKey(sagaId: string, seq: number): Promise<string> {
  const key = `saga:${sagaId}:${seq}`;
  return key.length <= MAX_UNIQUE_KEY_LENGTH ? key : `saga:${await _digest(sagaId)}:${seq}`;
}

async function _digest(text: string): Promise<string> {
  const bytes = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

import type { JobQueue } from "../ports/job_queue.ts";

/**
 * Writes a worker's completions in batches. A completion that finds no
 * write under way starts one at once; those that arrive while a write is
 * under way wait for it and then go together in the next. A busy worker so
 * makes one store call for many jobs, and an idle one waits for nothing.
 *
 * @param queue The store.
 * @param workerId The worker holding the jobs.
 * @returns A function that completes one job and resolves with whether the
 * worker still held it; it rejects when the store cannot be written.
 */
export function completionBatch(
  queue: JobQueue,
  workerId: string,
): (id: string) => Promise<boolean> {
  let pending = new Map<string, PromiseWithResolvers<boolean>>();
  let writing = false;
  const write = async () => {
    while (pending.size > 0) {
      const batch = pending;
      pending = new Map();
      try {
        const completed = new Set(await queue.completeMany([...batch.keys()], workerId));
        for (const [id, waiter] of batch) waiter.resolve(completed.has(id));
      } catch (error) {
        for (const waiter of batch.values()) waiter.reject(error);
      }
    }
    writing = false;
  };
  return (id) => {
    const waiter = Promise.withResolvers<boolean>();
    pending.set(id, waiter);
    if (!writing) {
      writing = true;
      // Completions of the same turn of the event loop join this write.
      queueMicrotask(write);
    }
    return waiter.promise;
  };
}

import { jobQueueConformance } from "../../testing/mod.ts";
import { MemoryJobQueue } from "./mod.ts";

Deno.test("MemoryJobQueue conforms to the job queue port", (t) =>
  jobQueueConformance(t, () => Promise.resolve(new MemoryJobQueue())));

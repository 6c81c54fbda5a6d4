import { defineJob } from "@netscript/plugin-workers-core";
import { z } from "zod";

/** Sleeps for `ms`, so a test can count the jobs running at once. */
export default defineJob({
  name: "nap",
  input: z.object({ ms: z.int().min(0) }),
  handler: ({ ms }, { signal }) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      signal.addEventListener("abort", () => {
        clearTimeout(timer);
        resolve();
      }, { once: true });
    }),
});

/**
 * A processor for the kit's process tests: one part that ticks until it is
 * stopped; `TICKER_STOP_MS` makes its stop take that long.
 */
import { runProcessor } from "../mod.ts";
import { billing } from "./plugin.ts";

await runProcessor({
  plugin: billing,
  resource: "billing-ticker",
  parts: ({ logger, settings, onClose }) => {
    const stopMs = Number(Deno.env.get("TICKER_STOP_MS") ?? 0);
    const done = Promise.withResolvers<void>();
    let timer: ReturnType<typeof setInterval> | undefined;
    onClose(() => logger.info("closed", {}));
    return [{
      start: () => {
        logger.info("ticking", { concurrency: settings.concurrency });
        timer = setInterval(() => logger.debug("tick"), 20);
        return done.promise;
      },
      stop: async () => {
        clearInterval(timer);
        await new Promise((resolve) => setTimeout(resolve, stopMs));
        done.resolve();
      },
    }];
  },
});

import { chromium } from "playwright-core";
import { z } from "zod";
import { baseContract } from "@netscript/contracts";
import { createService, implement } from "@netscript/service";
const contract = {
  get: baseContract.route({ method: "GET", path: "/users/{id}", summary: "Get a user by id" })
    .input(z.object({ id: z.string() })).output(z.object({ id: z.string() })),
};
const os = implement(contract);
const router = os.router({ get: os.get.handler(({ input }) => ({ id: input.id })) });
const running = createService({ name: "dbg", contract, router, logRequests: true }).serve({
  port: 0,
  hostname: "127.0.0.1",
  handleSignals: false,
});
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
});
const page = await browser.newPage();
const t0 = performance.now();
page.on(
  "request",
  (r) =>
    console.log(
      "REQ",
      Math.round(performance.now() - t0),
      r.method(),
      r.url().slice(0, 120),
      r.resourceType(),
    ),
);
page.on(
  "requestfinished",
  (r) => console.log("FIN", Math.round(performance.now() - t0), r.url().slice(0, 120)),
);
page.on(
  "requestfailed",
  (r) =>
    console.log(
      "FAIL",
      Math.round(performance.now() - t0),
      r.url().slice(0, 120),
      r.failure()?.errorText,
    ),
);
page.on("console", (m) => console.log("CONSOLE", m.type(), m.text().slice(0, 300)));
page.on("pageerror", (e) => console.log("PAGEERROR", String(e)));
const cdp = await page.context().newCDPSession(page);
await cdp.send("Network.enable");
cdp.on(
  "Network.requestWillBeSent",
  (e) => console.log("CDP REQ", e.requestId, e.type, e.request.url.slice(0, 100)),
);
cdp.on("Network.loadingFinished", (e) => console.log("CDP FIN", e.requestId));
cdp.on("Network.loadingFailed", (e) => console.log("CDP FAIL", e.requestId, e.errorText));
page.on("worker", (w) => console.log("WORKER", w.url()));
page.context().on("serviceworker", (w) => console.log("SW", w.url()));
await page.goto(new URL("/api/docs", running.url).href);
await page.waitForTimeout(3000);
const t1 = performance.now();
try {
  await page.waitForLoadState("networkidle", { timeout: 5000 });
  console.log("idle", performance.now() - t1);
} catch {
  console.log("no idle");
}
await page.screenshot({ path: "/tmp/scratch/shot.png", fullPage: true });
await browser.close();
await running.shutdown();

/**
 * The `netscript dev` dashboard in real Chromium: a workspace from
 * `netscript init --plugins workers` (SQLite, Deno KV) run by
 * `netscript dev`; the dashboard shows every resource running, one API
 * request's trace is followed from its log line to its waterfall, a failing
 * job's dead letter is redriven from the workers plugin's panel, and a
 * resource is restarted from the page, with no failed request and no console
 * error on the way.
 *
 * Set `NETSCRIPT_DASHBOARD_SCREENSHOTS=<folder>` to keep a screenshot of each
 * view (the ones in `docs/images/dashboard/` come from this test).
 *
 * @module
 */
import { equal, ok } from "node:assert/strict";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { chromiumRequirement, LAUNCH_OPTIONS, loadedChromium } from "./support/chromium.ts";
import { devReadyEvent, netscript, REPO_ROOT } from "./support/cli.ts";
import { spawnDevJson } from "./support/dev_slot.ts";
import { until } from "./support/polling.ts";
import { assertAvailable } from "./support/requirements.ts";

const BROKEN_JOB = `import { defineJob } from "@netscript/plugin-workers";
import { z } from "zod";

export default defineJob({
  name: "broken",
  input: z.object({}),
  retry: { attempts: 1, backoff: "fixed", delay: 10 },
  handler: () => {
    throw new Error("the printer is on fire");
  },
});
`;

const SCREENSHOTS = Deno.env.get("NETSCRIPT_DASHBOARD_SCREENSHOTS");
const STEP_TIMEOUT_MS = 60_000;

Deno.test({
  name: "the dev dashboard shows resources, logs, traces and the workers panel, and acts",
  ignore: chromiumRequirement.ignore,
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    assertAvailable(chromiumRequirement, "chromium");
    const parent = await Deno.makeTempDir({ prefix: "netscript-dashboard-" });
    let dev: Deno.ChildProcess | undefined;
    const browser = await loadedChromium().launch(LAUNCH_OPTIONS);
    try {
      const init = await netscript(
        [
          "init",
          "app",
          "--db",
          "sqlite",
          "--cache-backend",
          "deno-kv",
          "--no-aspire",
          "--plugins",
          "workers",
          "--link",
          REPO_ROOT,
        ],
        parent,
      );
      equal(init.code, 0, init.stderr);
      const root = join(parent, "app");
      await Deno.mkdir(join(root, "jobs"), { recursive: true });
      await Deno.writeTextFile(join(root, "jobs/broken.ts"), BROKEN_JOB);
      dev = await spawnDevJson(root);
      const stderr = new Response(dev.stderr).text();
      const ready = await devReadyEvent(dev, stderr, 90_000);
      ok(ready.dashboard, "the ready event names the dashboard");
      const dashboard = ready.dashboard;
      const workersApi = `http://127.0.0.1:${
        ready.resources.find((r) => r.name === "workers-api")!.port
      }/api`;

      const page = await browser.newPage();
      const problems = _recordProblems(page);
      const shoot = async (name: string) => {
        if (SCREENSHOTS) await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
      };

      await t.step("the resources view shows every resource running", async () => {
        await page.goto(dashboard, { waitUntil: "load" });
        for (const resource of ready.resources) {
          const state = page.locator(`#resource-${resource.name} td.state`);
          await holds(
            `${resource.name} is shown running`,
            async () => ["running", "ready"].includes((await state.textContent()) ?? ""),
          );
        }
        ok(
          (await page.locator("#resource-workers-api").textContent())?.includes("--allow-net"),
          "a process shows the permissions it was granted",
        );
        if (SCREENSHOTS) {
          await holds(
            "the CPU column is measured",
            async () => ((await page.locator("#resource-api").textContent()) ?? "").includes("%"),
          );
        }
        await shoot("resources");
        await page.emulateMedia({ colorScheme: "dark" });
        await shoot("resources-dark");
        await page.emulateMedia({ colorScheme: "light" });
        await page.keyboard.press("Tab");
        equal(
          await page.evaluate("document.activeElement && document.activeElement.textContent"),
          "Skip to content",
          "the first Tab reaches the skip link",
        );
      });

      let jobId = "";
      await t.step("a request's log line links to its trace's waterfall", async () => {
        const response = await fetch(`${workersApi}/jobs`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ name: "broken", input: {} }),
        });
        equal(response.status, 201);
        jobId = (await response.json()).id;
        await page.goto(`${dashboard}/logs?resource=workers-api&text=%2Fapi%2Fjobs`, {
          waitUntil: "load",
        });
        const link = page.locator("a[aria-label^='Trace ']").last();
        await link.waitFor({ state: "visible", timeout: STEP_TIMEOUT_MS });
        const traceId = (await link.getAttribute("aria-label"))!.slice("Trace ".length);
        await shoot("logs");
        await holds(
          `trace ${traceId} arrives`,
          async () => (await fetch(`${dashboard}/traces/${traceId}`)).status === 200,
        );
        await link.click();
        await page.waitForURL(`**/traces/${traceId}`);
        const spans = page.locator("table.waterfall > tbody > tr");
        ok((await spans.count()) >= 1, "the waterfall shows the trace's spans");
        ok(
          (await page.locator("table.waterfall").textContent())?.includes("workers-api"),
          "the spans come from workers-api",
        );
        await shoot("trace");
        await page.goto(`${dashboard}/traces`, { waitUntil: "load" });
        await page.locator(`a[href="/traces/${traceId}"]`).waitFor({ state: "visible" });
        await shoot("traces");
      });

      await t.step("the workers panel redrives a dead letter", async () => {
        let before = "";
        await holds("the broken job is dead", async () => {
          const job = await (await fetch(`${workersApi}/jobs/${jobId}`)).json();
          before = job.updatedAt;
          return job.state === "dead";
        });
        await page.getByRole("link", { name: "Jobs", exact: true }).click();
        await page.waitForURL("**/panels/jobs");
        const deadLetters = page.locator("section", {
          has: page.getByRole("heading", { name: "Dead letters" }),
        });
        const row = deadLetters.getByRole("row", { name: new RegExp(jobId) });
        await row.waitFor({ state: "visible", timeout: STEP_TIMEOUT_MS });
        ok(
          (await row.textContent())?.includes("the printer is on fire"),
          "the dead letter shows its last error",
        );
        ok(
          ((await page.locator("dl.counts").textContent()) ?? "").includes("dead"),
          "the counts by state are shown",
        );
        await shoot("workers-panel");
        await row.getByRole("button", { name: "Redrive" }).click();
        await page.getByRole("status").filter({ hasText: "Redrive: done" }).waitFor({
          timeout: STEP_TIMEOUT_MS,
        });
        await holds("the redriven job ran again", async () => {
          const job = await (await fetch(`${workersApi}/jobs/${jobId}`)).json();
          return job.updatedAt !== before;
        });
      });

      await t.step("a resource restarts from the page", async () => {
        await page.goto(dashboard, { waitUntil: "load" });
        const row = page.locator("#resource-workers-worker");
        const pid = (await row.locator("td").nth(2).textContent())!;
        await page.getByRole("button", { name: "Restart workers-worker" }).click();
        await page.waitForURL(dashboard.endsWith("/") ? dashboard : `${dashboard}/`);
        await holds("workers-worker runs with a new pid", async () => {
          const cells = await row.locator("td").allTextContents();
          return cells[2] !== pid && cells[2] !== "—" && cells[1] === "running";
        });
      });

      deepProblems(problems);
      await page.close();
    } finally {
      await browser.close();
      if (dev) {
        try {
          dev.kill("SIGINT");
        } catch {
          // It ended already (the error above says why).
        }
        await dev.status;
      }
      await Deno.remove(parent, { recursive: true }).catch(() => {});
    }
  },
});

/** Waits until `probe` holds, up to a minute. */
async function holds(what: string, probe: () => Promise<boolean>): Promise<void> {
  await until(what, async () => (await probe()) ? true : undefined, STEP_TIMEOUT_MS);
}

/** Fails with every failed request, error answer, page error and console error recorded. */
function deepProblems(problems: string[]): void {
  equal(problems.length, 0, `no failed request or console error:\n${problems.join("\n")}`);
}

/**
 * Records what would mean the dashboard misbehaved: a request that failed
 * (a live log stream cut by leaving its page is how browsers end it, not a
 * failure), an answer of 400 or more, an uncaught page error, a console error.
 */
function _recordProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on("requestfailed", (request) => {
    const reason = request.failure()?.errorText ?? "";
    if (reason === "net::ERR_ABORTED" && request.url().includes("/logs/stream")) return;
    problems.push(`request failed: ${request.url()} ${reason}`);
  });
  page.on("response", (response) => {
    if (response.status() >= 400) problems.push(`${response.status()} ${response.url()}`);
  });
  page.on("pageerror", (error) => problems.push(`page error: ${error}`));
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console error: ${message.text()}`);
  });
  return problems;
}

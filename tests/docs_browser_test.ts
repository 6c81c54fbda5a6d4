/**
 * Opens the service's API reference page in headless Chromium and checks
 * that Scalar renders the contract's operations with no request leaving the
 * service's origin (no CDN, font host or telemetry). Then does the same for
 * the app's and a plugin's service of a scaffolded workspace run by
 * `netscript dev` exactly as `deno task demo` runs it, where every service has
 * only the permissions the resource graph gives it.
 *
 * Needs Debian's Chromium at `/usr/bin/chromium`; see
 * `tests/support/requirements.ts` for when a missing browser skips or fails.
 *
 * @module
 */
import { spawnDevRunner } from "./support/dev_slot.ts";
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { z } from "zod";
import { baseContract, OffsetPaginationQuerySchema, paginatedSchema } from "@netscript/contracts";
import { createService, implement } from "@netscript/service";
import { createLogger } from "@netscript/telemetry";
import { findLauncher } from "../cli/src/dev/parent_death.ts";
import { cliProcessArgs, initLinkedWorkspace, REPO_ROOT } from "./support/cli.ts";
import { assertAvailable } from "./support/requirements.ts";
import { chromiumRequirement, LAUNCH_OPTIONS, loadedChromium } from "./support/chromium.ts";

const RENDER_TIMEOUT_MS = 30_000;
const QUIET_MS = 1_000;

const User = z.object({ id: z.string(), name: z.string() });

const contract = {
  list: baseContract
    .route({ method: "GET", path: "/users", summary: "List users" })
    .input(OffsetPaginationQuerySchema)
    .output(paginatedSchema(User)),
  get: baseContract
    .route({ method: "GET", path: "/users/{id}", summary: "Get a user by id" })
    .input(z.object({ id: z.string() }))
    .output(User),
  create: baseContract
    .route({ method: "POST", path: "/users", summary: "Create a user" })
    .input(z.object({ name: z.string().min(1) }))
    .output(User),
};

const os = implement(contract);
const router = os.router({
  list: os.list.handler(({ input }) => ({
    items: [],
    total: 0,
    limit: input.limit,
    offset: input.offset,
  })),
  get: os.get.handler(({ input }) => ({ id: input.id, name: "Ada" })),
  create: os.create.handler(({ input }) => ({ id: "1", name: input.name })),
});

Deno.test({
  name: "GET /api/docs renders the API reference offline in Chromium",
  ignore: chromiumRequirement.ignore,
  async fn(t) {
    assertAvailable(chromiumRequirement, "chromium");
    const chromium = loadedChromium();
    const name = "user-directory";
    const running = createService({
      name,
      contract,
      router,
      logger: createLogger({ service: name, level: "warn" }),
      logRequests: false,
    }).serve({ port: 0, hostname: "127.0.0.1", handleSignals: false });
    const browser = await chromium.launch(LAUNCH_OPTIONS);
    const screenshot = await Deno.makeTempFile({ prefix: "netscript_docs_", suffix: ".png" });
    const steps: boolean[] = [];
    let passed = false;
    try {
      const page = await browser.newPage();
      const network = _recordNetwork(page);
      const pageErrors: string[] = [];
      page.on("pageerror", (error) => pageErrors.push(String(error)));

      const docs = new URL("/api/docs", running.url);
      const response = await page.goto(docs.href, { waitUntil: "load" });
      assert.equal(response?.status(), 200);

      steps.push(
        await t.step("shows the service name as the title", async () => {
          await page.getByRole("heading", { name, exact: true }).first()
            .waitFor({ state: "visible", timeout: RENDER_TIMEOUT_MS });
        }),
      );

      steps.push(
        await t.step("shows every operation's summary and path", async () => {
          // Scalar renders operations as they come into view, so each one is
          // opened from the sidebar, as a reader would, before its path is read.
          for (
            const [summary, path] of [
              ["List users", "/users"],
              ["Get a user by id", "/users/{id}"],
              ["Create a user", "/users"],
            ] as const
          ) {
            const entry = page.getByText(summary, { exact: true }).first();
            await entry.waitFor({ state: "visible", timeout: RENDER_TIMEOUT_MS });
            await entry.click();
            await page.getByText(path, { exact: true }).first()
              .waitFor({ state: "visible", timeout: RENDER_TIMEOUT_MS });
          }
        }),
      );

      // Not `waitForLoadState("networkidle")`: Playwright fires it while the
      // large Scalar bundle is still executing, withdraws it when the page
      // then fetches the OpenAPI document, and never fires it again.
      await _waitForQuietNetwork(network, QUIET_MS, RENDER_TIMEOUT_MS);
      await page.screenshot({ path: screenshot, fullPage: true });

      steps.push(
        await t.step("makes requests only to the service's own origin", () => {
          const origin = running.url.origin;
          const foreign = network.requests.filter((url) => new URL(url).origin !== origin);
          assert.deepEqual(foreign, []);
          assert.deepEqual(network.failed, []);
          assert.ok(network.requests.includes(new URL("/api/openapi.json", origin).href));
        }),
      );

      steps.push(
        await t.step("serves the Scalar script as UTF-8 and throws no page errors", () => {
          assert.deepEqual(pageErrors, []);
          assert.match(network.contentTypes.get("/api/docs/scalar.js") ?? "", /charset=utf-8/i);
        }),
      );

      const { size } = await Deno.stat(screenshot);
      assert.ok(size > 10_000, `The screenshot ${screenshot} is only ${size} bytes`);
      passed = steps.every(Boolean);
    } finally {
      await browser.close();
      await running.shutdown();
      if (passed) {
        await Deno.remove(screenshot);
      } else {
        console.error(`[docs_browser_test] screenshot of the failing page: ${screenshot}`);
      }
    }
  },
});

Deno.test({
  name: "GET /api/docs renders in Chromium for services started by netscript dev as the demo does",
  ignore: chromiumRequirement.ignore,
  async fn(t) {
    assertAvailable(chromiumRequirement, "chromium");
    const chromium = loadedChromium();
    const parent = await Deno.makeTempDir({ prefix: "netscript_docs_dev_" });
    let dev: Deno.ChildProcess | undefined;
    let output: Promise<string> = Promise.resolve("");
    const browser = await chromium.launch(LAUNCH_OPTIONS);
    try {
      const root = await initLinkedWorkspace(parent, [
        "--plugins",
        `${REPO_ROOT}/tests/fixtures/hello-plugin`,
      ]);
      // As scripts/demo.ts starts it: the CLI as its own process, under the
      // launcher that ties it to this one, with no deno task in between.
      const launcher = await findLauncher();
      dev = await spawnDevRunner(
        new Deno.Command(launcher.command, {
          args: [...launcher.prefix, ...cliProcessArgs("dev")],
          cwd: root,
          env: { NO_COLOR: "1" },
          stdin: "null",
          stdout: "piped",
          stderr: "piped",
        }),
      );
      output = Promise.all([dev.stdout, dev.stderr].map((s) => new Response(s).text()))
        .then((parts) => parts.join(""));
      const ports = await _waitForDev(root, dev);
      for (const service of ["api", "hello-api"]) {
        const port = ports.get(service);
        assert.ok(port, `netscript dev started no "${service}" service`);
        await t.step(`${service}: the page loads every asset and logs no error`, async () => {
          const origin = `http://localhost:${port}`;
          const title = (await (await fetch(`${origin}/api/openapi.json`)).json()).info.title;
          const page = await browser.newPage();
          try {
            const network = _recordNetwork(page);
            const problems: string[] = [];
            page.on("pageerror", (error) => problems.push(`page error: ${error}`));
            page.on("console", (message) => {
              if (message.type() === "error") problems.push(`console error: ${message.text()}`);
            });
            page.on("response", (response) => {
              if (response.status() >= 400) {
                problems.push(`${response.status()} ${response.url()}`);
              }
            });
            const response = await page.goto(`${origin}/api/docs`, { waitUntil: "load" });
            assert.equal(response?.status(), 200);
            await page.getByRole("heading", { name: title, exact: true }).first()
              .waitFor({ state: "visible", timeout: RENDER_TIMEOUT_MS })
              .catch((error) => {
                throw new Error(`The page never showed "${title}": ${problems.join("; ")}`, {
                  cause: error,
                });
              });
            await _waitForQuietNetwork(network, QUIET_MS, RENDER_TIMEOUT_MS);
            assert.deepEqual(network.failed, []);
            assert.deepEqual(problems, []);
            for (const asset of ["/api/docs/scalar.js", "/api/openapi.json"]) {
              assert.ok(network.requests.includes(`${origin}${asset}`), `${asset} was not loaded`);
            }
          } finally {
            await page.close();
          }
        });
      }
    } catch (error) {
      await _stop(dev);
      throw new Error(`${(error as Error).message}\nnetscript dev printed:\n${await output}`, {
        cause: error,
      });
    } finally {
      await browser.close();
      await _stop(dev);
      await output;
      await Deno.remove(parent, { recursive: true });
    }
  },
});

/**
 * Waits, as scripts/demo.ts does, until the runner's state file lists every
 * process as running, and returns each service's port.
 */
async function _waitForDev(
  root: string,
  dev: Deno.ChildProcess,
): Promise<Map<string, number>> {
  let exited = false;
  dev.status.then(() => exited = true);
  const deadline = performance.now() + 60_000;
  while (!exited && performance.now() < deadline) {
    const state = await Deno.readTextFile(`${root}/.netscript/dev/state.json`)
      .then((text) => JSON.parse(text), () => undefined) as
        | {
          runner: number;
          resources: { name: string; kind: string; port: number | null; state: string }[];
        }
        | undefined;
    const processes = state?.resources.filter((r) => r.kind !== "store") ?? [];
    if (
      state?.runner === dev.pid && processes.length > 0 &&
      processes.every((r) => r.state === "running")
    ) {
      return new Map(processes.flatMap((r) => r.port === null ? [] : [[r.name, r.port] as const]));
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`netscript dev ${exited ? "exited" : "timed out"} before every process ran`);
}

/** Stops the runner as Ctrl-C would (then kills it after 15 s) and waits for it. */
async function _stop(dev: Deno.ChildProcess | undefined): Promise<void> {
  if (dev === undefined) return;
  const signal = (name: Deno.Signal) => {
    try {
      dev.kill(name);
    } catch {
      // already exited
    }
  };
  signal("SIGINT");
  const timer = setTimeout(() => signal("SIGKILL"), 15_000);
  try {
    await dev.status;
  } finally {
    clearTimeout(timer);
  }
}

/** What a page has asked of the network so far. */
interface NetworkRecord {
  /** The URL of every request, in order. */
  requests: string[];
  /** The URL of every request that failed. */
  failed: string[];
  /** The `content-type` of each response, by path. */
  contentTypes: Map<string, string | undefined>;
  /** Requests started and not yet finished or failed. */
  inFlight: number;
  /** When a request last started or ended, from `performance.now()`. */
  lastActivity: number;
}

function _recordNetwork(page: Page): NetworkRecord {
  const record: NetworkRecord = {
    requests: [],
    failed: [],
    contentTypes: new Map(),
    inFlight: 0,
    lastActivity: performance.now(),
  };
  const settled = () => {
    record.inFlight--;
    record.lastActivity = performance.now();
  };
  page.on("request", (request) => {
    record.requests.push(request.url());
    record.inFlight++;
    record.lastActivity = performance.now();
  });
  page.on("requestfinished", settled);
  page.on("requestfailed", (request) => {
    record.failed.push(request.url());
    settled();
  });
  page.on("response", (response) => {
    record.contentTypes.set(new URL(response.url()).pathname, response.headers()["content-type"]);
  });
  return record;
}

async function _waitForQuietNetwork(
  network: NetworkRecord,
  quietMs: number,
  timeoutMs: number,
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (network.inFlight > 0 || performance.now() - network.lastActivity < quietMs) {
    if (performance.now() > deadline) {
      throw new Error(
        `The page kept the network busy for ${timeoutMs} ms (${network.inFlight} request(s) in flight); look at its requests: ${
          network.requests.join(", ")
        }`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

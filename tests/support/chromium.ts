/**
 * Headless Chromium for the browser tests: Debian's `/usr/bin/chromium`
 * driven by playwright-core, probed once per test file. See
 * `requirements.ts` for when a missing browser skips or fails.
 *
 * @module
 */
import type { BrowserType, LaunchOptions } from "playwright-core";
import { probeRequirement, type Requirement } from "./requirements.ts";

/** Where the tests expect Chromium. */
export const CHROMIUM_PATH = "/usr/bin/chromium";

/** How the tests launch it: headless, no sandbox, nothing that reaches the network on its own. */
export const LAUNCH_OPTIONS: LaunchOptions = {
  executablePath: CHROMIUM_PATH,
  timeout: 30_000,
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
};

// playwright-core is loaded in the probe, not imported statically: under
// Deno it checks `/proc/sys/fs/binfmt_misc/WSLInterop` when it loads, which
// Deno refuses without `--allow-all`, and a failed static import would fail
// the whole file instead of reporting the requirement.
let chromium: BrowserType | undefined;

/** Whether Chromium can be launched here, and why not. */
export const chromiumRequirement: Requirement = await probeRequirement("chromium", async () => {
  try {
    await Deno.stat(CHROMIUM_PATH);
  } catch {
    return `${CHROMIUM_PATH} does not exist; install it with "apt-get install chromium"`;
  }
  let browserType: BrowserType;
  try {
    browserType = (await import("playwright-core")).chromium;
  } catch (error) {
    return `Cannot load playwright-core: ${_firstLine(error)}`;
  }
  try {
    const browser = await browserType.launch(LAUNCH_OPTIONS);
    await browser.close();
  } catch (error) {
    return `Cannot launch ${CHROMIUM_PATH}: ${_firstLine(error)}`;
  }
  chromium = browserType;
  return undefined;
});

/**
 * The browser type the probe loaded.
 *
 * @returns playwright-core's Chromium.
 * @throws {Error} When the probe did not pass (call `assertAvailable` first).
 */
export function loadedChromium(): BrowserType {
  if (chromium === undefined) throw new Error("The chromium probe did not pass");
  return chromium;
}

function _firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split("\n")[0] ?? message;
}

/**
 * Decides whether a test that needs something outside the repository (a
 * browser, a database server) runs, is skipped, or fails.
 *
 * On a bare machine a missing requirement skips the test and prints why. When
 * `NETSCRIPT_REQUIRE` lists the requirement (or is `all`), as `.ci/run` sets
 * it, a missing requirement fails the test instead.
 *
 * @module
 */

/** The outcome of probing one requirement. */
export interface Requirement {
  /** Whether the requirement is met. */
  available: boolean;
  /** Why it is not met, when it is not. */
  reason?: string;
  /** Pass to `Deno.test({ ignore })`: true only when missing and not required. */
  ignore: boolean;
}

function _required(name: string): boolean {
  const list = (Deno.env.get("NETSCRIPT_REQUIRE") ?? "").split(",").map((s) => s.trim());
  return list.includes("all") || list.includes(name);
}

/**
 * Probes a requirement once and reports it.
 *
 * @param name A short name such as `chromium` or `postgres`.
 * @param probe Resolves to `undefined` when available, else to the reason it is not.
 * @returns Whether to run, skip or fail the tests that need it.
 */
export async function probeRequirement(
  name: string,
  probe: () => Promise<string | undefined>,
): Promise<Requirement> {
  let reason: string | undefined;
  try {
    reason = await probe();
  } catch (error) {
    reason = error instanceof Error ? error.message : String(error);
  }
  if (reason === undefined) return { available: true, ignore: false };
  const required = _required(name);
  console.error(
    required
      ? `[requirement] ${name} is required (NETSCRIPT_REQUIRE) but unavailable: ${reason}`
      : `[requirement] skipping tests that need ${name}: ${reason}`,
  );
  return { available: false, reason, ignore: !required };
}

/**
 * Fails a test whose requirement is missing but required.
 *
 * @param requirement The probe result.
 * @param name The requirement's name, for the message.
 */
export function assertAvailable(requirement: Requirement, name: string): void {
  if (!requirement.available) {
    throw new Error(`${name} is required but unavailable: ${requirement.reason}`);
  }
}

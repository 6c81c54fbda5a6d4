import { redactSecrets } from "@netscript/store";

/** What one request to a service's health path saw. */
export type HealthProbe =
  | { kind: "healthy" }
  | { kind: "unreachable" }
  | { kind: "failing"; status: number; failure: string };

/** Since when a service has answered with the same failure. */
export interface FailingSince {
  /** The failure, as {@linkcode summarizeHealthFailure} words it. */
  failure: string;
  /** When it was first seen, in milliseconds. */
  since: number;
}

/** What to do after a probe. */
export type HealthVerdict =
  | { action: "healthy" }
  | { action: "wait"; failing: FailingSince | undefined }
  | { action: "fail"; failure: string; forMs: number };

/**
 * Decides what one health probe means. A service that does not answer yet
 * (still booting) is waited for; one that answers with the same failure
 * for `failAfterMs` or longer has failed, since a missing database or table
 * does not fix itself. A different failure starts the count again.
 *
 * @param failing The failure seen so far, if any.
 * @param probe What the probe saw.
 * @param options The time of the probe and how long a failure may last.
 * @returns Whether the service is healthy, failed, or worth waiting for.
 * @example
 * ```ts
 * import { judgeHealthProbe } from "./health_failure.ts";
 *
 * const probe = { kind: "failing", status: 503, failure: "database: no such table" } as const;
 * const first = judgeHealthProbe(undefined, probe, { now: 0, failAfterMs: 3_000 });
 * console.log(first.action); // "wait"
 * ```
 */
export function judgeHealthProbe(
  failing: FailingSince | undefined,
  probe: HealthProbe,
  options: { now: number; failAfterMs: number },
): HealthVerdict {
  if (probe.kind === "healthy") return { action: "healthy" };
  if (probe.kind === "unreachable") return { action: "wait", failing: undefined };
  const same = failing?.failure === probe.failure ? failing : undefined;
  const since = same?.since ?? options.now;
  const forMs = options.now - since;
  return forMs >= options.failAfterMs
    ? { action: "fail", failure: probe.failure, forMs }
    : { action: "wait", failing: { failure: probe.failure, since } };
}

/**
 * Words a failing health answer: the failing checks of a `/health` report
 * (`database: Database \`app\` does not exist on the database server`), each
 * error cut to its last line (Prisma puts the cause there) and stripped of
 * passwords; or the status when the body is not such a report.
 *
 * @param status The response's status.
 * @param body The response's body.
 * @returns One line saying what fails.
 */
export function summarizeHealthFailure(status: number, body: string): string {
  let report: unknown;
  try {
    report = JSON.parse(body);
  } catch {
    return `status ${status}`;
  }
  const checks = (report as { checks?: unknown })?.checks;
  if (!Array.isArray(checks)) return `status ${status}`;
  const failing = checks.filter((c) => c?.status === "fail").map((c) => {
    const lines = String(c.error ?? "failed").split("\n").map((l) => l.trim()).filter(Boolean);
    return `${String(c.name)}: ${redactSecrets(lines.at(-1) ?? "failed")}`;
  });
  return failing.length === 0 ? `status ${status}` : failing.join("; ");
}

/**
 * The command or step that fixes a health failure, for the usual causes: a
 * database that does not exist, tables that are missing, a database that
 * cannot be reached or refuses the login.
 *
 * @param failure What {@linkcode summarizeHealthFailure} said.
 * @returns What to do, in words.
 */
export function healthFailureFix(failure: string): string {
  if (/database [`"'][^`"']+[`"'] does not exist|unknown database/i.test(failure)) {
    return "create it with netscript db create, then apply the migrations with netscript db deploy";
  }
  if (/(table|relation)\b.*\bdoes not exist|not set up yet|no such table/i.test(failure)) {
    return "apply the migrations with netscript db deploy (netscript doctor lists the pending ones)";
  }
  if (/authentication failed|access denied|password/i.test(failure)) {
    return "fix the user and password in DATABASE_URL (in the environment or .env)";
  }
  if (/can't reach|cannot be reached|ECONNREFUSED|connection refused/i.test(failure)) {
    return "start the database, or point DATABASE_URL (in the environment or .env) at a running one";
  }
  return "fix what the check reports (the service's output above has more), then start netscript dev again";
}

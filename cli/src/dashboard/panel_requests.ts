/** What a plugin's service answered to a panel's request. */
export interface ServiceAnswer {
  /** The HTTP status; `0` when the service could not be reached. */
  readonly status: number;
  /** The parsed JSON body, or the text when it is not JSON. */
  readonly body: unknown;
}

/** Where a panel's requests go, and how they prove they come from the workspace. */
export interface PanelTransport {
  /** The base URL of a running service, or `undefined` when it is not part of this run. */
  serviceUrl(service: string): string | undefined;
  /** The `authorization` header value for a request to a service (a service credential). */
  authorization(): Promise<string>;
}

/** How long a panel waits for a plugin's service. */
const PANEL_TIMEOUT_MS = 10_000;

/**
 * Fills a route template's `{field}` placeholders with values, each one
 * percent-encoded as a single path segment. A missing or empty value, or
 * `.` and `..` (which a URL would resolve to another route), fills nothing.
 *
 * @param template The route, e.g. `/api/dead-letters/{id}/redrive`.
 * @param value Reads a placeholder's value.
 * @returns The path, or `undefined` when a value is missing or not allowed.
 * @example
 * ```ts
 * import { fillRoute } from "./panel_requests.ts";
 *
 * console.log(fillRoute("/api/jobs/{id}/retry", () => "a/b")); // /api/jobs/a%2Fb/retry
 * ```
 */
export function fillRoute(
  template: string,
  value: (field: string) => string | undefined,
): string | undefined {
  let refused = false;
  const path = template.replace(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, field: string) => {
    const given = value(field);
    if (given === undefined || given === "" || given === "." || given === "..") {
      refused = true;
      return "";
    }
    return encodeURIComponent(given);
  });
  return refused ? undefined : path;
}

/**
 * Names the `{field}` placeholders of a route template.
 *
 * @param template The route.
 * @returns The field names, in order.
 */
export function routeFields(template: string): string[] {
  return [...template.matchAll(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g)].map((match) => match[1]!);
}

/**
 * Sends one panel request to a plugin's service with a service credential,
 * without following redirects, bounded by a timeout. Never throws: an
 * unreachable service is status `0` with the reason as the body.
 *
 * @param transport Where services are and how to prove the request.
 * @param service The service's resource name.
 * @param method `GET` to read, `POST` for an action.
 * @param path The filled route.
 * @returns The status and body.
 */
export async function askService(
  transport: PanelTransport,
  service: string,
  method: "GET" | "POST",
  path: string,
): Promise<ServiceAnswer> {
  const base = transport.serviceUrl(service);
  if (base === undefined) {
    return { status: 0, body: `${service} is not part of this run` };
  }
  try {
    const response = await fetch(new URL(path, base), {
      method,
      redirect: "manual",
      signal: AbortSignal.timeout(PANEL_TIMEOUT_MS),
      headers: { accept: "application/json", authorization: await transport.authorization() },
    });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // Not JSON: the text is shown as it is.
    }
    return { status: response.status, body };
  } catch (error) {
    return {
      status: 0,
      body: `${service} did not answer: ${(error as Error).message.split("\n")[0]}`,
    };
  }
}

/**
 * Describes a failed answer in one line: status, the error's `code` and
 * `message` when the body is a NetScript error.
 *
 * @param service The service's resource name.
 * @param answer The answer.
 * @returns E.g. `billing-api answered 409 CONFLICT: The invoice is paid`.
 */
export function describeFailure(service: string, answer: ServiceAnswer): string {
  if (answer.status === 0) return String(answer.body);
  const body = answer.body as { code?: unknown; message?: unknown } | null;
  const code = typeof body?.code === "string" ? ` ${body.code}` : "";
  const message = typeof body?.message === "string"
    ? `: ${body.message}`
    : typeof answer.body === "string" && answer.body !== ""
    ? `: ${answer.body.slice(0, 200)}`
    : "";
  return `${service} answered ${answer.status}${code}${message}`;
}

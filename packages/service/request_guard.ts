/**
 * Keeps web pages on other sites away from a service's state-changing
 * routes. A service has no authentication of its own, so a page a developer
 * happens to visit could otherwise send it a plain HTML form (which a
 * browser posts cross-site without asking) or a `no-cors` fetch. Browsers
 * say where a request comes from (`Sec-Fetch-Site`, `Origin`); other
 * clients (curl, the typed client, other services) send neither and pass.
 *
 * @module
 */

/** Methods that only read: a browser may send them from anywhere, and a `"writes"` guard lets them pass. */
export const SAFE_METHODS: ReadonlySet<string> = new Set(["GET", "HEAD", "OPTIONS"]);

/** What a refused request is answered, in the service's plain error shape. */
export interface Refusal {
  /** The HTTP status. */
  readonly status: 403 | 415;
  /** The error code of the body. */
  readonly code: "FORBIDDEN" | "UNSUPPORTED_MEDIA_TYPE";
  /** What was refused and what to do. */
  readonly message: string;
}

/**
 * Refuses a state-changing request that a browser says comes from another
 * origin: `Sec-Fetch-Site` other than `same-origin` or `none`, or (from a
 * browser that does not send it) an `Origin` that is not the request's own.
 *
 * @param request The request.
 * @returns The refusal, or `undefined` when the request may proceed.
 */
export function refuseCrossSite(request: Request): Refusal | undefined {
  if (SAFE_METHODS.has(request.method)) return undefined;
  const site = request.headers.get("sec-fetch-site");
  const origin = request.headers.get("origin");
  const crossSite = site !== null
    ? site !== "same-origin" && site !== "none"
    : origin !== null && origin !== new URL(request.url).origin;
  if (!crossSite) return undefined;
  return {
    status: 403,
    code: "FORBIDDEN",
    message: `Cross-origin ${request.method} requests are refused (origin ${
      origin ?? "unknown"
    }); call the service from its own origin or from a server`,
  };
}

/**
 * Refuses a state-changing REST request whose body is not JSON: HTML forms
 * (`application/x-www-form-urlencoded`, `multipart/form-data`,
 * `text/plain`) are what a page on another site can send without a CORS
 * preflight. A request without `Content-Type` passes (its body is read as
 * JSON).
 *
 * @param request The request.
 * @returns The refusal, or `undefined` when the request may proceed.
 */
export function refuseNonJsonBody(request: Request): Refusal | undefined {
  if (SAFE_METHODS.has(request.method)) return undefined;
  const type = request.headers.get("content-type");
  if (type === null) return undefined;
  const essence = type.split(";", 1)[0]!.trim().toLowerCase();
  if (essence === "application/json") return undefined;
  return {
    status: 415,
    code: "UNSUPPORTED_MEDIA_TYPE",
    message:
      `REST routes accept JSON bodies only, not "${essence}"; send content-type: application/json`,
  };
}

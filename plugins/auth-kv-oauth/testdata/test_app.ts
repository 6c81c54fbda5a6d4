/**
 * The test side of the application: a kv-oauth backend against a provider,
 * a browser's cookie jar, and a record of every secret the run saw (client
 * secret, `AUTH_SECRET`, codes, tokens, session cookies) and of every log
 * line and error, to prove none of those secrets reached the latter.
 *
 * @module
 */
import { equal, ok } from "node:assert/strict";
import { isNetScriptError } from "@netscript/contracts/errors";
import type { AuthBackendPort, AuthErrorCode } from "@netscript/plugin-auth-core";
import { createLogger, type Logger } from "@netscript/telemetry";
import { CookieJar } from "./headless_browser.ts";

/** What a test run saw: secrets on one side, log lines and errors on the other. */
export class LeakWatch {
  /** Every secret, token, code and session cookie the run saw. */
  readonly secrets: Set<string> = new Set();
  /** Every log line the backend wrote. */
  readonly lines: string[] = [];
  /** Every error the backend threw. */
  readonly errors: Error[] = [];
  /** The logger to give the backend. */
  readonly logger: Logger = createLogger({
    service: "auth-test",
    level: "debug",
    sink: (line) => this.lines.push(line),
  });

  /**
   * A `fetch` that records the tokens of every JSON answer.
   *
   * @returns The fetch to give the backend.
   */
  fetch(): typeof fetch {
    return async (input, init) => {
      const response = await fetch(input, init);
      if (response.headers.get("content-type")?.includes("json")) {
        const body = await response.clone().json().catch(() => null);
        for (const field of ["access_token", "refresh_token", "id_token"]) {
          if (typeof body?.[field] === "string") this.secrets.add(body[field]);
        }
      }
      return response;
    };
  }

  /**
   * Expects a promise to fail with a code (and reason), and keeps the error.
   *
   * @param promise What should fail.
   * @param code The code.
   * @param reason `details.reason`, when given.
   */
  async expectError(
    promise: Promise<unknown>,
    code: AuthErrorCode,
    reason?: string,
  ): Promise<void> {
    const error = await promise.then(() => null, (caught: unknown) => caught);
    ok(
      isNetScriptError<AuthErrorCode>(error, code),
      `expected ${code} ${reason ?? ""}, got ${error}`,
    );
    if (reason !== undefined) equal(error.details.reason, reason, error.message);
    this.errors.push(error);
  }

  /** Asserts that no secret the run saw is in a log line or an error. */
  assertNoLeak(): void {
    ok(
      this.secrets.size > 0 && this.errors.length > 0 && this.lines.length > 0,
      "nothing to check",
    );
    const text = [
      ...this.lines,
      ...this.errors.map((error) => `${error.message}\n${JSON.stringify(error)}\n${error.stack}`),
    ].join("\n");
    for (const secret of this.secrets) {
      ok(!text.includes(secret), `a secret reached a log line or an error: ${secret.slice(0, 8)}…`);
    }
  }
}

/** A browser of the application at one origin. */
export class AppBrowser {
  /** Its cookies (the application's and the provider's). */
  readonly jar: CookieJar = new CookieJar();
  readonly #backend: AuthBackendPort;
  readonly #origin: string;
  readonly #watch: LeakWatch;

  /**
   * Opens a browser.
   *
   * @param backend The application's backend.
   * @param origin The origin its requests go to.
   * @param watch Where secrets are recorded.
   */
  constructor(backend: AuthBackendPort, origin: string, watch: LeakWatch) {
    this.#backend = backend;
    this.#origin = origin;
    this.#watch = watch;
  }

  /**
   * Begins a sign-in.
   *
   * @param redirectTo Where to return.
   * @returns The response (a redirect to the provider).
   */
  async signIn(redirectTo = "/account"): Promise<Response> {
    const response = await this.#backend.signIn(this.request("/auth/signin"), { redirectTo });
    this.jar.store(this.#origin, response);
    return response;
  }

  /**
   * Follows the provider's redirect back to the application.
   *
   * @param callbackUrl The URL the provider redirected to.
   * @returns The application's response.
   */
  async callback(callbackUrl: URL): Promise<Response> {
    const code = callbackUrl.searchParams.get("code");
    if (code !== null) this.#watch.secrets.add(code);
    const url = new URL(callbackUrl.pathname + callbackUrl.search, this.#origin);
    const response = await this.#backend.callback(this.request(url.pathname + url.search));
    this.jar.store(this.#origin, response);
    const token = this.cookie("netscript-session") ?? this.cookie("__Host-netscript-session");
    if (token !== undefined) this.#watch.secrets.add(token);
    return response;
  }

  /**
   * A request to the application, with this browser's cookies.
   *
   * @param path The path and query.
   * @returns The request.
   */
  request(path: string): Request {
    return this.jar.request(new URL(path, this.#origin));
  }

  /**
   * One of the application's cookies in this browser.
   *
   * @param name The full name.
   * @returns Its value.
   */
  cookie(name: string): string | undefined {
    return this.jar.get(this.#origin, name);
  }
}

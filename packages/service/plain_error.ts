/** The body of an error the service answers itself, outside any procedure. */
export interface PlainError {
  /** The HTTP status. */
  readonly status: number;
  /** The stable error code, e.g. `NOT_FOUND`. */
  readonly code: string;
  /** What went wrong and what to do. */
  readonly message: string;
  /** Details a client can act on, e.g. the issues of a refused payload. */
  readonly data?: unknown;
}

/**
 * Answers an error the service raises itself (no route, wrong method, a
 * refused request) as JSON `{ defined: false, code, status, message }` (and
 * `data` when given), the shape of every undeclared error a procedure answers.
 *
 * @param error The status, code and message.
 * @param headers Extra response headers, e.g. `allow`.
 * @returns The response.
 */
export function plainErrorResponse(error: PlainError, headers: HeadersInit = {}): Response {
  const { status, code, message, data } = error;
  const all = new Headers(headers);
  all.set("content-type", "application/json; charset=utf-8");
  return new Response(
    JSON.stringify({
      defined: false,
      code,
      status,
      message,
      ...(data === undefined ? {} : { data }),
    }),
    {
      status,
      headers: all,
    },
  );
}

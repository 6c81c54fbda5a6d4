import { type AnyContractRouter, isContractProcedure } from "@orpc/contract";

/** One REST route of a contract: its method and a pattern for its path. */
interface RestRoute {
  readonly method: string;
  readonly pattern: RegExp;
}

/**
 * Tells which methods a contract's REST routes answer on a path, so a known
 * path asked with another method gets `405` and an `Allow` header rather
 * than `404`. Paths follow oRPC's rules: a procedure's `.route({ path })`
 * (`{id}` matches one segment, `{+rest}` several), else its procedure path;
 * the method is the route's, else `POST`.
 */
export class RestRoutes {
  readonly #routes: readonly RestRoute[];

  /** @param contract The contract whose REST routes are served under `/api`. */
  constructor(contract: AnyContractRouter) {
    const routes: RestRoute[] = [];
    _collect(contract, [], routes);
    this.#routes = routes;
  }

  /**
   * The methods some route answers on `path`, `HEAD` included wherever
   * `GET` is, sorted; empty when no route has that path.
   *
   * @param path The path below `/api`, e.g. `/users/1`.
   * @returns The methods, e.g. `["GET", "HEAD", "POST"]`.
   */
  allowedMethods(path: string): readonly string[] {
    const normalised = `/${path.replace(/^\/|\/$/g, "")}`;
    const methods = new Set<string>();
    for (const route of this.#routes) {
      if (route.pattern.test(normalised)) {
        methods.add(route.method);
        if (route.method === "GET") methods.add("HEAD");
      }
    }
    return [...methods].sort();
  }
}

function _collect(router: AnyContractRouter, path: readonly string[], into: RestRoute[]): void {
  if (isContractProcedure(router)) {
    const route = router["~orpc"].route;
    const template = route.path ?? `/${path.map(encodeURIComponent).join("/")}`;
    into.push({ method: (route.method ?? "POST").toUpperCase(), pattern: _pattern(template) });
    return;
  }
  for (const [key, child] of Object.entries(router)) {
    _collect(child as AnyContractRouter, [...path, key], into);
  }
}

/** A path template (`/users/{id}`, `/files/{+path}`) as an anchored pattern. */
function _pattern(template: string): RegExp {
  const segments = template.replace(/^\/|\/$/g, "").split("/").map((segment) => {
    if (/^\{\+[^}]+\}$/.test(segment)) return ".+";
    if (/^\{[^}]+\}$/.test(segment)) return "[^/]+";
    return segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  });
  return new RegExp(`^/${segments.join("/")}$`);
}

import { AssertionError } from "node:assert";
import { type AnyContractRouter, isContractProcedure } from "@orpc/contract";
import { z } from "zod";
import type { DashboardColumn, DashboardTableView } from "../dashboard_panel.ts";
import type { PluginManifest } from "../manifest.ts";

/** The prefix under which a service serves its contract's REST routes. */
const REST_PREFIX = "/api";

/** A REST route of a contract: its method, its path's segments, and the schema of its answer. */
interface ContractRoute {
  readonly method: string;
  readonly path: string;
  readonly segments: readonly string[];
  readonly output: unknown;
}

/**
 * Asserts that a manifest's dashboard panels call routes its service's
 * contract has, and read fields its answers have: every view's and
 * detail's path is a `GET` route and every action's a `POST` route (`/api`
 * and the query left off; a `{field}` placeholder stands for a route
 * parameter); a counts view's answer is an object of numbers; a table's
 * rows (an array, or a page's `items`) have its columns' fields, its
 * actions' and its detail's placeholders and its actions' `when` field (and
 * a `when` value is one of the field's enum values, when it is an enum); and
 * a detail's answer holds its `list` as an array of entries with its
 * columns' fields. A manifest with no panel fails too.
 *
 * @param manifest The plugin's manifest.
 * @param contract The contract of the service its panels call, with zod schemas.
 * @throws {AssertionError} Listing every route or field that does not exist.
 *
 * @example
 * ```ts ignore
 * import { assertPanelRoutes } from "@netscript/plugin/testing";
 * import { workersContract } from "@netscript/plugin-workers/contract";
 * import { workersManifest } from "@netscript/plugin-workers";
 *
 * Deno.test("the workers panels call routes of the contract", () => {
 *   assertPanelRoutes(workersManifest, workersContract);
 * });
 * ```
 */
export function assertPanelRoutes(manifest: PluginManifest, contract: AnyContractRouter): void {
  const routes: ContractRoute[] = [];
  _collect(contract, [], routes);
  const problems: string[] = [];
  if (manifest.dashboardPanels.length === 0) problems.push("it declares no dashboard panel");
  for (const panel of manifest.dashboardPanels) {
    for (const [index, view] of panel.views.entries()) {
      const where = `panel "${panel.id}", view ${index} ("${view.title}")`;
      const route = _route(routes, "GET", view.path, where, problems);
      if (route === undefined) continue;
      if (view.kind === "counts") {
        const counts = _shape(route.output);
        if (
          counts === undefined ||
          Object.values(counts).some((value) => !(_unwrap(value) instanceof z.ZodNumber))
        ) {
          problems.push(`${where}: GET ${view.path} does not answer an object of numbers`);
        }
      } else {
        _checkTable(view, route, routes, where, problems);
      }
    }
  }
  if (problems.length > 0) {
    throw new AssertionError({
      message: `The dashboard panels of plugin "${manifest.name}" do not fit its contract: ${
        problems.join("; ")
      }`,
    });
  }
}

function _checkTable(
  view: DashboardTableView,
  route: ContractRoute,
  routes: readonly ContractRoute[],
  where: string,
  problems: string[],
): void {
  const row = _shape(_element(route.output) ?? _element(_shape(route.output)?.["items"]));
  if (row === undefined) {
    problems.push(`${where}: GET ${view.path} answers neither an array nor a page of objects`);
    return;
  }
  const needs = (fields: readonly string[], what: string, shape = row) => {
    for (const field of fields.filter((field) => !(field in shape))) {
      problems.push(`${where}: ${what} reads "${field}", which the answer's entries do not have`);
    }
  };
  needs(_fields(view.columns), "a column");
  for (const action of view.actions ?? []) {
    _route(routes, "POST", action.path, `${where}, action "${action.label}"`, problems);
    needs(_placeholders(action.path), `action "${action.label}"`);
    if (action.when) _checkCondition(action.label, action.when, row, where, problems);
  }
  const detail = view.detail;
  if (detail === undefined) return;
  needs(_placeholders(detail.path), "the detail");
  const found = _route(routes, "GET", detail.path, `${where}, detail`, problems);
  if (found === undefined) return;
  const entry = _shape(_element(_shape(found.output)?.[detail.list]));
  if (entry === undefined) {
    problems.push(
      `${where}: GET ${detail.path} has no "${detail.list}" array of objects for the detail`,
    );
  } else needs(_fields(detail.columns), "a detail column", entry);
}

/** An action's condition reads a field of the rows, and values its enum (if it is one) has. */
function _checkCondition(
  label: string,
  when: { readonly field: string; readonly values: readonly string[] },
  row: Record<string, unknown>,
  where: string,
  problems: string[],
): void {
  if (!(when.field in row)) {
    problems.push(
      `${where}: action "${label}" reads "${when.field}", which the answer's entries do not have`,
    );
    return;
  }
  const field = _unwrap(row[when.field]);
  if (!(field instanceof z.ZodEnum)) return;
  const options: readonly unknown[] = field.options;
  for (const value of when.values.filter((value) => !options.includes(value))) {
    problems.push(
      `${where}: action "${label}" waits for ${when.field} "${value}", which is not one of ${
        options.map((option) => `"${String(option)}"`).join(", ")
      }`,
    );
  }
}

/** Finds the route a panel path calls, or records why there is none. */
function _route(
  routes: readonly ContractRoute[],
  method: string,
  path: string,
  where: string,
  problems: string[],
): ContractRoute | undefined {
  if (!path.startsWith(`${REST_PREFIX}/`)) {
    problems.push(`${where}: ${path} is not under ${REST_PREFIX}/, where the contract is served`);
    return undefined;
  }
  const segments = _segments(path.slice(REST_PREFIX.length).split("?")[0]!);
  const route = routes.find((candidate) =>
    candidate.method === method && candidate.segments.length === segments.length &&
    candidate.segments.every((segment, i) =>
      segment === segments[i] || (_isParameter(segment) && _isParameter(segments[i]!))
    )
  );
  if (route === undefined) {
    problems.push(
      `${where}: ${method} ${path} is no route of the contract (it has ${
        routes.map((r) => `${r.method} ${r.path}`).join(", ")
      })`,
    );
  }
  return route;
}

function _collect(router: AnyContractRouter, path: readonly string[], into: ContractRoute[]): void {
  if (isContractProcedure(router)) {
    const { route, outputSchema } = router["~orpc"];
    const template = route.path ?? `/${path.join("/")}`;
    into.push({
      method: (route.method ?? "POST").toUpperCase(),
      path: template,
      segments: _segments(template),
      output: outputSchema,
    });
    return;
  }
  for (const [key, child] of Object.entries(router)) {
    _collect(child as AnyContractRouter, [...path, key], into);
  }
}

function _segments(path: string): string[] {
  return path.replace(/^\/|\/$/g, "").split("/");
}

function _isParameter(segment: string): boolean {
  return /^\{\+?[^{}]+\}$/.test(segment);
}

function _placeholders(path: string): string[] {
  return [...path.matchAll(/\{([^{}]+)\}/g)].map((match) => match[1]!);
}

function _fields(columns: readonly DashboardColumn[]): string[] {
  return columns.map((column) => column.field);
}

/** A schema without the nullable, optional and default wrappers around it. */
function _unwrap(schema: unknown): unknown {
  return schema instanceof z.ZodNullable || schema instanceof z.ZodOptional ||
      schema instanceof z.ZodDefault
    ? _unwrap(schema.unwrap())
    : schema;
}

/** The fields of an object schema. */
function _shape(schema: unknown): Record<string, unknown> | undefined {
  const object = _unwrap(schema);
  return object instanceof z.ZodObject ? object.shape : undefined;
}

/** The entry schema of an array schema. */
function _element(schema: unknown): unknown {
  const array = _unwrap(schema);
  return array instanceof z.ZodArray ? array.element : undefined;
}

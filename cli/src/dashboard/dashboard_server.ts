import type { RegisteredDashboardPanel } from "@netscript/plugin";
import { DASHBOARD_CSS, DASHBOARD_ICON, DASHBOARD_JS } from "./assets.ts";
import { html, type SafeHtml } from "./html.ts";
import { type NavLink, renderPage } from "./layout.ts";
import { type LogStore, matchesFilter } from "./log_store.ts";
import { logFilterFrom, renderLogRow, renderLogs } from "./logs_view.ts";
import { receiveOtlp } from "./otlp_traces.ts";
import { askService, describeFailure, fillRoute, type PanelTransport } from "./panel_requests.ts";
import { type PanelNotice, renderDetail, renderPanel } from "./panel_view.ts";
import type { UsageSampler } from "./process_usage.ts";
import { renderResourceRows, renderResources, type ResourceView } from "./resources_view.ts";
import type { TraceStore } from "./trace_store.ts";
import { renderTraceList, renderWaterfall } from "./traces_view.ts";

/** What the dashboard shows and acts on: the runner's side. */
export interface DashboardSources {
  /** The workspace's name. */
  readonly workspace: string;
  /** Every resource as it stands. */
  resources(): readonly ResourceView[];
  /** Restarts a process (also one that was stopped or given up). */
  restart(name: string): Promise<void>;
  /** Stops a process until it is restarted. */
  stop(name: string): Promise<void>;
  /** Every resource's output lines. */
  readonly logs: LogStore;
  /** The spans the processes sent. */
  readonly traces: TraceStore;
  /** The plugins' panels. */
  readonly panels: readonly RegisteredDashboardPanel[];
  /** How panels reach the plugins' services. */
  readonly transport: PanelTransport;
  /** CPU and memory of the processes. */
  readonly usage: UsageSampler;
  /** Reports a failure that happened after the page answered (a restart that failed). */
  onError(message: string): void;
}

/** A running dashboard. */
export interface Dashboard {
  /** Its base URL, e.g. `http://127.0.0.1:4400`. */
  readonly url: string;
  /** The port it listens on. */
  readonly port: number;
  /** Stops serving; open live streams end. */
  close(): Promise<void>;
}

/** The dashboard's port when `--dashboard` does not name one. */
export const DEFAULT_DASHBOARD_PORT = 4400;

/**
 * Serves the `netscript dev` dashboard on 127.0.0.1: resources with restart
 * and stop, live logs, traces with their waterfalls, each plugin's panels,
 * and the OTLP/HTTP endpoints (`/v1/traces`, `/v1/logs`, `/v1/metrics`) the
 * processes export to. Pages are rendered on the server from escaped
 * values; the one script and the stylesheet are served from here. A request
 * whose `Host` is not this address, or a write from another site, is refused
 * with 403 (a page on the internet cannot drive the dashboard, even by DNS
 * rebinding).
 *
 * @param sources The runner's side.
 * @param port The port to listen on.
 * @returns The running dashboard.
 * @throws {Deno.errors.AddrInUse} When the port is taken.
 */
export function startDashboard(sources: DashboardSources, port: number): Dashboard {
  const closing = new AbortController();
  const notices = new Map<string, PanelNotice>();
  const nav: readonly NavLink[] = [
    { href: "/", label: "Resources" },
    { href: "/logs", label: "Logs" },
    { href: "/traces", label: "Traces" },
    ...sources.panels.map((panel) => ({ href: `/panels/${panel.id}`, label: panel.title })),
  ];
  const page = (current: string, title: string, content: SafeHtml, status = 200) =>
    _html(renderPage({ workspace: sources.workspace, nav }, current, title, content), status);
  const notFound = (what: string) =>
    page(
      "",
      "Not found",
      html`
        <p>${what}</p>
        <p><a href="/">Back to the resources</a></p>
      `,
      404,
    );

  const rows = async () => {
    const resources = sources.resources();
    const pids = resources.flatMap((r) => (r.pid === null ? [] : [r.pid]));
    return renderResourceRows(resources, await sources.usage.sample(pids), Date.now());
  };

  const routes = async (request: Request, url: URL): Promise<Response> => {
    const path = url.pathname;
    const parts = _segments(path);
    if (parts === undefined) return _plain("The path is not valid percent-encoding", 400);
    if (request.method === "POST" && parts[0] === "v1") {
      return await receiveOtlp(request, (spans) => sources.traces.add(spans));
    }
    if (request.method === "GET" || request.method === "HEAD") {
      if (path === "/") return page("/", "Resources", renderResources(await rows()));
      if (path === "/resources/rows") return _html(await rows());
      if (path === "/assets/dashboard.css") return _asset(DASHBOARD_CSS, "text/css");
      if (path === "/assets/dashboard.js") return _asset(DASHBOARD_JS, "text/javascript");
      if (path === "/favicon.ico" || path === "/assets/icon.svg") {
        return _asset(DASHBOARD_ICON, "image/svg+xml");
      }
      if (path === "/logs") {
        const filter = logFilterFrom(url.searchParams);
        const names = sources.resources().map((r) => r.name);
        return page("/logs", "Logs", renderLogs(sources.logs.query(filter), filter, names));
      }
      if (path === "/logs/stream") return _logStream(sources.logs, url, closing.signal, request);
      if (path === "/traces") {
        const service = url.searchParams.get("service") || undefined;
        return page(
          "/traces",
          "Traces",
          renderTraceList(
            sources.traces.list({ ...(service ? { service } : {}), limit: 200 }),
            sources.traces.services(),
            service,
          ),
        );
      }
      if (parts[0] === "traces" && parts.length === 2) {
        const traceId = parts[1]!.toLowerCase();
        const spans = sources.traces.get(traceId);
        return spans === undefined
          ? notFound(
            `No trace ${traceId} has arrived (yet), or it was dropped to stay within the memory cap.`,
          )
          : page("/traces", "Trace", renderWaterfall(traceId, spans));
      }
      const panel = sources.panels.find((p) => p.id === parts[1]);
      if (parts[0] === "panels" && panel && parts.length === 2) {
        const token = url.searchParams.get("notice");
        const notice = token === null ? undefined : notices.get(token);
        if (token !== null) notices.delete(token);
        return page(
          `/panels/${panel.id}`,
          panel.title,
          await renderPanel(panel, sources.transport, notice),
        );
      }
      const view = panel?.views[Number(parts[3])];
      if (
        parts[0] === "panels" && panel && parts[2] === "views" && parts[4] === "detail" &&
        parts.length === 5 && view?.kind === "table" && view.detail
      ) {
        const filled = fillRoute(view.detail.path, (field) => url.searchParams.get(field) ?? "");
        if (filled === undefined) return _plain("A value of the row is missing", 400);
        return page(
          `/panels/${panel.id}`,
          `${panel.title}: ${view.title}`,
          await renderDetail(panel, view, sources.transport, filled),
        );
      }
      return notFound(`Nothing at ${path}.`);
    }
    if (request.method !== "POST") return _plain("Method not allowed", 405);
    if (parts[0] === "resources" && parts.length === 3) {
      const resource = sources.resources().find((r) => r.name === parts[1]);
      if (!resource || resource.kind === "store") return notFound(`No process ${parts[1]}.`);
      if (parts[2] !== "restart" && parts[2] !== "stop") return notFound(`Nothing at ${path}.`);
      const act = parts[2] === "restart" ? sources.restart : sources.stop;
      act(resource.name).catch((error: Error) =>
        sources.onError(`${parts[2]} of ${resource.name} failed: ${error.message}`)
      );
      return _seeOther("/");
    }
    const panel = sources.panels.find((p) => p.id === parts[1]);
    const view = panel?.views[Number(parts[3])];
    const action = view?.kind === "table" ? view.actions?.[Number(parts[5])] : undefined;
    if (
      !panel || !action || parts[0] !== "panels" || parts[2] !== "views" ||
      parts[4] !== "actions" || parts.length !== 6
    ) {
      return notFound(`Nothing at ${path}.`);
    }
    const form = await _form(request);
    if (form === undefined) return _plain("Send the action's form", 415);
    const filled = fillRoute(action.path, (field) => form.get(field) ?? undefined);
    if (filled === undefined) return _plain("A value of the row is missing", 400);
    const answer = await askService(sources.transport, panel.service, "POST", filled);
    const ok = answer.status >= 200 && answer.status <= 299;
    const token = crypto.randomUUID();
    notices.set(token, {
      text: ok
        ? `${action.label}: done (${filled})`
        : `${action.label} failed: ${describeFailure(panel.service, answer)}`,
      error: !ok,
    });
    while (notices.size > 50) notices.delete(notices.keys().next().value!);
    return _seeOther(`/panels/${panel.id}?notice=${token}`);
  };

  const server = Deno.serve({
    hostname: "127.0.0.1",
    port,
    signal: closing.signal,
    onListen: () => {},
  }, async (request) => {
    const url = new URL(request.url);
    const refusal = _refusal(request, server.addr.port);
    if (refusal !== undefined) return _secured(_plain(refusal, 403));
    try {
      return _secured(await routes(request, url));
    } catch (error) {
      sources.onError(
        `the dashboard failed to answer ${url.pathname}: ${(error as Error).message}`,
      );
      return _secured(_plain("The dashboard failed to answer; see the runner's output", 500));
    }
  });
  const bound = server.addr.port;
  return {
    url: `http://127.0.0.1:${bound}`,
    port: bound,
    async close() {
      closing.abort();
      await server.finished;
    },
  };
}

/**
 * Why a request is refused, if it is: a `Host` other than this address
 * (DNS rebinding), or a write a browser sent from another site.
 */
function _refusal(request: Request, port: number): string | undefined {
  const host = request.headers.get("host");
  if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) {
    return "The dashboard answers only at 127.0.0.1 or localhost";
  }
  if (request.method === "GET" || request.method === "HEAD") return undefined;
  const site = request.headers.get("sec-fetch-site");
  if (site !== null) {
    return site === "same-origin" || site === "none"
      ? undefined
      : "The dashboard refuses writes from another site";
  }
  const origin = request.headers.get("origin");
  if (origin !== null && origin !== `http://${host}`) {
    return "The dashboard refuses writes from another site";
  }
  return undefined;
}

/** Streams log lines matching the query's filter as Server-Sent Events: what came after `after`, then live. */
function _logStream(logs: LogStore, url: URL, closing: AbortSignal, request: Request): Response {
  const after = Number(url.searchParams.get("after") ?? "0");
  const filter = {
    ...logFilterFrom(url.searchParams),
    afterSeq: Number.isSafeInteger(after) && after > 0 ? after : 0,
  };
  const encoder = new TextEncoder();
  let release = () => {};
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      // One event per row: each line of its markup is a `data:` line, which the browser joins again.
      const send = (row: SafeHtml) =>
        controller.enqueue(
          encoder.encode(
            `${row.value.split(/\r\n|\r|\n/).map((line) => `data: ${line}`).join("\n")}\n\n`,
          ),
        );
      const end = () => {
        release();
        try {
          controller.close();
        } catch {
          // Already closed by the browser.
        }
      };
      for (const entry of logs.query(filter)) send(renderLogRow(entry));
      const unsubscribe = logs.subscribe((entry) => {
        if (matchesFilter(entry, filter)) send(renderLogRow(entry));
      });
      closing.addEventListener("abort", end, { once: true });
      request.signal.addEventListener("abort", end, { once: true });
      release = () => {
        unsubscribe();
        closing.removeEventListener("abort", end);
        request.signal.removeEventListener("abort", end);
      };
    },
    cancel() {
      release();
    },
  });
  return new Response(body, {
    headers: { "content-type": "text/event-stream", "cache-control": "no-store" },
  });
}

/** A path's segments, percent-decoded; `undefined` when one is not valid percent-encoding. */
function _segments(path: string): string[] | undefined {
  try {
    return path.split("/").filter((part) => part !== "").map(decodeURIComponent);
  } catch {
    // A malformed escape (`%E0%A4%A`): no route has such a segment.
    return undefined;
  }
}

/** The urlencoded form of a POST, or `undefined` for another body. */
async function _form(request: Request): Promise<URLSearchParams | undefined> {
  const type = request.headers.get("content-type") ?? "";
  if (!type.startsWith("application/x-www-form-urlencoded")) return undefined;
  const text = await request.text();
  return text.length > 65_536 ? undefined : new URLSearchParams(text);
}

function _html(markup: SafeHtml, status = 200): Response {
  return new Response(markup.value, {
    status,
    headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" },
  });
}

function _plain(text: string, status: number): Response {
  return new Response(`${text}\n`, {
    status,
    headers: { "content-type": "text/plain; charset=utf-8" },
  });
}

function _asset(text: string, type: string): Response {
  return new Response(text, {
    headers: { "content-type": `${type}; charset=utf-8`, "cache-control": "no-cache" },
  });
}

function _seeOther(location: string): Response {
  return new Response(null, { status: 303, headers: { location } });
}

/**
 * Adds the headers every answer carries: a strict content policy, no
 * sniffing, no framing. Every answer is made here, so its headers can be set.
 */
function _secured(response: Response): Response {
  const { headers } = response;
  headers.set(
    "content-security-policy",
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  );
  headers.set("x-content-type-options", "nosniff");
  headers.set("referrer-policy", "same-origin");
  return response;
}

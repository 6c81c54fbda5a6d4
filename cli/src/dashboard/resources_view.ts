import { html, type SafeHtml } from "./html.ts";
import type { ProcessUsage } from "./process_usage.ts";

/** One resource as the resources view shows it. */
export interface ResourceView {
  /** Its name in the graph. */
  readonly name: string;
  /** `service`, `processor` or `store`. */
  readonly kind: string;
  /** `running`, `starting`, `stopped`, … (stores: `ready`). */
  readonly state: string;
  /** The current process's id. */
  readonly pid: number | null;
  /** A service's port. */
  readonly port: number | null;
  /** Restarts after crashes. */
  readonly restarts: number;
  /** When the current process started (epoch ms), while it runs. */
  readonly startedAt: number | null;
  /** The permission flags it runs with (a store: where it is). */
  readonly permissions: readonly string[];
  /** A service's API reference page. */
  readonly docs?: string | undefined;
  /** A service's health check. */
  readonly health?: string | undefined;
}

/**
 * Renders the body rows of the resources table: state, process, usage,
 * links, permissions, and the restart and stop buttons of each process.
 *
 * @param resources Every resource, in graph order.
 * @param usage CPU and memory by pid, where known.
 * @param now The current time (epoch ms), for the uptime.
 * @returns The `<tr>` elements.
 */
export function renderResourceRows(
  resources: readonly ResourceView[],
  usage: ReadonlyMap<number, ProcessUsage>,
  now: number,
): SafeHtml {
  return html`${
    resources.map((resource) => {
      const used = resource.pid === null ? undefined : usage.get(resource.pid);
      const process = resource.kind !== "store";
      const name = encodeURIComponent(resource.name);
      return html`
        <tr id="resource-${resource.name}">
          <th scope="row">${resource.name}</th>
          <td>${resource.kind}</td>
          <td class="state state-${resource.state}">${resource.state}</td>
          <td class="num">${resource.pid ?? "—"}</td>
          <td class="num">${resource.port ?? "—"}</td>
          <td class="num">${resource.restarts}</td>
          <td class="num">${resource.startedAt === null
            ? "—"
            : formatUptime(now - resource.startedAt)}</td>
          <td class="num">${used?.cpuPercent == null ? "—" : `${used.cpuPercent.toFixed(1)} %`}</td>
          <td class="num">${used?.memoryBytes == null ? "—" : formatBytes(used.memoryBytes)}</td>
          <td>${resource.docs
            ? html`
              <a href="${resource.docs}">docs</a>
            `
            : null}${resource.health
            ? html`
              <a href="${resource.health}">health</a>
            `
            : null}<a href="/logs?resource=${name}">logs</a></td>
          <td>
            <details>
              <summary>${resource.permissions.length} ${process ? "flags" : "details"}</summary>
              <ul class="mono">${resource.permissions.map((flag) => html`<li>${flag}</li>`)}</ul>
            </details>
          </td>
          <td>${process
            ? html`
              <form class="inline" method="post"
                action="/resources/${name}/restart"><button aria-label="Restart ${resource
                  .name}">Restart</button></form> ${resource.state === "stopped" ||
                    resource.state === "failed"
                  ? null
                  : html`
                    <form class="inline" method="post"
                      action="/resources/${name}/stop"><button aria-label="Stop ${resource
                        .name}">Stop</button></form>
                  `}
            `
            : null}</td>
        </tr>
      `;
    })
  }`;
}

/**
 * Renders the resources view's content: the table, refreshed live.
 *
 * @param rows The rows from {@linkcode renderResourceRows}.
 * @returns The content.
 */
export function renderResources(rows: SafeHtml): SafeHtml {
  return html`
    <table>
      <caption
        class="muted">Every resource of the graph; the table refreshes every two seconds.</caption>
      <thead>
        <tr>
          <th scope="col">Resource</th>
          <th scope="col">Kind</th>
          <th scope="col">State</th>
          <th scope="col" class="num">PID</th>
          <th scope="col" class="num">Port</th>
          <th scope="col" class="num">Restarts</th>
          <th scope="col" class="num">Uptime</th>
          <th scope="col" class="num">CPU</th>
          <th scope="col" class="num">Memory</th>
          <th scope="col">Links</th>
          <th scope="col">Permissions</th>
          <th scope="col">Actions</th>
        </tr>
      </thead>
      <tbody data-refresh="/resources/rows">${rows}</tbody>
    </table>
  `;
}

/**
 * Formats a duration as the largest two units, e.g. `3m 12s`.
 *
 * @param ms The duration in milliseconds.
 * @returns The text.
 */
export function formatUptime(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${seconds % 60}s`;
  return `${Math.floor(minutes / 60)}h ${minutes % 60}m`;
}

/**
 * Formats a byte count in MiB with one decimal.
 *
 * @param bytes The count.
 * @returns E.g. `48.3 MiB`.
 */
export function formatBytes(bytes: number): string {
  return `${(bytes / 1_048_576).toFixed(1)} MiB`;
}

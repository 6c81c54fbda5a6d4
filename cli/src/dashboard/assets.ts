/**
 * The dashboard's stylesheet: system fonts, light and dark from the
 * browser's preference, visible keyboard focus. Served from the runner
 * itself, so the dashboard works offline.
 */
export const DASHBOARD_CSS = `
:root {
  color-scheme: light dark;
  --bg: #ffffff; --fg: #1c2430; --muted: #5b6675; --line: #d9dee5; --panel: #f4f6f9;
  --accent: #2457c5; --ok: #1d7a3a; --warn: #9a6200; --bad: #b42318; --bar: #5b8def;
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #11151b; --fg: #e3e8ef; --muted: #9aa5b4; --line: #2b333f; --panel: #18202a;
    --accent: #7ea6ff; --ok: #5cc27e; --warn: #e0a640; --bad: #ff7a6e; --bar: #5b8def;
  }
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg); }
a { color: var(--accent); }
:focus-visible { outline: 2px solid var(--accent); outline-offset: 2px; }
.skip { position: absolute; left: -999px; }
.skip:focus { left: 8px; top: 8px; background: var(--bg); padding: 4px 8px; }
header { display: flex; gap: 24px; align-items: center; padding: 10px 20px; border-bottom: 1px solid var(--line); background: var(--panel); }
header strong { font-size: 15px; }
nav ul { display: flex; flex-wrap: wrap; gap: 4px; list-style: none; margin: 0; padding: 0; }
nav a { display: block; padding: 4px 10px; border-radius: 6px; text-decoration: none; color: var(--fg); }
nav a[aria-current="page"] { background: var(--accent); color: var(--bg); }
main { padding: 16px 20px 40px; }
h1 { font-size: 20px; margin: 4px 0 12px; }
h2 { font-size: 16px; margin: 24px 0 8px; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
thead th { color: var(--muted); font-weight: 600; font-size: 12px; text-transform: uppercase; letter-spacing: .03em; }
tbody th { font-weight: 600; }
caption { text-align: left; margin-bottom: 6px; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
code, .mono, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; }
pre { white-space: pre-wrap; word-break: break-word; margin: 0; }
.muted { color: var(--muted); }
.state { font-weight: 600; }
.state-running, .state-ready, .state-ok { color: var(--ok); }
.state-starting, .state-restarting, .state-stopping, .state-warn { color: var(--warn); }
.state-failed, .state-stopped, .state-error { color: var(--bad); }
.level-error { color: var(--bad); }
.level-warn { color: var(--warn); }
.level-debug { color: var(--muted); }
form.inline { display: inline; }
button { font: inherit; padding: 3px 10px; border-radius: 6px; border: 1px solid var(--line); background: var(--panel); color: var(--fg); cursor: pointer; }
button:hover { border-color: var(--accent); }
.filters { display: flex; flex-wrap: wrap; gap: 10px; align-items: end; margin-bottom: 12px; }
.filters label { display: flex; flex-direction: column; font-size: 12px; color: var(--muted); gap: 2px; }
input, select { font: inherit; padding: 3px 6px; border: 1px solid var(--line); border-radius: 6px; background: var(--bg); color: var(--fg); }
.notice { padding: 8px 12px; border-radius: 6px; border: 1px solid var(--line); background: var(--panel); margin-bottom: 12px; }
.notice.error { border-color: var(--bad); }
.counts { display: flex; flex-wrap: wrap; gap: 10px; margin: 0; }
.counts div { border: 1px solid var(--line); border-radius: 8px; padding: 8px 14px; min-width: 110px; background: var(--panel); }
.counts dt { font-size: 12px; color: var(--muted); }
.counts dd { margin: 0; font-size: 20px; font-variant-numeric: tabular-nums; }
.logs { max-height: 70vh; overflow: auto; border: 1px solid var(--line); border-radius: 6px; }
.logs td { padding: 2px 8px; white-space: nowrap; }
.logs td:nth-child(4) { white-space: normal; width: 100%; }
.waterfall td.bar { width: 55%; }
.track { position: relative; height: 14px; background: var(--panel); border-radius: 3px; }
.track span { position: absolute; top: 0; bottom: 0; min-width: 2px; background: var(--bar); border-radius: 3px; }
.track span.error { background: var(--bad); }
details summary { cursor: pointer; }
`;

/**
 * The dashboard's only script, served from the runner: refreshes the parts
 * marked `data-refresh` every two seconds (not while keyboard focus is inside
 * them) and appends live rows to a `data-live` table body from Server-Sent
 * Events. Every page works without it.
 */
export const DASHBOARD_JS = `
"use strict";
for (const region of document.querySelectorAll("[data-refresh]")) {
  const url = region.getAttribute("data-refresh");
  setInterval(async () => {
    if (region.contains(document.activeElement)) return;
    try {
      const response = await fetch(url, { headers: { accept: "text/html" } });
      if (response.ok) region.innerHTML = await response.text();
    } catch {
      // The runner stopped; the page keeps what it showed.
    }
  }, 2000);
}
for (const body of document.querySelectorAll("[data-live]")) {
  const scroller = body.closest(".logs");
  const source = new EventSource(body.getAttribute("data-live"));
  source.onmessage = (event) => {
    const stick = scroller && scroller.scrollTop + scroller.clientHeight >= scroller.scrollHeight - 8;
    body.insertAdjacentHTML("beforeend", event.data);
    while (body.rows.length > 1000) body.deleteRow(0);
    if (stick) scroller.scrollTop = scroller.scrollHeight;
  };
}
for (const scroller of document.querySelectorAll(".logs")) scroller.scrollTop = scroller.scrollHeight;
`;

/** The dashboard's icon: a small mark, served so that browsers do not ask for a missing favicon. */
export const DASHBOARD_ICON =
  `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#2457c5"/><path d="M4 12V4l8 8V4" stroke="#fff" stroke-width="2" fill="none"/></svg>`;

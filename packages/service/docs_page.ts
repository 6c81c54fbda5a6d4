/** The path, relative to the docs page, at which the Scalar bundle is served. */
export const SCALAR_SCRIPT_NAME = "scalar.js";

/**
 * Scalar options chosen for a self-hosted framework: no web fonts, telemetry,
 * hosted AI agent or MCP buttons (each would call a third-party host), and no
 * developer toolbar.
 */
const SCALAR_CONFIGURATION = {
  url: "openapi.json",
  withDefaultFonts: false,
  telemetry: false,
  agent: { disabled: true },
  mcp: { disabled: true },
  showDeveloperTools: "never",
  documentDownloadType: "json",
} as const;

/**
 * Renders the HTML of the API reference page. Every URL in it is relative to
 * the page (`/api/docs`), so the page also works behind a path prefix.
 *
 * @param title The page title.
 * @returns The page's HTML.
 */
export function renderDocsPage(title: string): string {
  const escaped = title.replace(/[<>&"]/g, (c) => `&#${c.charCodeAt(0)};`);
  const configuration = JSON.stringify(SCALAR_CONFIGURATION).replace(/</g, "\\u003c");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escaped}</title>
<link rel="icon" href="data:,">
</head>
<body>
<div id="app"></div>
<script src="docs/${SCALAR_SCRIPT_NAME}" charset="utf-8"></script>
<script>Scalar.createApiReference("#app", ${configuration});</script>
</body>
</html>
`;
}

let scalarBundle: Promise<string> | undefined;

/**
 * Loads Scalar's standalone browser bundle from the installed
 * `@scalar/api-reference` package, once per process.
 *
 * It needs no `--allow-read`. The literal import of the package's small
 * `style.css` puts the package in this module's graph, so Deno installs and
 * resolves it when the process starts, wherever the process runs; its
 * resolved file then locates the bundle beside it, and Deno loads files of
 * an installed npm package without a permission check. (Node's
 * `require.resolve()` instead looks for `node_modules` folders next to this
 * file and above it whenever the package is not in the process's graph: a
 * read that a service run with its own narrow permissions is not granted.)
 *
 * @returns The bundle's source.
 */
export function loadScalarBundle(): Promise<string> {
  scalarBundle ??= _importBundle();
  return scalarBundle;
}

async function _importBundle(): Promise<string> {
  await import("@scalar/api-reference/style.css", { with: { type: "text" } });
  const anchor = import.meta.resolve("@scalar/api-reference/style.css");
  if (!anchor.startsWith("file:")) {
    throw new Error(
      `Cannot load the Scalar bundle: "@scalar/api-reference/style.css" resolved to "${anchor}", not to an installed file; add "@scalar/api-reference" to the workspace's imports`,
    );
  }
  // `style.css` and the bundle both sit in the package's `dist/`; the bundle is
  // not in the package's `exports`, so it has no specifier of its own.
  const bundle = new URL("./browser/standalone.js", anchor);
  const module = await import(bundle.href, { with: { type: "text" } });
  return module.default as string;
}

import { html, type SafeHtml } from "./html.ts";

/** A link in the dashboard's navigation. */
export interface NavLink {
  /** The path, e.g. `/logs`. */
  readonly href: string;
  /** The text. */
  readonly label: string;
}

/** What every page shows around its content. */
export interface PageFrame {
  /** The workspace's name, in the header and the title. */
  readonly workspace: string;
  /** The navigation: the built-in views, then the plugins' panels. */
  readonly nav: readonly NavLink[];
}

/**
 * Renders a whole dashboard page: header with the navigation (the current
 * page marked for assistive technology), the content, and the one script.
 *
 * @param frame The workspace and the navigation.
 * @param current The current page's navigation path.
 * @param title The page's heading.
 * @param content The page's content.
 * @returns The document.
 */
export function renderPage(
  frame: PageFrame,
  current: string,
  title: string,
  content: SafeHtml,
): SafeHtml {
  const links = frame.nav.map((link) =>
    html`<li><a href="${link.href}"${
      link.href === current
        ? html`
          aria-current="page"
        `
        : null
    }>${link.label}</a></li>`
  );
  return html`
    <!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>${title} · ${frame.workspace} · netscript dev</title>
        <link rel="icon" href="/assets/icon.svg" type="image/svg+xml">
        <link rel="stylesheet" href="/assets/dashboard.css">
        <script src="/assets/dashboard.js" defer></script>
      </head>
      <body>
        <a class="skip" href="#content">Skip to content</a>
        <header><strong>netscript dev · ${frame
          .workspace}</strong><nav aria-label="Views"><ul>${links}</ul></nav></header>
        <main id="content">
        <h1>${title}</h1>
        ${content}
            </main>
      </body>
    </html>
  `;
}

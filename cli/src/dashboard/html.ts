/** A piece of HTML that is already safe to embed: markup built by {@linkcode html}. */
export class SafeHtml {
  /** The markup. */
  readonly value: string;

  /**
   * Wraps markup that is known to be safe; only {@linkcode html} and
   * {@linkcode joinHtml} should call it.
   *
   * @param value The markup.
   */
  constructor(value: string) {
    this.value = value;
  }

  /** The markup. */
  toString(): string {
    return this.value;
  }
}

/** What {@linkcode html} embeds: text (escaped), safe markup, lists of either, or nothing. */
export type HtmlValue =
  | string
  | number
  | SafeHtml
  | null
  | undefined
  | false
  | readonly HtmlValue[];

/**
 * Escapes text for an HTML text node or a quoted attribute value.
 *
 * @param text Any text.
 * @returns The text with `&`, `<`, `>`, `"` and `'` escaped.
 * @example
 * ```ts
 * import { escapeHtml } from "./html.ts";
 *
 * console.log(escapeHtml('<a href="x">')); // &lt;a href=&quot;x&quot;&gt;
 * ```
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => ESCAPES[character]!);
}

const ESCAPES: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/**
 * Builds markup from a template: every embedded value is escaped unless it
 * is itself markup built by `html`; arrays are joined; `null`, `undefined`
 * and `false` embed nothing. Attribute values must be quoted in the template.
 *
 * @param strings The template's literal parts.
 * @param values The embedded values.
 * @returns The markup.
 * @example
 * ```ts
 * import { html } from "./html.ts";
 *
 * const name = "<script>";
 * console.log(html`<td title="${name}">${name}</td>`.value);
 * ```
 */
export function html(strings: TemplateStringsArray, ...values: readonly HtmlValue[]): SafeHtml {
  let out = strings[0]!;
  values.forEach((value, index) => {
    out += _render(value) + strings[index + 1]!;
  });
  return new SafeHtml(out);
}

/**
 * Joins pieces of markup.
 *
 * @param parts The pieces; text is escaped.
 * @returns The markup.
 */
export function joinHtml(parts: readonly HtmlValue[]): SafeHtml {
  return new SafeHtml(_render(parts));
}

function _render(value: HtmlValue): string {
  if (value === null || value === undefined || value === false) return "";
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(_render).join("");
  return escapeHtml(String(value));
}

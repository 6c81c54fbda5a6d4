import { z } from "zod";

const PANEL_ID = /^[a-z][a-z0-9-]{0,39}$/;
/** A top-level key of a JSON object the dashboard reads: a row's field, a detail's list. */
const FIELD = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;
const PLACEHOLDER = /\{([^{}]*)\}/g;
/**
 * What would take a path off the service or out of its own folder once the
 * dashboard resolves it: another host (`//`, `://`), a dot segment, plain
 * (`..`) or encoded (`%2e`), a fragment, whitespace or control characters, a
 * backslash.
 */
const UNSAFE_IN_PATH = /\/\/|\.\.|%2e|#|\\|[\s\p{Cc}]/iu;

const field = z.string().regex(FIELD, {
  message: "must be a field name: letters, digits or underscores, not starting with a digit",
});
const text = z.string().regex(/\S/, { message: "must not be empty" });

/** A path on the panel's service; with `placeholders`, `{field}` segments the row fills in. */
function servicePath(placeholders: boolean) {
  return z.string().superRefine((path, context) => {
    if (!path.startsWith("/") || UNSAFE_IN_PATH.test(path)) {
      context.addIssue({
        code: "custom",
        message:
          'must be a path on the service starting with "/", without "//", "://", "..", an encoded dot (%2e), "#", whitespace or a backslash',
      });
    }
    const names = [...path.matchAll(PLACEHOLDER)].map((match) => match[1]!);
    if (!placeholders && names.length > 0) {
      context.addIssue({
        code: "custom",
        message: `must not hold placeholders (${
          names.map((name) => `{${name}}`).join(", ")
        }): the dashboard GETs it as it is`,
      });
    } else if (
      names.some((name) => !FIELD.test(name)) || /[{}]/.test(path.replace(PLACEHOLDER, ""))
    ) {
      context.addIssue({
        code: "custom",
        message: "must write each placeholder as {field}, a field name of the row",
      });
    }
  });
}

const columns = z.array(z.strictObject({ field, label: text })).min(1, {
  message: "must list at least one column",
});

const countsView = z.strictObject({
  kind: z.literal("counts"),
  title: text,
  path: servicePath(false),
});

const tableView = z.strictObject({
  kind: z.literal("table"),
  title: text,
  path: servicePath(false),
  columns,
  actions: z.array(z.strictObject({
    label: text,
    path: servicePath(true),
    when: z.strictObject({
      field,
      values: z.array(z.string()).min(1, { message: "must list at least one value" }),
    }).optional(),
  })).optional(),
  detail: z.strictObject({ path: servicePath(true), list: field, columns }).optional(),
});

/**
 * A dashboard panel as a manifest declares it; that its service is one of
 * the plugin's own is checked with the whole manifest.
 */
export const dashboardPanelSchema = z.strictObject({
  id: z.string().regex(PANEL_ID, {
    message: "must be 1-40 lowercase letters, digits or dashes, starting with a letter",
  }),
  title: text.max(40, { message: "must be at most 40 characters" }),
  service: z.string(),
  views: z.array(
    z.discriminatedUnion("kind", [countsView, tableView], {
      message: 'must be a view of kind "counts" or "table"',
    }),
  ).min(1, { message: "must list at least one view" }),
});

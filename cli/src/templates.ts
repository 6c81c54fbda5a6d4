import { join, relative } from "node:path";
import { FRAMEWORK_ROOT } from "./framework.ts";

/** The template folders, under the repository's `templates/`. */
export const TEMPLATES_ROOT: string = join(FRAMEWORK_ROOT, "templates");

/**
 * Reads a folder of template files and fills `{{name}}` placeholders. A file
 * named `gitignore` becomes `.gitignore`.
 *
 * @param name The template folder under `templates/`, e.g. `workspace`.
 * @param values Placeholder values.
 * @returns File contents by path relative to the output root.
 * @throws {TypeError} When a template uses a placeholder with no value.
 */
export async function renderTemplate(
  name: string,
  values: Readonly<Record<string, string>>,
): Promise<Map<string, string>> {
  const root = join(TEMPLATES_ROOT, name);
  const files = new Map<string, string>();
  for (const path of await _walk(root)) {
    const text = (await Deno.readTextFile(path)).replace(/\{\{(\w+)\}\}/g, (_, key: string) => {
      const value = values[key];
      if (value === undefined) {
        throw new TypeError(`Template ${path} uses {{${key}}}, which has no value`);
      }
      return value;
    });
    const target = relative(root, path).replace(/(^|\/)gitignore$/, "$1.gitignore");
    files.set(target, text);
  }
  return files;
}

/**
 * Lists every file under a folder, recursively, sorted.
 *
 * @param directory The folder.
 * @returns Absolute file paths.
 */
export async function listFiles(directory: string): Promise<string[]> {
  return (await _walk(directory)).sort();
}

async function _walk(directory: string): Promise<string[]> {
  const files: string[] = [];
  for await (const entry of Deno.readDir(directory)) {
    const path = join(directory, entry.name);
    if (entry.isDirectory) files.push(...await _walk(path));
    else if (entry.isFile) files.push(path);
  }
  return files;
}

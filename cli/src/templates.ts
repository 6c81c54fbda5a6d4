import { join, relative } from "node:path";

/**
 * Fills the `{{name}}` placeholders of a template's files. A file named
 * `gitignore` becomes `.gitignore`. The templates ship inside the CLI as
 * modules (see `templates/workspace_files.generated.ts`), so this reads no
 * file.
 *
 * @param files The template's files by relative path.
 * @param values Placeholder values.
 * @returns File contents by path relative to the output root.
 * @throws {TypeError} When a template uses a placeholder with no value.
 */
export function renderTemplate(
  files: Readonly<Record<string, string>>,
  values: Readonly<Record<string, string>>,
): Map<string, string> {
  const rendered = new Map<string, string>();
  for (const [path, source] of Object.entries(files)) {
    const text = source.replace(/\{\{(\w+)\}\}/g, (_, key: string) => {
      const value = values[key];
      if (value === undefined) {
        throw new TypeError(`Template file ${path} uses {{${key}}}, which has no value`);
      }
      return value;
    });
    rendered.set(path.replace(/(^|\/)gitignore$/, "$1.gitignore"), text);
  }
  return rendered;
}

/**
 * Reads every file under a folder as text, by path relative to the folder
 * (with `/` separators), sorted.
 *
 * @param directory The folder.
 * @returns The contents by relative path.
 */
export async function readFileTree(directory: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const path of await listFiles(directory)) {
    files[relative(directory, path).replaceAll("\\", "/")] = await Deno.readTextFile(path);
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

/**
 * The workspace's packages as JSR would serve them, for tests that run the
 * CLI from its published package: the files `deno publish --dry-run` lists,
 * with bare specifiers rewritten as `deno publish` rewrites them (a sibling
 * package to `jsr:<name>@^<version>`, an import-map entry to its `npm:`
 * target), served by a local registry that Deno reaches through `JSR_URL`.
 *
 * @module
 */
import { dirname, join } from "node:path";

/** One package as it would be published. */
export interface PublishedPackage {
  /** The package name, e.g. `@netscript/cli`. */
  name: string;
  /** Its version. */
  version: string;
  /** Its folder in the checkout. */
  directory: string;
  /** The published files, relative to `directory`, sorted. */
  files: string[];
  /** Its `exports`, by subpath. */
  exports: Record<string, string>;
}

/**
 * Asks `deno publish --dry-run` which packages and files the workspace
 * publishes.
 *
 * @param root The checkout.
 * @returns Every package with its files.
 * @throws {Error} When the dry run fails.
 */
export async function publishedPackages(root: string): Promise<PublishedPackage[]> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["publish", "--dry-run", "--allow-dirty", "--no-check"],
    cwd: root,
    env: { NO_COLOR: "1" },
  }).output();
  const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
  if (!out.success) throw new Error(`deno publish --dry-run failed:\n${text}`);
  const packages: PublishedPackage[] = [];
  for (const block of text.split("Simulating publish of ").slice(1)) {
    const [, name, version] = block.match(/^(@[^@\s]+)@(\S+) with files:/)!;
    const paths = [...block.matchAll(/^\s+(file:\/\/\S+) \(/gm)].map((m) =>
      new URL(m[1]!).pathname
    );
    const config = paths.find((path) => path.endsWith("/deno.json"))!;
    const directory = dirname(config);
    const { exports } = JSON.parse(await Deno.readTextFile(config));
    packages.push({
      name: name!,
      version: version!,
      directory,
      files: paths.map((path) => path.slice(directory.length + 1)).sort(),
      exports: typeof exports === "string" ? { ".": exports } : exports,
    });
  }
  return packages.sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * The names of the packages the root `deno.json` lists as workspace members.
 *
 * @param root The checkout.
 * @returns The names, sorted.
 */
export async function workspaceMembers(root: string): Promise<string[]> {
  const names: string[] = [];
  const add = async (directory: string) =>
    names.push(JSON.parse(await Deno.readTextFile(join(directory, "deno.json"))).name);
  const { workspace } = JSON.parse(await Deno.readTextFile(join(root, "deno.json")));
  for (const member of workspace as string[]) {
    if (!member.endsWith("/*")) {
      await add(join(root, member));
      continue;
    }
    for await (const entry of Deno.readDir(join(root, member.slice(0, -2)))) {
      if (entry.isDirectory) await add(join(root, member.slice(0, -2), entry.name));
    }
  }
  return names.sort((a, b) => a.localeCompare(b));
}

/** A dependency as `deno info --json` reports it. */
interface InfoDependency {
  specifier: string;
  code?: { specifier?: string; span: InfoSpan };
  type?: { specifier?: string; span: InfoSpan };
}

interface InfoSpan {
  start: { line: number; character: number };
  end: { line: number; character: number };
}

/**
 * Copies each package's published files into `<target>/<name>/<version>/`,
 * rewriting bare specifiers as `deno publish` does: in imports, exports and
 * the string-literal argument of `import.meta.resolve()`.
 *
 * @param root The checkout, whose `deno.json` resolves the packages' imports.
 * @param packages The packages, from `publishedPackages`.
 * @param target The folder to write into.
 * @throws {Error} On a bare specifier that would not resolve from JSR, or an
 *   `import.meta.resolve()` of a bare specifier its module does not import
 *   (`deno info` resolves only imports).
 */
export async function copyPublishedFiles(
  root: string,
  packages: readonly PublishedPackage[],
  target: string,
): Promise<void> {
  const entries = join(target, "entries.ts");
  await Deno.writeTextFile(
    entries,
    packages.flatMap((pkg) =>
      Object.values(pkg.exports).map((to) => `import "file://${join(pkg.directory, to)}";`)
    ).join("\n"),
  );
  const info = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", "--config", join(root, "deno.json"), entries],
    cwd: root,
    env: { NO_COLOR: "1" },
  }).output();
  if (!info.success) throw new Error(new TextDecoder().decode(info.stderr));
  const graph: { modules: { specifier: string; dependencies?: InfoDependency[] }[] } = JSON.parse(
    new TextDecoder().decode(info.stdout),
  );
  const dependencies = new Map(graph.modules.map((m) => [m.specifier, m.dependencies ?? []]));
  await Deno.remove(entries);
  for (const pkg of packages) {
    for (const file of pkg.files) {
      const path = join(pkg.directory, file);
      const uses = dependencies.get(`file://${path}`) ?? [];
      const spans = uses
        .flatMap((dependency) => [dependency.code, dependency.type])
        .filter((use) => use !== undefined)
        .sort((a, b) =>
          b.span.start.line - a.span.start.line || b.span.start.character - a.span.start.character
        );
      const lines = (await Deno.readTextFile(path)).split("\n");
      for (const { span, specifier: resolved } of spans) {
        const line = lines[span.start.line]!;
        const quoted = line.slice(span.start.character, span.end.character);
        if (!/^(["']).*\1$/.test(quoted)) {
          throw new Error(`${path}:${span.start.line + 1}: expected a string, found ${quoted}`);
        }
        const to = _unfurl(quoted.slice(1, -1), resolved ?? "", packages);
        if (to === undefined) continue;
        lines[span.start.line] = `${line.slice(0, span.start.character)}${quoted[0]}${to}${
          quoted[0]
        }${line.slice(span.end.character)}`;
      }
      const text = lines.join("\n").replace(
        /import\.meta\.resolve\((["'])([^"'\n]+)\1\)/g,
        (call, quote: string, written: string) => {
          const use = uses.find((dependency) => dependency.specifier === written);
          const resolved = use?.code?.specifier ?? use?.type?.specifier;
          if (resolved === undefined && !/^(\.|\/|[a-z]+:)/.test(written)) {
            throw new Error(
              `${path}: import.meta.resolve("${written}") names a specifier the module does not import`,
            );
          }
          const to = _unfurl(written, resolved ?? "", packages);
          return to === undefined ? call : `import.meta.resolve(${quote}${to}${quote})`;
        },
      );
      const out = join(target, pkg.name, pkg.version, file);
      await Deno.mkdir(dirname(out), { recursive: true });
      await Deno.writeTextFile(out, text);
    }
  }
}

/** What `deno publish` writes for a specifier, or `undefined` to keep it. */
function _unfurl(
  written: string,
  resolved: string,
  packages: readonly PublishedPackage[],
): string | undefined {
  if (written.startsWith(".") || written.startsWith("/") || /^[a-z]+:/.test(written)) {
    return undefined;
  }
  const sibling = packages.find((p) => written === p.name || written.startsWith(`${p.name}/`));
  if (sibling) {
    return `jsr:${sibling.name}@^${sibling.version}${written.slice(sibling.name.length)}`;
  }
  if (resolved.startsWith("npm:")) return resolved;
  throw new Error(`"${written}" (resolved to ${resolved}) is neither a sibling package nor npm`);
}

/**
 * Serves a folder written by `copyPublishedFiles` as a JSR registry: point
 * `JSR_URL` at the returned URL and `jsr:` specifiers load from it.
 *
 * @param folder The folder.
 * @param packages The packages it holds.
 * @returns The registry's URL and a function that stops it.
 */
export async function serveRegistry(
  folder: string,
  packages: readonly PublishedPackage[],
): Promise<{ url: string; close: () => Promise<void> }> {
  const routes = new Map<string, () => Response | Promise<Response>>();
  for (const pkg of packages) {
    const [scope, name] = pkg.name.slice(1).split("/");
    const manifest: Record<string, { size: number; checksum: string }> = {};
    for (const file of pkg.files) {
      const bytes = await Deno.readFile(join(folder, pkg.name, pkg.version, file));
      const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
      manifest[`/${file}`] = {
        size: bytes.length,
        checksum: `sha256-${[...digest].map((b) => b.toString(16).padStart(2, "0")).join("")}`,
      };
      routes.set(`/${pkg.name}/${pkg.version}/${file}`, () => new Response(bytes));
    }
    const versions = { [pkg.version]: {} };
    routes.set(
      `/${pkg.name}/meta.json`,
      () => Response.json({ scope, name, latest: pkg.version, versions }),
    );
    routes.set(
      `/${pkg.name}/${pkg.version}_meta.json`,
      () => Response.json({ manifest, exports: pkg.exports }),
    );
  }
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    (request) =>
      routes.get(new URL(request.url).pathname)?.() ?? new Response("not found", { status: 404 }),
  );
  return { url: `http://127.0.0.1:${server.addr.port}/`, close: () => server.shutdown() };
}

/**
 * `deno task check`: every gate CI runs, in order, stopping at the first
 * failure. `deno doc --lint` reports a public type referencing a type that a
 * third-party package declares (zod, oRPC, OpenTelemetry) as "private"; those
 * are the upstream package's API, so only references to types this
 * repository declares fail the gate.
 *
 * @module
 */

/** The folders holding workspace members, and members that are folders themselves. */
const MEMBER_GROUPS = ["packages", "plugins"];
const SINGLE_MEMBERS = ["cli", "aspire"];

async function memberDirectories(): Promise<string[]> {
  const members = [...SINGLE_MEMBERS];
  for (const group of MEMBER_GROUPS) {
    try {
      for await (const entry of Deno.readDir(group)) {
        if (entry.isDirectory) members.push(`${group}/${entry.name}`);
      }
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
  }
  return members.sort();
}

async function run(label: string, args: string[]): Promise<string> {
  console.log(`\n▶ ${label}`);
  const output = await new Deno.Command(Deno.execPath(), {
    args,
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).output();
  const text = new TextDecoder().decode(output.stdout) + new TextDecoder().decode(output.stderr);
  if (!output.success && label !== "doc lint") {
    console.log(text);
    console.log(`✗ ${label} failed`);
    Deno.exit(1);
  }
  return text;
}

async function sourceFiles(): Promise<string[]> {
  const files: string[] = [];
  const walk = async (dir: string) => {
    for await (const entry of Deno.readDir(dir)) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory) await walk(path);
      else if (entry.name.endsWith(".ts") && !entry.name.endsWith("_test.ts")) files.push(path);
    }
  };
  for (const member of await memberDirectories()) await walk(member);
  return files;
}

async function entrypoints(): Promise<string[]> {
  const result: string[] = [];
  for (const member of await memberDirectories()) {
    const config = JSON.parse(await Deno.readTextFile(`${member}/deno.json`));
    const exports = typeof config.exports === "string" ? { ".": config.exports } : config.exports;
    for (const target of Object.values(exports as Record<string, string>)) {
      result.push(`${member}/${target.replace(/^\.\//, "")}`);
    }
  }
  return result.sort();
}

async function docLint(): Promise<void> {
  const text = await run("doc lint", ["doc", "--lint", ...(await entrypoints())]);
  const ownSource = (await Promise.all((await sourceFiles()).map((f) => Deno.readTextFile(f))))
    .join("\n");
  // The line that declares the referenced type, as the diagnostic quotes it.
  const referencedDeclaration = (block: string) =>
    block.match(/\n\s*\d+ \| (.*)\n\s*\| - this is the referenced type/)?.[1]?.trim();
  const blocks = text.split(/\n(?=error\[)/).filter((block) => block.startsWith("error["));
  let external = 0;
  const failures = blocks.filter((block) => {
    const declaration = block.startsWith("error[private-type-ref]")
      ? referencedDeclaration(block)
      : undefined;
    if (declaration !== undefined && !ownSource.includes(declaration)) {
      external++;
      return false;
    }
    return true;
  });
  if (failures.length > 0) {
    console.log(failures.join("\n"));
    console.log(`✗ doc lint: ${failures.length} problem(s)`);
    Deno.exit(1);
  }
  console.log(`doc lint ok (${external} references to third-party types left to their packages)`);
}

await run("fmt", ["fmt", "--check"]);
await run("lint", ["lint"]);
await run("type-check", ["check", "."]);
await docLint();
await run("publish dry run", ["publish", "--dry-run", "--allow-dirty"]);
console.log("\n✓ all checks passed");

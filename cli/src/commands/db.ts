import { isNetScriptError, NetScriptError } from "@netscript/contracts/errors";
import type { DbErrorCode } from "@netscript/db";
import type { Migrator } from "@netscript/db/migrate";
import { redactSecrets } from "@netscript/store";
import type { CliErrorCode } from "../cli_error_codes.ts";
import type { CommandInput, CommandSpec } from "../command.ts";
import { findWorkspaceRoot } from "../workspace.ts";

/** The migrations folder, relative to the workspace root. */
const MIGRATIONS_DIR = "database/migrations";

/**
 * The database code (Prisma's engine, drivers) loads only when a `db`
 * command runs, so other commands start fast and need no FFI access.
 */
const loadDb = () => import("../db/workspace_db.ts");

const ACCEPT_DATA_LOSS = {
  "accept-data-loss": {
    type: "boolean",
    description: "Go ahead with changes that drop columns or tables that hold data",
    default: false,
  },
} as const;

/** What a migration command did: in-process, or through the official prisma CLI. */
type Outcome<T> = { kind: "wasm"; value: T } | { kind: "native"; output: string };

/**
 * Runs `work` with the workspace's in-process migrator (closed afterwards),
 * or, for engines that need Prisma's native engine, the official prisma CLI
 * with `native` as its arguments.
 */
async function withMigrations<T>(
  input: CommandInput,
  label: string,
  work: (migrator: Migrator) => Promise<T>,
  native: string[],
): Promise<Outcome<T>> {
  const root = await findWorkspaceRoot(input.cwd);
  return await input.output.progress(label, async (): Promise<Outcome<T>> => {
    const migrations = await (await loadDb()).openWorkspaceMigrations(root).catch(
      _explainOpenFailure,
    );
    if (migrations.kind === "native") {
      const { runNativePrisma } = await import("../db/native_prisma.ts");
      return {
        kind: "native",
        output: await runNativePrisma(root, {
          binary: migrations.binary,
          url: migrations.url,
          args: native,
        }),
      };
    }
    try {
      return { kind: "wasm", value: await work(migrations.migrator) };
    } catch (error) {
      if (error instanceof NetScriptError) throw error;
      throw new NetScriptError<CliErrorCode>(
        "DB_ENGINE_ERROR",
        `Prisma's schema engine failed: ${
          (error as Error).message?.split("\n")[0] ?? String(error)
        }; check the schema files under database/ and the plugins' fragments`,
        { cause: error },
      );
    } finally {
      await migrations.migrator.close();
    }
  });
}

/**
 * Rethrows a failure to reach the database in the user's terms: a URL the
 * driver cannot parse as `DB_URL_INVALID` (the driver's error quotes the
 * URL with its password, so it is not kept), and a `DB_UNREACHABLE` that
 * says the database does not exist with the command that creates it.
 */
function _explainOpenFailure(error: unknown): never {
  const invalid = error instanceof TypeError && error.message.match(/^Invalid URL: '(.*?)'/);
  if (invalid) {
    throw new NetScriptError<CliErrorCode>(
      "DB_URL_INVALID",
      `The database URL "${
        redactSecrets(invalid[1]!)
      }" (DATABASE_URL or DB_URI, from the environment or .env) is not a valid URL; write it as postgresql://user:password@host:5432/database, percent-encoding special characters in the user and password`,
      { details: { url: redactSecrets(invalid[1]!) } },
    );
  }
  if (
    isNetScriptError<DbErrorCode>(error, "DB_UNREACHABLE") && /does not exist/i.test(error.message)
  ) {
    throw new NetScriptError<DbErrorCode>(
      "DB_UNREACHABLE",
      `${
        error.message.replace(/; check that it is running.*$/, "")
      }; create it with netscript db create, or point DATABASE_URL (in the environment or .env) at another database`,
      { details: error.details, cause: error },
    );
  }
  throw error;
}

/** Reports a command that ran through the official prisma CLI. */
function reportNative(input: CommandInput, output: string): number {
  input.output.result({ ok: true, via: "prisma", output });
  input.output.line(output);
  return 0;
}

/** `netscript db generate`. */
export const dbGenerateCommand: CommandSpec = {
  path: ["db", "generate"],
  summary: "Generate the typed database client",
  description:
    "Assembles the schema (.netscript/db/schema: NetScript's generator and datasource, database/*.prisma, and every plugin's withDbSchemas fragment), runs prisma generate into .netscript/db/client, and writes .netscript/db/mod.ts, which the workspace imports as @db: import { db } from \"@db\". DATABASE_URL selects the database.",
  args: [],
  flags: {},
  examples: [{ command: "netscript db generate", description: "After changing a model" }],
  async run({ cwd, output }) {
    const root = await findWorkspaceRoot(cwd);
    const { prepareSchema, readEngine } = await loadDb();
    const { generateClient } = await import("../db/generate_client.ts");
    const engine = await readEngine(root);
    const schema = await output.progress("generating the client", async () => {
      const assembled = await prepareSchema(root, engine);
      await generateClient(root, engine);
      return assembled;
    });
    const files = schema.files.map((f) => f.source);
    output.result({
      ok: true,
      engine,
      schema: files,
      client: ".netscript/db/client",
      module: ".netscript/db/mod.ts",
    });
    output.line(
      `${output.colors.green("✓")} Generated the ${engine} client from ${
        files.length - 1
      } schema file(s); import { db } from "@db"`,
    );
    return 0;
  },
};

/** `netscript db create`. */
export const dbCreateCommand: CommandSpec = {
  path: ["db", "create"],
  summary: "Create the database DATABASE_URL names",
  description:
    "Connects to the server of the workspace's database URL (DATABASE_URL or DB_URI, from the environment or .env, else the engine's local default such as postgresql://postgres@127.0.0.1:5432/app) and creates the database it names, when it does not exist yet. For postgres and mysql; SQLite needs no step. Then run netscript db deploy to create the tables.",
  args: [],
  flags: {},
  examples: [
    { command: "netscript db create", description: "Before the first netscript db deploy" },
  ],
  async run({ cwd, output }) {
    const root = await findWorkspaceRoot(cwd);
    const { readEngine, workspaceDatabaseUrl } = await loadDb();
    const { createDatabase } = await import("../db/create_database.ts");
    const engine = await readEngine(root);
    const url = await workspaceDatabaseUrl(root, engine);
    const result = await output.progress(
      "creating the database",
      () => createDatabase(engine, url),
    );
    output.result({ ok: true, engine, ...result });
    output.line(
      `${output.colors.green("✓")} ${
        result.created ? "Created" : "Nothing to do: there already is"
      } the ${engine} database "${result.name}"; next: netscript db deploy`,
    );
    return 0;
  },
};

/** `netscript db migrate`. */
export const dbMigrateCommand: CommandSpec = {
  path: ["db", "migrate"],
  summary: "Create a migration from the schema and apply it",
  description:
    `Applies pending migrations, compares the database with the schema, writes the difference as ${MIGRATIONS_DIR}/<timestamp>_<name>/migration.sql (Prisma's format) and applies it. The new migration is tried in a transaction first, so one that would fail leaves the database and the folder as they were. Changes that lose data need --accept-data-loss. Runs in-process for postgres and sqlite.`,
  args: [],
  flags: {
    name: {
      type: "string",
      placeholder: "name",
      description: "The migration's name",
      default: "migration",
    },
    ...ACCEPT_DATA_LOSS,
  },
  examples: [
    { command: "netscript db migrate --name add_tags", description: "After adding a field" },
    {
      command: "netscript db migrate --name drop_legacy --accept-data-loss",
      description: "Drop a column that holds data",
    },
  ],
  async run(input) {
    const name = String(input.flags.name).replace(/[^A-Za-z0-9_]/g, "_");
    const acceptDataLoss = input.flags["accept-data-loss"] === true;
    const outcome = await withMigrations(
      input,
      "migrating",
      (migrator) => migrator.migrate(name, { acceptDataLoss }),
      ["migrate", "dev", "--name", name],
    );
    if (outcome.kind === "native") return reportNative(input, outcome.output);
    const result = outcome.value;
    input.output.result({ ok: true, ...result });
    const { green, dim } = input.output.colors;
    for (const warning of result.warnings) input.output.warn(warning);
    input.output.line(
      result.created
        ? `${green("✓")} Created and applied ${MIGRATIONS_DIR}/${result.created}`
        : `${green("✓")} The database already matches the schema; no migration created`,
    );
    if (result.applied.length > 0) {
      input.output.line(dim(`  applied: ${result.applied.join(", ")}`));
    }
    return 0;
  },
};

/** `netscript db deploy`. */
export const dbDeployCommand: CommandSpec = {
  path: ["db", "deploy"],
  summary: "Apply pending migrations (CI and production)",
  description:
    `Applies every migration in ${MIGRATIONS_DIR} that the database has not applied yet, and nothing else: it never creates migrations or resets.`,
  args: [],
  flags: {},
  examples: [{
    command: "DATABASE_URL=… netscript db deploy",
    description: "In a release pipeline",
  }],
  async run(input) {
    const outcome = await withMigrations(input, "applying migrations", (m) => m.deploy(), [
      "migrate",
      "deploy",
    ]);
    if (outcome.kind === "native") return reportNative(input, outcome.output);
    const result = outcome.value;
    input.output.result({ ok: true, ...result });
    input.output.line(
      `${input.output.colors.green("✓")} ${
        result.applied.length === 0
          ? "No pending migrations"
          : `Applied ${result.applied.join(", ")}`
      }`,
    );
    return 0;
  },
};

/** `netscript db push`. */
export const dbPushCommand: CommandSpec = {
  path: ["db", "push"],
  summary: "Make the database match the schema without a migration",
  description:
    "For prototyping: changes the database to match the schema directly, writing no migration. Changes that lose data need --accept-data-loss.",
  args: [],
  flags: { ...ACCEPT_DATA_LOSS },
  examples: [{ command: "netscript db push", description: "Try a model change quickly" }],
  async run(input) {
    const acceptDataLoss = input.flags["accept-data-loss"] === true;
    const outcome = await withMigrations(
      input,
      "pushing the schema",
      (m) => m.push({ acceptDataLoss }),
      ["db", "push", ...(acceptDataLoss ? ["--accept-data-loss"] : [])],
    );
    if (outcome.kind === "native") return reportNative(input, outcome.output);
    const result = outcome.value;
    input.output.result({ ok: true, ...result });
    for (const warning of result.warnings) input.output.warn(warning);
    input.output.line(
      `${input.output.colors.green("✓")} Schema pushed (${result.executedSteps} step(s))`,
    );
    return 0;
  },
};

/** `netscript db status`. */
export const dbStatusCommand: CommandSpec = {
  path: ["db", "status"],
  summary: "Compare the database with the migrations folder",
  description:
    "Lists pending, failed, edited and unknown migrations and reports drift (a database changed outside its migrations). Exits 1 when the database is not up to date.",
  args: [],
  flags: {},
  examples: [{ command: "netscript db status", description: "Before deploying" }],
  async run(input) {
    const outcome = await withMigrations(input, "checking", (m) => m.status(), [
      "migrate",
      "status",
    ]);
    if (outcome.kind === "native") return reportNative(input, outcome.output);
    const status = outcome.value;
    input.output.result({ ok: status.upToDate, ...status });
    const { green, yellow } = input.output.colors;
    if (status.upToDate) {
      input.output.line(`${green("✓")} The database is up to date with ${MIGRATIONS_DIR}`);
      return 0;
    }
    const rows: [string, string[]][] = [
      ["pending", status.pending],
      ["failed", status.failed],
      ["edited since applied", status.edited],
      ["in the database but not the folder", status.unknown],
    ];
    for (const [label, names] of rows) {
      if (names.length > 0) input.output.line(`${yellow("•")} ${label}: ${names.join(", ")}`);
    }
    if (status.drift) input.output.line(`${yellow("•")} drift: ${status.drift}`);
    return 1;
  },
};

/** `netscript db reset --force`. */
export const dbResetCommand: CommandSpec = {
  path: ["db", "reset"],
  summary: "Drop everything and re-apply the migrations",
  description:
    "Deletes every table and row, then applies all migrations again. Needs --force, because the data is gone afterwards.",
  args: [],
  flags: {
    force: { type: "boolean", description: "Confirm that the data may be deleted", default: false },
  },
  examples: [{ command: "netscript db reset --force", description: "Start over after drift" }],
  async run(input) {
    if (input.flags.force !== true) {
      throw new NetScriptError<CliErrorCode>(
        "DB_RESET_NEEDS_FORCE",
        "netscript db reset deletes every table and row; run it again with --force to confirm",
      );
    }
    const outcome = await withMigrations(input, "resetting", async (m) => {
      await m.reset();
      return await m.deploy();
    }, ["migrate", "reset", "--force"]);
    if (outcome.kind === "native") return reportNative(input, outcome.output);
    const result = outcome.value;
    input.output.result({ ok: true, ...result });
    input.output.line(
      `${input.output.colors.green("✓")} Reset; re-applied ${result.applied.length} migration(s)`,
    );
    return 0;
  },
};

/** `netscript db diff`. */
export const dbDiffCommand: CommandSpec = {
  path: ["db", "diff"],
  summary: "Print the SQL between the migrations and the schema",
  description:
    `Prints the SQL that a new migration would contain: the difference between what ${MIGRATIONS_DIR} builds and the current schema. Writes nothing.`,
  args: [],
  flags: {},
  examples: [{ command: "netscript db diff", description: "Review a change before migrating" }],
  async run(input) {
    const outcome = await withMigrations(input, "comparing", (m) => m.diff(), [
      "migrate",
      "diff",
      "--from-migrations",
      "database/migrations",
      "--to-schema",
      ".netscript/db/schema",
      "--script",
    ]);
    if (outcome.kind === "native") return reportNative(input, outcome.output);
    const sql = outcome.value;
    input.output.result({ ok: true, sql });
    input.output.line(sql.trimEnd());
    return 0;
  },
};

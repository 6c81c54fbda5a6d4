/**
 * End to end: a plugin written only against NetScript's public kit
 * (`tests/fixtures/greeter-plugin`), copied to a folder outside this
 * repository, is added to a fresh workspace, generates, type-checks and runs
 * under `netscript dev` with no change to the CLI or the framework packages:
 * its definitions folder feeds its processes, its API answers, and its
 * config topic changes the running processor without a restart.
 */
import { spawnDevJson } from "./support/dev_slot.ts";
import { deepEqual, equal, match, ok } from "node:assert/strict";
import { join } from "node:path";
import { eachLine } from "../cli/src/dev/each_line.ts";
import type { ResourceState } from "../cli/src/dev/run_resources.ts";
import { initLinkedWorkspace, netscript, REPO_ROOT } from "./support/cli.ts";

const GREETER = join(REPO_ROOT, "tests", "fixtures", "greeter-plugin");

async function copyTree(from: string, to: string): Promise<void> {
  await Deno.mkdir(to, { recursive: true });
  for await (const entry of Deno.readDir(from)) {
    if (entry.isDirectory) await copyTree(join(from, entry.name), join(to, entry.name));
    else await Deno.copyFile(join(from, entry.name), join(to, entry.name));
  }
}

/** `netscript dev --json`'s events, as they arrive. */
function devEvents(dev: Deno.ChildProcess) {
  const events: Record<string, unknown>[] = [];
  const waiters: { test: (e: Record<string, unknown>) => boolean; resolve: () => void }[] = [];
  const done = eachLine(dev.stdout, (line) => {
    const event = JSON.parse(line);
    events.push(event);
    for (const waiter of [...waiters]) {
      if (waiter.test(event)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  });
  return {
    events,
    done,
    /** Resolves at the first event (already seen, from `from` on, or to come) that passes `test`. */
    async next(what: string, test: (e: Record<string, unknown>) => boolean, from = 0) {
      if (events.slice(from).some(test)) return;
      const { promise, resolve } = Promise.withResolvers<void>();
      const waiter = { test, resolve };
      waiters.push(waiter);
      const timer = setTimeout(() => {
        waiters.splice(waiters.indexOf(waiter), 1);
        resolve();
      }, 60_000);
      await Promise.race([promise, done]);
      clearTimeout(timer);
      ok(events.slice(from).some(test), `netscript dev never printed ${what}`);
    },
  };
}

const said = (resource: string, text: string) => (event: Record<string, unknown>) =>
  event.event === "output" && event.resource === resource &&
  String(event.text).includes(text);

Deno.test("a plugin built only on the public kit scaffolds, generates, type-checks and runs under netscript dev", async (t) => {
  const outside = await Deno.makeTempDir({ prefix: "netscript-author-" });
  let dev: Deno.ChildProcess | undefined;
  try {
    const plugin = join(outside, "greeter-plugin");
    await copyTree(GREETER, plugin);
    const root = await initLinkedWorkspace(outside);

    await t.step("plugin add scaffolds it from its own folder", async () => {
      const add = await netscript(["plugin", "add", plugin, "--json"], root);
      equal(add.code, 0, add.stderr);
      equal(JSON.parse(add.stdout).plugin, "greeter");
      await Deno.mkdir(join(root, "greetings"));
      await Deno.writeTextFile(
        join(root, "greetings/morning.ts"),
        `import { defineGreeting } from "@acme/plugin-greeter";\n\nexport default defineGreeting({ name: "morning", text: "good morning" });\n`,
      );
    });

    await t.step("registry generate writes its typed definitions module", async () => {
      const generate = await netscript(["registry", "generate"], root);
      equal(generate.code, 0, generate.stderr);
      const module = await Deno.readTextFile(join(root, ".netscript/definitions/greeter.ts"));
      match(module, /import greetings_0 from "\.\.\/\.\.\/greetings\/morning\.ts";/);
      const contracts = await netscript(["contract", "list", "--json"], root);
      deepEqual(
        JSON.parse(contracts.stdout).map((c: { plugin: string; version: string }) => [
          c.plugin,
          c.version,
        ]),
        [["@acme/plugin-greeter", "v1"]],
      );
    });

    await t.step("the workspace type-checks, and a greeting's type flows", async () => {
      await Deno.writeTextFile(
        join(root, "probe.ts"),
        `import { greetings } from "./.netscript/definitions/greeter.ts";\nconst name: "morning" = greetings[0].definition.name;\nconsole.log(name);\n`,
      );
      const check = await new Deno.Command(Deno.execPath(), {
        args: ["check", "--quiet", "--no-lock", "."],
        cwd: root,
      }).output();
      ok(check.success, new TextDecoder().decode(check.stderr));
      await Deno.remove(join(root, "probe.ts"));
    });

    await t.step(
      "netscript dev runs its API and processor with the topic's defaults",
      async (t) => {
        dev = await spawnDevJson(root);
        const events = devEvents(dev);
        await events.next("ready", (e) => e.event === "ready");
        const ready = events.events.find((e) => e.event === "ready")!.resources as ResourceState[];
        const api = ready.find((s) => s.name === "greeter-api")!;
        equal(ready.find((s) => s.name === "greeter-ticker")?.state, "running");
        await events.next("the default greeting", said("greeter-ticker", "Hello, good morning"));
        const response = await fetch(`http://127.0.0.1:${api.port}/api/greetings`);
        deepEqual(await response.json(), [{ name: "morning", line: "Hello, good morning" }]);

        await t.step("config set reaches the running processes without a restart", async () => {
          const from = events.events.length;
          const set = await netscript(
            ["config", "set", "greeter", "--value", '{"salutation":"Howdy","intervalMs":100}'],
            root,
          );
          equal(set.code, 0, set.stderr);
          await events.next(
            "the new salutation",
            said("greeter-ticker", "Howdy, good morning"),
            from,
          );
          const after = await fetch(`http://127.0.0.1:${api.port}/api/greetings`);
          deepEqual(await after.json(), [{ name: "morning", line: "Howdy, good morning" }]);
          const restarts = events.events.filter((e) =>
            e.event === "state" && e.name === "greeter-ticker" && e.state === "restarting"
          );
          equal(restarts.length, 0, "the processor was not restarted");
        });

        await t.step("an invalid value is refused and the last good one stays", async () => {
          const bad = await netscript(
            ["config", "set", "greeter", "--value", '{"intervalMs":1}'],
            root,
          );
          equal(bad.code, 1);
          match(bad.stderr, /CONFIG_VALUE_INVALID.*intervalMs/);
          const get = JSON.parse(
            (await netscript(["config", "get", "greeter", "--json"], root)).stdout,
          );
          deepEqual(get.value, { salutation: "Howdy", intervalMs: 100 });
        });

        dev.kill("SIGINT");
        equal((await dev.status).code, 0);
        await events.done;
        await dev.stderr.cancel();
        dev = undefined;
      },
    );

    await t.step("the value outlives the processes", async () => {
      const get = JSON.parse(
        (await netscript(["config", "get", "greeter", "--json"], root)).stdout,
      );
      deepEqual([get.value.salutation, get.revision], ["Howdy", 1]);
    });
  } finally {
    if (dev !== undefined) {
      dev.kill("SIGKILL");
      await dev.status;
    }
    await Deno.remove(outside, { recursive: true });
  }
});

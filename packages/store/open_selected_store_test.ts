import { deepEqual, rejects } from "node:assert/strict";
import { envFrom } from "./env_reader.ts";
import { openSelectedStore } from "./open_selected_store.ts";

const openers = {
  postgres: ({ url }: { url: string }) => `postgres ${url}`,
  kv: ({ path }: { path: string }) => Promise.resolve(`kv ${path}`),
};

Deno.test("openSelectedStore opens the kind the environment selects with its opener", async () => {
  deepEqual(
    await openSelectedStore(
      { prefix: "NOTES", env: envFrom({ NOTES_KV_PATH: "/tmp/n.kv" }), kinds: ["postgres", "kv"] },
      openers,
    ),
    { kind: "kv", location: "/tmp/n.kv", store: "kv /tmp/n.kv" },
  );
  deepEqual(
    await openSelectedStore(
      {
        prefix: "NOTES",
        env: envFrom({ DATABASE_URL: "postgres://app:secret@db:5432/app" }),
        kinds: ["postgres", "kv"],
      },
      openers,
    ),
    {
      kind: "postgres",
      location: "postgres://app:***@db:5432/app",
      store: "postgres postgres://app:secret@db:5432/app",
    },
  );
});

Deno.test("openSelectedStore refuses a kind the plugin does not support, opening nothing", async () => {
  let opened = 0;
  await rejects(
    openSelectedStore(
      { prefix: "NOTES", env: envFrom({ NOTES_STORE: "redis" }), kinds: ["postgres", "kv"] },
      { postgres: () => opened++, kv: () => opened++ },
    ),
    { code: "STORE_INVALID" },
  );
  deepEqual(opened, 0);
});

/** Commits one key to the KV file named by the first argument, from a process of its own. */
const kv = await Deno.openKv(Deno.args[0]);
await kv.set(["written-by-another-process"], Date.now());
kv.close();

import { defineServices, safe, isDefinedError } from "@netscript/sdk";
import { isNetScriptError } from "@netscript/contracts";
import { notesContract } from "./contracts/notes.ts";

async function attempt(label: string, url: string | undefined, timeoutMs?: number) {
  const { clients } = defineServices({
    notes: { contract: notesContract, ...(url ? { url } : {}) },
  }, timeoutMs ? { timeoutMs } : {});
  const { error } = await safe(clients.notes.get({ id: "1" }));
  console.log(label, isNetScriptError(error), isDefinedError(error), error?.constructor?.name, (error as any)?.code, "|", (error as any)?.message, JSON.stringify(error));
}
await attempt("env/none", undefined);
await attempt("unreachable", "http://localhost:3999");
await attempt("invalid", "ftp://x");
await attempt("invalid2", "not a url");
await attempt("with path", "http://localhost:3000/");

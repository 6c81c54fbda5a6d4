import { defineServices, isDefinedError, safe } from "@netscript/sdk";
import { notesContract } from "./contracts/notes.ts";

const { clients } = defineServices({
  notes: { contract: notesContract, url: "http://localhost:3000" },
});

// A call returns the typed output, or throws.
const created = await clients.notes.create({ title: "Buy milk" });
console.log("created", created.id, created.title);

const page = await clients.notes.list({ limit: 10 });
console.log("total", page.total);

// safe() returns { error, data } instead of throwing.
const { error, data } = await safe(clients.notes.get({ id: "does-not-exist" }));
if (isDefinedError(error) && error.code === "NOT_FOUND") {
  console.log("no such note:", error.data?.id);
} else if (error) {
  throw error;
} else {
  console.log(data.title);
}

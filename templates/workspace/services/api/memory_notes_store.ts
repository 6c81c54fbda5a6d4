/**
 * Notes in memory, lost when the process stops: for tests, and for trying
 * the service without a database.
 *
 * @module
 */
import type { NoteRecord, NotesStore } from "./notes_store.ts";

/**
 * Creates an empty {@linkcode NotesStore} in memory.
 *
 * @returns The store.
 */
export function createMemoryNotesStore(): NotesStore {
  const notes: NoteRecord[] = [];
  return {
    list: ({ limit, offset }) =>
      Promise.resolve({ items: notes.slice(offset, offset + limit), total: notes.length }),
    get: (id) => Promise.resolve(notes.find((note) => note.id === id)),
    create: (text) => {
      const note = { id: crypto.randomUUID(), text, createdAt: new Date().toISOString() };
      notes.push(note);
      return Promise.resolve(note);
    },
    ping: () => Promise.resolve(),
  };
}

/**
 * The port the notes API keeps its notes behind. The service depends only on
 * this interface; `main.ts` gives it the database (`db_notes_store.ts`) and
 * the sample test gives it memory (`memory_notes_store.ts`).
 *
 * @module
 */
import type { z } from "zod";
import type { Note } from "../../contracts/mod.ts";

/** A note, as the API returns it. */
export type NoteRecord = z.infer<typeof Note>;

/** One page of notes, and how many there are in all. */
export interface NotesPage {
  /** The notes on the page, oldest first. */
  items: NoteRecord[];
  /** How many notes there are. */
  total: number;
}

/** Where the notes live. */
export interface NotesStore {
  /** Reads one page of notes, oldest first. */
  list(page: { limit: number; offset: number }): Promise<NotesPage>;
  /** Reads one note, or `undefined` when there is none with that id. */
  get(id: string): Promise<NoteRecord | undefined>;
  /** Stores a new note and returns it. */
  create(text: string): Promise<NoteRecord>;
  /** Resolves when the store can be used, rejects with the reason when not (`/health` runs it). */
  ping(): Promise<void>;
}

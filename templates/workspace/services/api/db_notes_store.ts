/**
 * The notes in the workspace's database, through the typed client `@db`
 * (generated from `database/schema.prisma` by `netscript db generate`).
 *
 * @module
 */
import type { PrismaClient } from "@db";
import type { NoteRecord, NotesStore } from "./notes_store.ts";

/**
 * Creates a {@linkcode NotesStore} on the `Note` table.
 *
 * @param db The database client, `db` from `@db`.
 * @returns The store.
 */
export function createDbNotesStore(db: PrismaClient): NotesStore {
  return {
    async list({ limit, offset }) {
      const [rows, total] = await db.$transaction([
        db.note.findMany({
          orderBy: [{ createdAt: "asc" }, { id: "asc" }],
          take: limit,
          skip: offset,
        }),
        db.note.count(),
      ]);
      return { items: rows.map(_toRecord), total };
    },
    async get(id) {
      const row = await db.note.findUnique({ where: { id } });
      return row ? _toRecord(row) : undefined;
    },
    async create(text) {
      return _toRecord(await db.note.create({ data: { id: crypto.randomUUID(), text } }));
    },
    async ping() {
      await db.note.count();
    },
  };
}

function _toRecord(row: { id: string; text: string; createdAt: Date }): NoteRecord {
  return { id: row.id, text: row.text, createdAt: row.createdAt.toISOString() };
}

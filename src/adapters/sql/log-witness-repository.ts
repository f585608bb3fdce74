import type { WitnessedLog, WitnessRepository } from '../../app/ports.js'
import { StorageError } from '../../app/storage-error.js'
import type { SqlSession } from './sql-session.js'

/** A witness's per-log state over Kysely. */
export class KyselyWitnessRepository implements WitnessRepository {
  constructor(private readonly session: SqlSession) {}

  async get(origin: string): Promise<WitnessedLog | null> {
    const row = await this.session.read('read witnessed log', (db) =>
      db.selectFrom('witness_logs').selectAll().where('origin', '=', origin).executeTakeFirst(),
    )
    if (row === undefined) return null
    return {
      origin: row.origin,
      size: Number(row.size),
      rootHash: new Uint8Array(row.root_hash),
      updatedAt: row.updated_at,
    }
  }

  async advance(
    expected: { readonly size: number; readonly rootHash: Uint8Array } | null,
    next: WitnessedLog,
  ): Promise<boolean> {
    const root = Buffer.from(next.rootHash)
    if (expected === null) {
      try {
        await this.session.write('record witnessed log', (db) =>
          db
            .insertInto('witness_logs')
            .values({
              origin: next.origin,
              size: next.size,
              root_hash: root,
              updated_at: next.updatedAt,
            })
            .execute(),
        )
        return true
      } catch (error) {
        if (error instanceof StorageError && error.code === 'STORAGE_CONFLICT') return false
        throw error
      }
    }
    const result = await this.session.write('advance witnessed log', (db) =>
      db
        .updateTable('witness_logs')
        .set({ size: next.size, root_hash: root, updated_at: next.updatedAt })
        .where('origin', '=', next.origin)
        .where('size', '=', expected.size)
        .where('root_hash', '=', Buffer.from(expected.rootHash))
        .executeTakeFirst(),
    )
    return Number(result.numUpdatedRows) === 1
  }
}

import type { CollectionRepository } from '../../app/ports.js'
import type { Collection } from '../../core/archive/index.js'
import type { CollectionsTable } from './schema.js'
import type { SqlSession } from './sql-session.js'

/**
 * Collections over Kysely. `create` throws `STORAGE_CONFLICT` for a taken id or a name already
 * used in the studio; `list` is oldest first.
 */
export class KyselyCollectionRepository implements CollectionRepository {
  constructor(private readonly session: SqlSession) {}

  async create(collection: Collection): Promise<void> {
    await this.session.write('create collection', (db) =>
      db
        .insertInto('collections')
        .values({
          studio_id: collection.studioId,
          id: collection.id,
          name: collection.name,
          created_at: collection.createdAt,
        })
        .execute(),
    )
  }

  async get(studioId: string, id: string): Promise<Collection | null> {
    const row = await this.session.read('get collection', (db) =>
      db
        .selectFrom('collections')
        .selectAll()
        .where('studio_id', '=', studioId)
        .where('id', '=', id)
        .executeTakeFirst(),
    )
    return row === undefined ? null : toCollection(row)
  }

  async findByName(studioId: string, name: string): Promise<Collection | null> {
    const row = await this.session.read('find collection', (db) =>
      db
        .selectFrom('collections')
        .selectAll()
        .where('studio_id', '=', studioId)
        .where('name', '=', name)
        .executeTakeFirst(),
    )
    return row === undefined ? null : toCollection(row)
  }

  async list(studioId: string): Promise<readonly Collection[]> {
    const rows = await this.session.read('list collections', (db) =>
      db
        .selectFrom('collections')
        .selectAll()
        .where('studio_id', '=', studioId)
        .orderBy('created_at', 'asc')
        .orderBy('id', 'asc')
        .execute(),
    )
    return rows.map(toCollection)
  }
}

function toCollection(row: CollectionsTable): Collection {
  return { id: row.id, studioId: row.studio_id, name: row.name, createdAt: row.created_at }
}

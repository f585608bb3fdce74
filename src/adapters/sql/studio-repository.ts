import type { StudioRepository } from '../../app/ports.js'
import type { Studio } from '../../core/archive/index.js'
import type { StudiosTable } from './schema.js'
import type { SqlSession } from './sql-session.js'

/** Studios over Kysely. `create` throws `STORAGE_CONFLICT` for a taken id. */
export class KyselyStudioRepository implements StudioRepository {
  constructor(private readonly session: SqlSession) {}

  async create(studio: Studio): Promise<void> {
    await this.session.write('create studio', (db) =>
      db
        .insertInto('studios')
        .values({ id: studio.id, name: studio.name, created_at: studio.createdAt })
        .execute(),
    )
  }

  async get(id: string): Promise<Studio | null> {
    const row = await this.session.read('get studio', (db) =>
      db.selectFrom('studios').selectAll().where('id', '=', id).executeTakeFirst(),
    )
    return row === undefined ? null : toStudio(row)
  }

  async first(): Promise<Studio | null> {
    const row = await this.session.read('get first studio', (db) =>
      db
        .selectFrom('studios')
        .selectAll()
        .orderBy('created_at', 'asc')
        .orderBy('id', 'asc')
        .limit(1)
        .executeTakeFirst(),
    )
    return row === undefined ? null : toStudio(row)
  }
}

function toStudio(row: StudiosTable): Studio {
  return { id: row.id, name: row.name, createdAt: row.created_at }
}

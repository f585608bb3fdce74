import type { DesignerRepository } from '../../app/ports.js'
import type { Designer } from '../../core/archive/index.js'
import type { DesignersTable } from './schema.js'
import type { SqlSession } from './sql-session.js'

/**
 * Designers over Kysely. `create` throws `STORAGE_CONFLICT` for a taken id or a name already used
 * in the studio; `list` is oldest first.
 */
export class KyselyDesignerRepository implements DesignerRepository {
  constructor(private readonly session: SqlSession) {}

  async create(designer: Designer): Promise<void> {
    await this.session.write('create designer', (db) =>
      db
        .insertInto('designers')
        .values({
          studio_id: designer.studioId,
          id: designer.id,
          name: designer.name,
          party_iri: designer.partyIri,
          created_at: designer.createdAt,
        })
        .execute(),
    )
  }

  async get(studioId: string, id: string): Promise<Designer | null> {
    const row = await this.session.read('get designer', (db) =>
      db
        .selectFrom('designers')
        .selectAll()
        .where('studio_id', '=', studioId)
        .where('id', '=', id)
        .executeTakeFirst(),
    )
    return row === undefined ? null : toDesigner(row)
  }

  async findByName(studioId: string, name: string): Promise<Designer | null> {
    const row = await this.session.read('find designer', (db) =>
      db
        .selectFrom('designers')
        .selectAll()
        .where('studio_id', '=', studioId)
        .where('name', '=', name)
        .executeTakeFirst(),
    )
    return row === undefined ? null : toDesigner(row)
  }

  async list(studioId: string): Promise<readonly Designer[]> {
    const rows = await this.session.read('list designers', (db) =>
      db
        .selectFrom('designers')
        .selectAll()
        .where('studio_id', '=', studioId)
        .orderBy('created_at', 'asc')
        .orderBy('id', 'asc')
        .execute(),
    )
    return rows.map(toDesigner)
  }
}

function toDesigner(row: DesignersTable): Designer {
  return {
    id: row.id,
    studioId: row.studio_id,
    name: row.name,
    partyIri: row.party_iri,
    createdAt: row.created_at,
  }
}

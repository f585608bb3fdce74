import type { KeyRepository } from '../../app/ports.js'
import type { ApiKeyRecord, Role } from '../../core/archive/index.js'
import type { ApiKeysTable } from './schema.js'
import type { SqlSession } from './sql-session.js'

/**
 * API keys over Kysely. `create` throws `STORAGE_CONFLICT` for a taken id or secret hash; `list`
 * is oldest first.
 */
export class KyselyKeyRepository implements KeyRepository {
  constructor(private readonly session: SqlSession) {}

  async create(key: ApiKeyRecord): Promise<void> {
    await this.session.write('create key', (db) =>
      db
        .insertInto('api_keys')
        .values({
          studio_id: key.studioId,
          id: key.id,
          role: key.role,
          party: key.party,
          name: key.name,
          secret_sha256: key.secretSha256,
          created_at: key.createdAt,
          revoked_at: key.revokedAt,
        })
        .execute(),
    )
  }

  async findBySecretSha256(secretSha256: string): Promise<ApiKeyRecord | null> {
    const row = await this.session.read('find key', (db) =>
      db
        .selectFrom('api_keys')
        .selectAll()
        .where('secret_sha256', '=', secretSha256)
        .executeTakeFirst(),
    )
    return row === undefined ? null : toKey(row)
  }

  async get(studioId: string, id: string): Promise<ApiKeyRecord | null> {
    const row = await this.session.read('get key', (db) =>
      db
        .selectFrom('api_keys')
        .selectAll()
        .where('studio_id', '=', studioId)
        .where('id', '=', id)
        .executeTakeFirst(),
    )
    return row === undefined ? null : toKey(row)
  }

  async list(studioId: string): Promise<readonly ApiKeyRecord[]> {
    const rows = await this.session.read('list keys', (db) =>
      db
        .selectFrom('api_keys')
        .selectAll()
        .where('studio_id', '=', studioId)
        .orderBy('created_at', 'asc')
        .orderBy('id', 'asc')
        .execute(),
    )
    return rows.map(toKey)
  }

  async revoke(studioId: string, id: string, revokedAt: string): Promise<boolean> {
    // The first revocation time stands, so revoking again changes nothing.
    const result = await this.session.write('revoke key', (db) =>
      db
        .updateTable('api_keys')
        .set((eb) => ({ revoked_at: eb.fn.coalesce('revoked_at', eb.val(revokedAt)) }))
        .where('studio_id', '=', studioId)
        .where('id', '=', id)
        .executeTakeFirst(),
    )
    return result.numUpdatedRows > 0n
  }
}

function toKey(row: ApiKeysTable): ApiKeyRecord {
  return {
    id: row.id,
    studioId: row.studio_id,
    role: row.role as Role,
    party: row.party,
    name: row.name,
    secretSha256: row.secret_sha256,
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
  }
}

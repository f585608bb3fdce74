import type { SigningKeyRecord, SigningKeyRepository } from '../../app/ports.js'
import type { SigningKeysTable } from './schema.js'
import type { SqlSession } from './sql-session.js'

/** Signing keys over Kysely; studio '' holds instance-wide keys. */
export class KyselySigningKeyRepository implements SigningKeyRepository {
  constructor(private readonly session: SqlSession) {}

  async create(key: SigningKeyRecord): Promise<void> {
    await this.session.write('create signing key', (db) =>
      db
        .insertInto('signing_keys')
        .values({
          id: key.id,
          studio_id: key.studioId ?? '',
          purpose: key.purpose,
          algorithm: key.algorithm,
          public_key: key.publicKey,
          private_key_sealed: key.privateKeySealed,
          created_at: key.createdAt,
          active: key.active ? 1 : 0,
        })
        .execute(),
    )
  }

  async list(studioId: string | null, purpose: string): Promise<readonly SigningKeyRecord[]> {
    const rows = await this.session.read('list signing keys', (db) =>
      db
        .selectFrom('signing_keys')
        .selectAll()
        .where('studio_id', '=', studioId ?? '')
        .where('purpose', '=', purpose)
        .orderBy('created_at', 'asc')
        .orderBy('id', 'asc')
        .execute(),
    )
    return rows.map(toRecord)
  }
}

function toRecord(row: SigningKeysTable): SigningKeyRecord {
  return {
    id: row.id,
    studioId: row.studio_id === '' ? null : row.studio_id,
    purpose: row.purpose,
    algorithm: row.algorithm,
    publicKey: row.public_key,
    privateKeySealed: row.private_key_sealed,
    createdAt: row.created_at,
    active: Number(row.active) === 1,
  }
}

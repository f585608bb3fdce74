import type {
  CredentialRepository,
  CredentialSignerRecord,
  IssuedCredentialRecord,
} from '../../app/ports.js'
import { StorageError } from '../../app/storage-error.js'
import type { CredentialSignersTable, CredentialsIssuedTable } from './schema.js'
import type { SqlSession } from './sql-session.js'

/** C2PA signers and issued manifests over Kysely; rows are only inserted. */
export class KyselyCredentialRepository implements CredentialRepository {
  constructor(private readonly session: SqlSession) {}

  async activeSigner(studioId: string): Promise<CredentialSignerRecord | null> {
    const row = await this.session.read('read credential signer', (db) =>
      db
        .selectFrom('credential_signers')
        .selectAll()
        .where('studio_id', '=', studioId)
        .orderBy('generation', 'desc')
        .limit(1)
        .executeTakeFirst(),
    )
    return row === undefined ? null : toSigner(row)
  }

  async addSigner(
    record: CredentialSignerRecord,
    opts: { readonly replace: boolean },
  ): Promise<void> {
    const latest = await this.session.read('read credential signer generation', (db) =>
      db
        .selectFrom('credential_signers')
        .select((eb) => eb.fn.max('generation').as('generation'))
        .where('studio_id', '=', record.studioId)
        .executeTakeFirst(),
    )
    const current = Number(latest?.generation ?? 0)
    if (!opts.replace && current > 0) {
      throw new StorageError('STORAGE_CONFLICT', 'the studio already has a credential signer')
    }
    // A racing writer that read the same generation collides on (studio_id, generation).
    await this.session.write('create credential signer', (db) =>
      db
        .insertInto('credential_signers')
        .values({
          id: record.id,
          studio_id: record.studioId,
          generation: current + 1,
          source: record.source,
          algorithm: record.algorithm,
          chain_pem: record.chainPem,
          root_pem: record.rootPem,
          private_key_sealed: record.privateKeySealed,
          ca_keys_sealed: record.caKeysSealed,
          not_after: record.notAfter,
          created_at: record.createdAt,
        })
        .execute(),
    )
  }

  async recordIssued(record: IssuedCredentialRecord): Promise<void> {
    await this.session.write('record issued credential', (db) =>
      db
        .insertInto('credentials_issued')
        .values({
          manifest_sha256: record.manifestSha256,
          studio_id: record.studioId,
          asset_id: record.assetId,
          signer_id: record.signerId,
          format: record.format,
          file_sha256: record.fileSha256,
          created_at: record.createdAt,
          log_submission: record.logSubmission,
        })
        .execute(),
    )
  }

  async issuedByManifest(manifestSha256: string): Promise<IssuedCredentialRecord | null> {
    const row = await this.session.read('read issued credential', (db) =>
      db
        .selectFrom('credentials_issued')
        .selectAll()
        .where('manifest_sha256', '=', manifestSha256)
        .executeTakeFirst(),
    )
    return row === undefined ? null : toIssued(row)
  }
}

function toSigner(row: CredentialSignersTable): CredentialSignerRecord {
  return {
    id: row.id,
    studioId: row.studio_id,
    source: row.source === 'imported' ? 'imported' : 'generated',
    algorithm: row.algorithm,
    chainPem: row.chain_pem,
    rootPem: row.root_pem,
    privateKeySealed: row.private_key_sealed,
    caKeysSealed: row.ca_keys_sealed,
    notAfter: row.not_after,
    createdAt: row.created_at,
  }
}

function toIssued(row: CredentialsIssuedTable): IssuedCredentialRecord {
  return {
    manifestSha256: row.manifest_sha256,
    studioId: row.studio_id,
    assetId: row.asset_id,
    signerId: row.signer_id,
    format: row.format,
    fileSha256: row.file_sha256,
    createdAt: row.created_at,
    logSubmission: row.log_submission,
  }
}

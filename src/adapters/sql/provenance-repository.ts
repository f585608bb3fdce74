import type { AuthorshipRepository, AuthorshipStepRecord } from '../../app/ports.js'
import type { AuthorshipStep, ProvenanceTier } from '../../core/provenance/index.js'
import { PROVENANCE_TIERS } from '../../core/provenance/index.js'
import type { AuthorshipStepsTable } from './schema.js'
import type { SqlSession } from './sql-session.js'

/** The authorship journal over Kysely: step rows are only ever inserted. */
export class KyselyAuthorshipRepository implements AuthorshipRepository {
  constructor(private readonly session: SqlSession) {}

  async append(record: AuthorshipStepRecord, tier: ProvenanceTier): Promise<void> {
    await this.session.atomic('append authorship step', async (db) => {
      // The primary key (studio, asset, seq) refuses a second step with the same number, so
      // two writers that read the same journal cannot both append.
      await db
        .insertInto('authorship_steps')
        .values({
          studio_id: record.studioId,
          asset_id: record.assetId,
          seq: record.seq,
          step: JSON.stringify(record.step),
          step_sha256: record.stepSha256,
          step_when: record.step.when,
          created_by: record.createdBy,
          created_at: record.createdAt,
          log_submission: record.logSubmission,
        })
        .execute()
      await db
        .insertInto('authorship_tiers')
        .values({
          studio_id: record.studioId,
          asset_id: record.assetId,
          tier,
          updated_at: record.createdAt,
        })
        .onConflict((oc) =>
          oc.columns(['studio_id', 'asset_id']).doUpdateSet({ tier, updated_at: record.createdAt }),
        )
        .execute()
    })
  }

  async steps(studioId: string, assetId: string): Promise<readonly AuthorshipStepRecord[]> {
    const rows = await this.session.read('read authorship journal', (db) =>
      db
        .selectFrom('authorship_steps')
        .selectAll()
        .where('studio_id', '=', studioId)
        .where('asset_id', '=', assetId)
        .orderBy('seq', 'asc')
        .execute(),
    )
    return rows.map(toRecord)
  }

  async tier(studioId: string, assetId: string): Promise<ProvenanceTier> {
    const row = await this.session.read('read provenance tier', (db) =>
      db
        .selectFrom('authorship_tiers')
        .select('tier')
        .where('studio_id', '=', studioId)
        .where('asset_id', '=', assetId)
        .executeTakeFirst(),
    )
    return row === undefined ? 'unknown' : toTier(row.tier)
  }
}

function toTier(value: string): ProvenanceTier {
  if (!(PROVENANCE_TIERS as readonly string[]).includes(value)) {
    throw new Error(`stored provenance tier ${JSON.stringify(value)} is not a tier`)
  }
  return value as ProvenanceTier
}

function toRecord(row: AuthorshipStepsTable): AuthorshipStepRecord {
  return {
    studioId: row.studio_id,
    assetId: row.asset_id,
    seq: Number(row.seq),
    step: JSON.parse(row.step) as AuthorshipStep & { readonly when: string },
    stepSha256: row.step_sha256,
    createdBy: row.created_by,
    createdAt: row.created_at,
    logSubmission: row.log_submission,
  }
}

import type { FindingKind, FindingRecord, FindingRepository, Page } from '../../app/ports.js'
import { clampPageLimit, decodeCursor, pageOf } from './page-cursor.js'
import type { FindingsTable } from './schema.js'
import type { SqlSession } from './sql-session.js'

const FINDING_KINDS: readonly string[] = ['licensed', 'over-use', 'unlicensed-copy', 'unknown']

/** Forensics findings over Kysely: rows are only ever inserted. */
export class KyselyFindingRepository implements FindingRepository {
  constructor(private readonly session: SqlSession) {}

  async create(record: FindingRecord): Promise<void> {
    await this.session.write('create finding', (db) =>
      db
        .insertInto('findings')
        .values({
          id: record.id,
          studio_id: record.studioId,
          created_at: record.createdAt,
          kind: record.kind,
          file_sha256: record.fileSha256,
          watermark: JSON.stringify(record.watermark),
          grant_id: record.grantId,
          agreement_id: record.agreementId,
          assignee: record.assignee,
          similar: JSON.stringify(record.similar),
          created_by: record.createdBy,
          log_submission: record.logSubmission,
        })
        .execute(),
    )
  }

  async get(studioId: string, id: string): Promise<FindingRecord | null> {
    const row = await this.session.read('read finding', (db) =>
      db
        .selectFrom('findings')
        .selectAll()
        .where('studio_id', '=', studioId)
        .where('id', '=', id)
        .executeTakeFirst(),
    )
    return row === undefined ? null : toRecord(row)
  }

  async list(
    studioId: string,
    page: { readonly limit: number; readonly cursor?: string },
  ): Promise<Page<FindingRecord>> {
    const limit = clampPageLimit(page.limit)
    const after = page.cursor === undefined ? null : decodeCursor(page.cursor)
    const rows = await this.session.read('list findings', (db) => {
      let query = db.selectFrom('findings').selectAll().where('studio_id', '=', studioId)
      if (after !== null) {
        query = query.where((eb) =>
          eb(eb.refTuple('created_at', 'id'), '<', eb.tuple(after.createdAt, after.id)),
        )
      }
      return query
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(limit + 1)
        .execute()
    })
    return pageOf(rows, limit, toRecord)
  }
}

function toRecord(row: FindingsTable): FindingRecord {
  if (!FINDING_KINDS.includes(row.kind)) {
    throw new Error(`stored finding kind ${JSON.stringify(row.kind)} is not a kind`)
  }
  return {
    id: row.id,
    studioId: row.studio_id,
    createdAt: row.created_at,
    kind: row.kind as FindingKind,
    fileSha256: row.file_sha256,
    watermark: JSON.parse(row.watermark) as FindingRecord['watermark'],
    grantId: row.grant_id,
    agreementId: row.agreement_id,
    assignee: row.assignee,
    similar: JSON.parse(row.similar) as FindingRecord['similar'],
    createdBy: row.created_by,
    logSubmission: row.log_submission,
  }
}

import { sql } from 'kysely'
import type {
  UsageBatchRecord,
  UsageEventRecord,
  UsageRepository,
  UsageSummaryRow,
} from '../../app/ports.js'
import type { SqlSession } from './sql-session.js'

const USAGE_LOCK_CLASS = 0x534c_5553
// Rows per multi-row statement: within SQLite's 32,766 and PostgreSQL's 65,535 parameters.
const CHUNK = 1000

/** Usage events, batches, meters and holds over Kysely. */
export class KyselyUsageRepository implements UsageRepository {
  constructor(private readonly session: SqlSession) {}

  async lockStudio(studioId: string): Promise<void> {
    if (!this.session.isTransaction || this.session.traits.name === 'sqlite') return
    // SQLite's `begin immediate` already holds the one write lock for the whole transaction.
    await this.session.read('lock studio usage', (db) =>
      sql`select pg_advisory_xact_lock(${USAGE_LOCK_CLASS}, hashtext(${studioId}))`.execute(db),
    )
  }

  async existingKeys(studioId: string, keys: readonly string[]): Promise<ReadonlySet<string>> {
    const found = new Set<string>()
    for (let i = 0; i < keys.length; i += CHUNK) {
      const part = keys.slice(i, i + CHUNK)
      const rows = await this.session.read('find usage event keys', (db) =>
        db
          .selectFrom('usage_events')
          .select('event_key')
          .where('studio_id', '=', studioId)
          .where('event_key', 'in', part)
          .execute(),
      )
      for (const r of rows) found.add(r.event_key)
    }
    return found
  }

  async meters(
    studioId: string,
    grantIds: readonly string[],
  ): Promise<ReadonlyMap<string, number>> {
    const out = new Map<string, number>()
    const unique = [...new Set(grantIds)]
    for (let i = 0; i < unique.length; i += CHUNK) {
      const part = unique.slice(i, i + CHUNK)
      const rows = await this.session.read('read usage meters', (db) =>
        db
          .selectFrom('usage_meters')
          .selectAll()
          .where('studio_id', '=', studioId)
          .where('grant_id', 'in', part)
          .execute(),
      )
      for (const r of rows) out.set(`${r.grant_id}/${r.kind}`, Number(r.units))
    }
    return out
  }

  async insertBatch(batch: UsageBatchRecord, events: readonly UsageEventRecord[]): Promise<void> {
    const increments = new Map<string, { grantId: string; kind: string; units: number }>()
    for (const e of events) {
      const key = `${e.grantId}/${e.kind}`
      const m = increments.get(key)
      if (m === undefined) increments.set(key, { grantId: e.grantId, kind: e.kind, units: e.units })
      else m.units += e.units
    }
    await this.session.atomic('insert usage batch', async (db) => {
      await db
        .insertInto('usage_batches')
        .values({
          studio_id: batch.studioId,
          id: batch.id,
          created_at: batch.createdAt,
          created_by: batch.createdBy,
          event_count: batch.eventCount,
          units: batch.units,
          merkle_root: batch.merkleRoot,
          log_entry: batch.logEntry,
          log_submission: batch.logSubmission,
        })
        .execute()
      for (let i = 0; i < events.length; i += CHUNK) {
        await db
          .insertInto('usage_events')
          .values(
            events.slice(i, i + CHUNK).map((e) => ({
              studio_id: e.studioId,
              event_key: e.key,
              source: e.source,
              event_id: e.eventId,
              batch_id: e.batchId,
              seq: e.seq,
              grant_id: e.grantId,
              agreement_id: e.agreementId,
              asset_id: e.assetId,
              assignee: e.assignee,
              kind: e.kind,
              units: e.units,
              time: e.time,
              period: e.period,
              canonical: e.canonical,
              received_at: e.receivedAt,
            })),
          )
          .execute()
      }
      const rows = [...increments.values()]
      for (let i = 0; i < rows.length; i += CHUNK) {
        await db
          .insertInto('usage_meters')
          .values(
            rows.slice(i, i + CHUNK).map((m) => ({
              studio_id: batch.studioId,
              grant_id: m.grantId,
              kind: m.kind,
              units: m.units,
            })),
          )
          .onConflict((oc) =>
            oc.columns(['studio_id', 'grant_id', 'kind']).doUpdateSet({
              units: (eb) => eb('usage_meters.units', '+', eb.ref('excluded.units')),
            }),
          )
          .execute()
      }
    })
  }

  async batch(studioId: string, id: string): Promise<UsageBatchRecord | null> {
    const row = await this.session.read('read usage batch', (db) =>
      db
        .selectFrom('usage_batches')
        .selectAll()
        .where('studio_id', '=', studioId)
        .where('id', '=', id)
        .executeTakeFirst(),
    )
    if (row === undefined) return null
    return {
      id: row.id,
      studioId: row.studio_id,
      createdAt: row.created_at,
      createdBy: row.created_by,
      eventCount: Number(row.event_count),
      units: Number(row.units),
      merkleRoot: row.merkle_root,
      logEntry: row.log_entry,
      logSubmission: row.log_submission,
    }
  }

  async batchEvents(studioId: string, batchId: string): Promise<readonly string[]> {
    const rows = await this.session.read('read usage batch events', (db) =>
      db
        .selectFrom('usage_events')
        .select('canonical')
        .where('studio_id', '=', studioId)
        .where('batch_id', '=', batchId)
        .orderBy('seq')
        .execute(),
    )
    return rows.map((r) => r.canonical)
  }

  async periodSummary(studioId: string, period: string): Promise<readonly UsageSummaryRow[]> {
    const rows = await this.session.read('summarise usage period', (db) =>
      db
        .selectFrom('usage_events')
        .select((eb) => [
          'grant_id',
          'agreement_id',
          'asset_id',
          'assignee',
          'kind',
          'batch_id',
          eb.fn.countAll().as('events'),
          eb.fn.sum<number | string>('units').as('units'),
        ])
        .where('studio_id', '=', studioId)
        .where('period', '=', period)
        .groupBy(['grant_id', 'agreement_id', 'asset_id', 'assignee', 'kind', 'batch_id'])
        .orderBy('grant_id')
        .orderBy('kind')
        .orderBy('batch_id')
        .execute(),
    )
    return rows.map((r) => ({
      grantId: r.grant_id,
      agreementId: r.agreement_id,
      assetId: r.asset_id,
      assignee: r.assignee,
      kind: r.kind,
      batchId: r.batch_id,
      events: Number(r.events),
      units: Number(r.units),
    }))
  }

  async priorUnits(studioId: string, period: string): Promise<ReadonlyMap<string, number>> {
    const rows = await this.session.read('sum prior usage', (db) =>
      db
        .selectFrom('usage_events')
        .select((eb) => ['grant_id', 'kind', eb.fn.sum<number | string>('units').as('units')])
        .where('studio_id', '=', studioId)
        .where('period', '<', period)
        .groupBy(['grant_id', 'kind'])
        .execute(),
    )
    return new Map(rows.map((r) => [`${r.grant_id}/${r.kind}`, Number(r.units)]))
  }

  async holdGrant(
    studioId: string,
    grantId: string,
    quote: { readonly amountMinor: number; readonly currency: string },
    at: string,
  ): Promise<void> {
    await this.session.write('hold grant', (db) =>
      db
        .insertInto('grant_holds')
        .values({
          studio_id: studioId,
          grant_id: grantId,
          amount_minor: quote.amountMinor,
          currency: quote.currency,
          created_at: at,
        })
        .onConflict((oc) =>
          oc.columns(['studio_id', 'grant_id']).doUpdateSet({
            amount_minor: quote.amountMinor,
            currency: quote.currency,
            created_at: at,
          }),
        )
        .execute(),
    )
  }

  async releaseGrant(studioId: string, grantId: string): Promise<void> {
    await this.session.write('release grant', (db) =>
      db
        .deleteFrom('grant_holds')
        .where('studio_id', '=', studioId)
        .where('grant_id', '=', grantId)
        .execute(),
    )
  }

  async hold(
    studioId: string,
    grantId: string,
  ): Promise<{ readonly amountMinor: number; readonly currency: string } | null> {
    const row = await this.session.read('read grant hold', (db) =>
      db
        .selectFrom('grant_holds')
        .selectAll()
        .where('studio_id', '=', studioId)
        .where('grant_id', '=', grantId)
        .executeTakeFirst(),
    )
    return row === undefined
      ? null
      : { amountMinor: Number(row.amount_minor), currency: row.currency }
  }
}

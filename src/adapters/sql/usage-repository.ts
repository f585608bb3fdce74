import { type Selectable, sql } from 'kysely'
import type {
  UsageBatchRecord,
  UsageEventRecord,
  UsageRepository,
  UsageSummaryRow,
} from '../../app/ports.js'
import type { UsageBatchesTable } from './schema.js'
import type { SqlSession } from './sql-session.js'

const USAGE_LOCK_CLASS = 0x534c_5553
// Rows per multi-row statement: within SQLite's 32,766 and PostgreSQL's 65,535 parameters.
const CHUNK = 1000

// The columns of a usage event row in the order `eventRow` lists them, with their PostgreSQL
// types. On SQLite each row is one run of a prepared statement (`insertRows`); on PostgreSQL a
// batch's events travel as one JSON array of rows, one parameter that the database parses,
// which costs far less to build, send and plan than a statement of 16,000 parameters.
const EVENT_COLUMNS = [
  ['studio_id', 'text'],
  ['event_key', 'text'],
  ['source', 'text'],
  ['event_id', 'text'],
  ['batch_id', 'text'],
  ['seq', 'integer'],
  ['grant_id', 'text'],
  ['agreement_id', 'text'],
  ['asset_id', 'text'],
  ['assignee', 'text'],
  ['kind', 'text'],
  ['units', 'bigint'],
  ['time', 'text'],
  ['period', 'text'],
  ['canonical', 'text'],
  ['received_at', 'text'],
] as const
const INSERT_EVENTS = sql.raw(
  `insert into usage_events (${EVENT_COLUMNS.map(([c]) => c).join(', ')})`,
)
const PG_EVENT_FIELDS = sql.raw(
  EVENT_COLUMNS.map(([, type], i) => `(r->>${i})::${type}`).join(', '),
)
// One row, for a dialect that runs a prepared statement per row (`insertRows`).
const INSERT_EVENT_ROW = `insert into usage_events (${EVENT_COLUMNS.map(([c]) => c).join(', ')}) values (${EVENT_COLUMNS.map(() => '?').join(', ')})`

function toBatchRecord(row: Selectable<UsageBatchesTable>): UsageBatchRecord {
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

function eventRow(e: UsageEventRecord): readonly (string | number)[] {
  return [
    e.studioId,
    e.key,
    e.source,
    e.eventId,
    e.batchId,
    e.seq,
    e.grantId,
    e.agreementId,
    e.assetId,
    e.assignee,
    e.kind,
    e.units,
    e.time,
    e.period,
    e.canonical,
    e.receivedAt,
  ]
}

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
    if (keys.length === 0) return found
    // The keys travel as one JSON array parameter, whatever their number.
    const list = JSON.stringify(keys)
    const rows = await this.session.read('find usage event keys', (db) =>
      db
        .selectFrom('usage_events')
        .select('event_key')
        .where('studio_id', '=', studioId)
        .where(
          'event_key',
          'in',
          this.session.traits.name === 'postgres'
            ? sql<string>`(select jsonb_array_elements_text(${list}::jsonb))`
            : sql<string>`(select value from json_each(${list}))`,
        )
        .execute(),
    )
    for (const r of rows) found.add(r.event_key)
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
      const { insertRows } = this.session.traits
      if (events.length > 0 && insertRows !== undefined) {
        insertRows(INSERT_EVENT_ROW, events.map(eventRow))
      } else if (events.length > 0) {
        const json = JSON.stringify(events.map(eventRow))
        await sql`${INSERT_EVENTS} select ${PG_EVENT_FIELDS} from jsonb_array_elements(${json}::jsonb) as r`.execute(
          db,
        )
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
    return row === undefined ? null : toBatchRecord(row)
  }

  async batches(studioId: string, ids: readonly string[]): Promise<readonly UsageBatchRecord[]> {
    const found = new Map<string, UsageBatchRecord>()
    const unique = [...new Set(ids)]
    for (let i = 0; i < unique.length; i += CHUNK) {
      const part = unique.slice(i, i + CHUNK)
      const rows = await this.session.read('read usage batches', (db) =>
        db
          .selectFrom('usage_batches')
          .selectAll()
          .where('studio_id', '=', studioId)
          .where('id', 'in', part)
          .execute(),
      )
      for (const row of rows) found.set(row.id, toBatchRecord(row))
    }
    const out: UsageBatchRecord[] = []
    for (const id of ids) {
      const b = found.get(id)
      if (b !== undefined) out.push(b)
    }
    return out
  }

  async periodEventCount(studioId: string, period: string): Promise<number> {
    const row = await this.session.read('count usage events of a period', (db) =>
      db
        .selectFrom('usage_events')
        .select((eb) => eb.fn.countAll().as('events'))
        .where('studio_id', '=', studioId)
        .where('period', '=', period)
        .executeTakeFirst(),
    )
    return Number(row?.events ?? 0)
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
    // Most batches lift no hold: a read finds that out without a savepointed write. Holds are
    // only written under the studio's usage lock (`lockStudio`), which ingest holds here.
    if ((await this.hold(studioId, grantId)) === null) return
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

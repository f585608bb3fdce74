import { sql } from 'kysely'
import type { LedgerRepository, LedgerTransactionRecord } from '../../app/ports.js'
import type { LedgerEntry } from '../../core/metering/index.js'
import type { SqlSession } from './sql-session.js'

const LEDGER_LOCK_CLASS = 0x534c_4c47

/** The double-entry ledger over Kysely: transactions and entries are only inserted. */
export class KyselyLedgerRepository implements LedgerRepository {
  constructor(private readonly session: SqlSession) {}

  async append(records: readonly LedgerTransactionRecord[]): Promise<void> {
    if (records.length === 0) return
    await this.session.atomic('append ledger transactions', async (db) => {
      for (let i = 0; i < records.length; i += 500) {
        const part = records.slice(i, i + 500)
        await db
          .insertInto('ledger_transactions')
          .values(
            part.map((r) => ({
              studio_id: r.studioId,
              id: r.tx.id,
              period: r.period,
              kind: r.tx.kind,
              currency: r.tx.currency,
              created_at: r.tx.createdAt,
              memo: r.tx.memo ?? null,
              refs: JSON.stringify(r.tx.refs ?? {}),
            })),
          )
          .execute()
        const entries = part.flatMap((r) =>
          r.tx.entries.map((e, seq) => ({
            studio_id: r.studioId,
            tx_id: r.tx.id,
            seq,
            period: r.period,
            account: e.account,
            currency: r.tx.currency,
            amount_minor: e.amountMinor,
          })),
        )
        for (let j = 0; j < entries.length; j += 1000) {
          await db
            .insertInto('ledger_entries')
            .values(entries.slice(j, j + 1000))
            .execute()
        }
      }
    })
  }

  async lockAccount(studioId: string, account: string): Promise<void> {
    if (!this.session.isTransaction || this.session.traits.name === 'sqlite') return
    await this.session.read('lock ledger account', (db) =>
      sql`select pg_advisory_xact_lock(${LEDGER_LOCK_CLASS}, hashtext(${`${studioId}/${account}`}))`.execute(
        db,
      ),
    )
  }

  async sum(studioId: string, account: string, currency: string): Promise<number> {
    const row = await this.session.read('sum ledger account', (db) =>
      db
        .selectFrom('ledger_entries')
        .select((eb) => eb.fn.sum<number | string | null>('amount_minor').as('total'))
        .where('studio_id', '=', studioId)
        .where('account', '=', account)
        .where('currency', '=', currency)
        .executeTakeFirst(),
    )
    return Number(row?.total ?? 0)
  }

  async sums(
    studioId: string,
    period?: string,
  ): Promise<
    readonly { readonly account: string; readonly currency: string; readonly sum: number }[]
  > {
    const rows = await this.session.read('sum ledger accounts', (db) => {
      let q = db
        .selectFrom('ledger_entries')
        .select((eb) => [
          'account',
          'currency',
          eb.fn.sum<number | string>('amount_minor').as('total'),
        ])
        .where('studio_id', '=', studioId)
      if (period !== undefined) q = q.where('period', '=', period)
      return q.groupBy(['account', 'currency']).orderBy('account').orderBy('currency').execute()
    })
    return rows.map((r) => ({ account: r.account, currency: r.currency, sum: Number(r.total) }))
  }

  async transactions(
    studioId: string,
    period?: string,
  ): Promise<readonly LedgerTransactionRecord[]> {
    const txs = await this.session.read('read ledger transactions', (db) => {
      let q = db.selectFrom('ledger_transactions').selectAll().where('studio_id', '=', studioId)
      if (period !== undefined) q = q.where('period', '=', period)
      return q.orderBy('created_at').orderBy('id').execute()
    })
    const entries = await this.session.read('read ledger entries', (db) => {
      let q = db.selectFrom('ledger_entries').selectAll().where('studio_id', '=', studioId)
      if (period !== undefined) q = q.where('period', '=', period)
      return q.orderBy('tx_id').orderBy('seq').execute()
    })
    const byTx = new Map<string, LedgerEntry[]>()
    for (const e of entries) {
      const list = byTx.get(e.tx_id) ?? []
      byTx.set(e.tx_id, list)
      list.push({ account: e.account, amountMinor: Number(e.amount_minor) })
    }
    return txs.map((t) => ({
      studioId: t.studio_id,
      period: t.period,
      tx: {
        id: t.id,
        kind: t.kind,
        currency: t.currency,
        createdAt: t.created_at,
        entries: byTx.get(t.id) ?? [],
        ...(t.memo === null ? {} : { memo: t.memo }),
        refs: JSON.parse(t.refs) as Record<string, string>,
      },
    }))
  }
}

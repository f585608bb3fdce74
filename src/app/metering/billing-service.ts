import { createHash } from 'node:crypto'
import { type Caller, requirePermission } from '../../core/access/index.js'
import { ArchiveError } from '../../core/archive/index.js'
import {
  type BatchCount,
  BILLING_RECEIPT_FORMAT,
  type BillingDocument,
  type BillingReceipt,
  type BillingVerification,
  INVOICE_FORMAT,
  type InvoiceDocument,
  type InvoiceLine,
  type IssuedDocumentVerification,
  invoiceTotals,
  isPeriod,
  type LineBasis,
  type ProvenBatch,
  periodEnd,
  STATEMENT_FORMAT,
  STATEMENT_FORMAT_V1,
  type StatementDocument,
  type StatementLine,
  statementTotals,
  verifyBillingDocument,
  verifyIssuedDocument,
} from '../../core/billing/index.js'
import {
  chargeTransaction,
  describePriceModel,
  incrementalChargeMinor,
  type LedgerTransaction,
  parsePriceModel,
  periodAmountMinor,
  USAGE_EVENT_TYPES,
} from '../../core/metering/index.js'
import type { CompiledPolicy } from '../../core/policy/index.js'
import type { LogService } from '../log/index.js'
import type {
  BillingDocumentRecord,
  Clock,
  IdSource,
  LedgerTransactionRecord,
  PricePlanRecord,
  Store,
  UsageSummaryRow,
} from '../ports.js'
import { StorageError } from '../storage-error.js'
import { BillingError } from './billing-error.js'
import { type MeterPrice, meterPrice, type RoyaltySettings, splitCharge } from './meter-price.js'

/** What closing a period produced. */
export interface ClosedPeriod {
  readonly period: string
  readonly invoices: readonly BillingDocumentRecord[]
  readonly statements: readonly BillingDocumentRecord[]
}

const USAGE_KINDS = Object.keys(USAGE_EVENT_TYPES)

// The currency of a document that charges nothing (ISO 4217 "no currency").
const NO_CURRENCY = 'XXX'

type LogPort = Pick<LogService, 'queue' | 'waitFor' | 'proofs' | 'vkey' | 'checkpoint' | 'entry'>

/**
 * Closing billing periods: one invoice per licensee and currency, one royalty statement per
 * designer and upstream owner and currency, each a JSON document with control totals and the
 * proofs of the usage batches it counts (see `core/billing`). A period closes once it has ended,
 * exactly once; postpaid fees are posted to the ledger in the same transaction, so a closed
 * period's documents and ledger never change (corrections are new entries in an open period).
 */
export class BillingService {
  constructor(
    private readonly deps: {
      readonly store: Store
      readonly clock: Clock
      readonly ids: IdSource
      readonly royalties: RoyaltySettings
      readonly log: LogPort
    },
  ) {}

  /**
   * Closes `period` (`YYYY-MM`). Throws `BILLING_PERIOD_INVALID`, `BILLING_PERIOD_OPEN` before
   * the period has ended, `BILLING_PERIOD_CLOSED` when it is already closed.
   */
  async close(caller: Caller, period: string): Promise<ClosedPeriod> {
    requirePermission(caller, 'billing.manage')
    if (!isPeriod(period)) {
      throw new BillingError('BILLING_PERIOD_INVALID', 'a period is written YYYY-MM, e.g. 2026-10')
    }
    const now = this.deps.clock.nowIso()
    if (now < periodEnd(period)) {
      throw new BillingError(
        'BILLING_PERIOD_OPEN',
        `period ${period} has not ended; it can be closed from ${periodEnd(period)}`,
      )
    }
    const studioId = caller.studioId
    const { store } = this.deps
    // Proofs are read outside the closing transaction (the log reads through the root store);
    // the transaction then checks that no batch arrived meanwhile, and retries if one did.
    for (let attempt = 0; attempt < 5; attempt++) {
      if ((await store.billing.closedPeriods(studioId)).includes(period)) throw closed(period)
      const summary = await store.usage.periodSummary(studioId, period)
      let events = 0
      for (const row of summary) events += row.events
      const proven = await this.proveBatches(studioId, summary)
      const log = {
        vkey: await this.deps.log.vkey(),
        checkpoint: (await this.deps.log.checkpoint()).note,
      }
      try {
        const result = await store.transaction(async (tx) => {
          await tx.usage.lockStudio(studioId)
          if ((await tx.billing.closedPeriods(studioId)).includes(period)) throw closed(period)
          // Events are only ever inserted: the same count means the summary still holds.
          const current = await tx.usage.periodEventCount(studioId, period)
          if (current !== events) return null
          return this.closeIn(tx, caller, period, now, summary, proven, log)
        })
        if (result === null) continue
        await this.deps.log.waitFor(result.submissions)
        return result.closed
      } catch (err) {
        if (err instanceof StorageError && err.code === 'STORAGE_CONFLICT') throw closed(period)
        throw err
      }
    }
    throw new BillingError('BILLING_PERIOD_OPEN', `usage of ${period} kept arriving; try again`)
  }

  /**
   * Sets the price of a kind of usage, for one asset or (without `assetId`) for every asset
   * without a price of its own. A new price supersedes the old from the next charge on.
   * Throws `PRICE_MODEL_INVALID`, `USAGE_TYPE_UNKNOWN` or `ASSET_NOT_FOUND`.
   */
  async setPrice(
    caller: Caller,
    input: { readonly assetId?: string; readonly kind: string; readonly model: unknown },
  ): Promise<PricePlanRecord> {
    requirePermission(caller, 'billing.manage')
    if (!(USAGE_KINDS as readonly string[]).includes(input.kind)) {
      throw new BillingError('USAGE_TYPE_UNKNOWN', `kind must be one of ${USAGE_KINDS.join(', ')}`)
    }
    const model = parsePriceModel(input.model)
    if (input.assetId !== undefined) {
      const asset = await this.deps.store.assets.get(caller.studioId, input.assetId)
      if (asset === null) throw new ArchiveError('ASSET_NOT_FOUND', `no asset ${input.assetId}`)
    }
    const record: PricePlanRecord = {
      id: this.deps.ids.next('prc'),
      studioId: caller.studioId,
      assetId: input.assetId ?? null,
      kind: input.kind,
      model,
      createdAt: this.deps.clock.nowIso(),
    }
    await this.deps.store.prices.add(record)
    return record
  }

  /** Every price plan of the studio, oldest first. */
  async prices(caller: Caller): Promise<readonly PricePlanRecord[]> {
    requirePermission(caller, 'billing.read')
    return this.deps.store.prices.list(caller.studioId)
  }

  /** The closed periods of the caller's studio. */
  async periods(caller: Caller): Promise<readonly string[]> {
    requirePermission(caller, 'billing.read')
    return this.deps.store.billing.closedPeriods(caller.studioId)
  }

  /** The documents of a closed period (owners and auditors). */
  async documents(caller: Caller, period: string): Promise<readonly BillingDocumentRecord[]> {
    requirePermission(caller, 'billing.read')
    return this.deps.store.billing.documents(caller.studioId, period)
  }

  /** One document: for the studio's billing readers, or the licensee it invoices. */
  async document(caller: Caller, id: string): Promise<BillingDocumentRecord> {
    const record = await this.deps.store.billing.document(caller.studioId, id)
    const mayRead =
      record !== null &&
      (caller.role === 'owner' ||
        caller.role === 'auditor' ||
        (record.kind === 'invoice' && record.party === caller.party))
    if (!mayRead || record === null) {
      throw new BillingError('BILLING_DOCUMENT_NOT_FOUND', `no billing document ${id}`)
    }
    return record
  }

  /**
   * The receipt of one document (same access as {@link document}): its `*.issued` log entry as
   * logged, with a tlog-proof of it against the latest checkpoint, which binds the document's
   * bytes to the log (see `verifyBillingReceipt`). Waits for the entry to be sequenced. Throws
   * `BILLING_DOCUMENT_NOT_FOUND`, and `BILLING_RECEIPT_UNAVAILABLE` for a document closed before
   * receipts existed (its entry's submission was not stored).
   */
  async receipt(caller: Caller, id: string): Promise<BillingReceipt> {
    const record = await this.document(caller, id)
    if (record.logSubmission === null) {
      throw new BillingError(
        'BILLING_RECEIPT_UNAVAILABLE',
        `document ${id} was closed before receipts were kept; it has no receipt`,
      )
    }
    const [logIndex] = await this.deps.log.waitFor([record.logSubmission])
    const index = logIndex as number
    const entry = new TextDecoder().decode(await this.deps.log.entry(index))
    const { checkpoint, proofs } = await this.deps.log.proofs([index])
    return {
      format: BILLING_RECEIPT_FORMAT,
      document: record.id,
      sha256: createHash('sha256').update(record.document).digest('hex'),
      logEntry: entry,
      logIndex: index,
      proof: proofs[0] as string,
      log: { vkey: await this.deps.log.vkey(), checkpoint },
    }
  }

  /** Verifies a billing document offline (see `verifyBillingDocument`). */
  verify(doc: unknown, vkey?: string): BillingVerification {
    return verifyBillingDocument(doc, vkey === undefined ? {} : { vkey })
  }

  /** {@link verify} with the document's receipt: also that it is the document issued. */
  verifyIssued(doc: unknown, receipt: unknown, vkey?: string): IssuedDocumentVerification {
    return verifyIssuedDocument(doc, receipt, vkey === undefined ? {} : { vkey })
  }

  private async proveBatches(
    studioId: string,
    summary: readonly UsageSummaryRow[],
  ): Promise<Map<string, ProvenBatch>> {
    const ids = [...new Set(summary.map((r) => r.batchId))]
    const batches = await this.deps.store.usage.batches(studioId, ids)
    const submissions = batches.map((b) => b.logSubmission).filter((s) => s !== null)
    const indexes = await this.deps.log.waitFor(submissions)
    const indexOf = new Map(submissions.map((s, i) => [s, indexes[i] as number]))
    const logged = batches.filter((b) => b.logSubmission !== null)
    const { proofs } = await this.deps.log.proofs(
      logged.map((b) => indexOf.get(b.logSubmission as string) as number),
    )
    const out = new Map<string, ProvenBatch>()
    logged.forEach((b, i) => {
      out.set(b.id, {
        batchId: b.id,
        merkleRoot: b.merkleRoot,
        events: b.eventCount,
        units: b.units,
        logEntry: b.logEntry,
        logIndex: indexOf.get(b.logSubmission as string) as number,
        proof: proofs[i] as string,
      })
    })
    return out
  }

  private async closeIn(
    tx: Store,
    caller: Caller,
    period: string,
    now: string,
    summary: readonly UsageSummaryRow[],
    proven: ReadonlyMap<string, ProvenBatch>,
    log: InvoiceDocument['log'],
  ): Promise<{ closed: ClosedPeriod; submissions: string[] }> {
    const studioId = caller.studioId
    const prior = await tx.usage.priorUnits(studioId, period)
    const periodTxs = await tx.ledger.transactions(studioId, period)
    const policies = new Map<string, CompiledPolicy>()

    // One line per grant and kind, with the batches it counts.
    const groups = new Map<string, UsageSummaryRow[]>()
    for (const row of summary) {
      const key = `${row.grantId}/${row.kind}`
      const list = groups.get(key) ?? []
      list.push(row)
      groups.set(key, list)
    }
    const lines: { party: string; currency: string; line: InvoiceLine }[] = []
    const newTxs: LedgerTransactionRecord[] = []
    for (const [key, rows] of groups) {
      const first = rows[0] as UsageSummaryRow
      const agreement = await tx.agreements.get(studioId, first.agreementId)
      const price: MeterPrice | null =
        agreement === null ? null : await meterPrice(tx, agreement, first.kind, policies)
      const events = rows.reduce((s, r) => s + r.events, 0)
      const units = rows.reduce((s, r) => s + r.units, 0)
      const base = {
        assetId: first.assetId,
        grantId: first.grantId,
        agreementId: first.agreementId,
        kind: first.kind,
        events,
        units,
        batches: rows.map((r) => ({ batchId: r.batchId, events: r.events, units: r.units })),
      }
      if (price === null) {
        lines.push({
          party: first.assignee,
          currency: NO_CURRENCY,
          line: { ...base, basis: 'free', price: 'no charge', amountMinor: 0 },
        })
        continue
      }
      const currency = price.model.currency
      const describe = describePriceModel(price.model)
      if (price.source === 'licence' && price.settlement === 'prepaid') {
        const debits = periodTxs.filter(
          (t) =>
            t.tx.kind === 'charge' &&
            t.tx.refs?.['grant'] === first.grantId &&
            t.tx.refs?.['kind'] === first.kind,
        )
        lines.push({
          party: first.assignee,
          currency,
          line: {
            ...base,
            basis: 'prepaid',
            priceModel: price.model,
            price: `${describe}, prepaid from the wallet`,
            amountMinor: debits.reduce((s, t) => s + (t.tx.entries[0]?.amountMinor ?? 0), 0),
            ledgerTransactions: debits.map((t) => t.tx.id),
          },
        })
        continue
      }
      const priorUnits = prior.get(key) ?? 0
      const cumulative = price.source === 'licence'
      const amountMinor = cumulative
        ? incrementalChargeMinor(price.model, priorUnits, units)
        : periodAmountMinor(price.model, units)
      let ledgerTransactions: string[] = []
      if (amountMinor > 0) {
        const asset = await tx.assets.get(studioId, first.assetId)
        if (asset !== null) {
          const split = await splitCharge(tx, asset, amountMinor, this.deps.royalties)
          const id = this.deps.ids.next('ltx')
          newTxs.push({
            studioId,
            period,
            tx: chargeTransaction({
              id,
              createdAt: now,
              party: first.assignee,
              currency,
              settlement: 'postpaid',
              split,
              refs: {
                grant: first.grantId,
                agreement: first.agreementId,
                asset: first.assetId,
                kind: first.kind,
              },
              memo: `postpaid usage ${period} (${first.kind})`,
            }),
          })
          ledgerTransactions = [id]
        }
      }
      lines.push({
        party: first.assignee,
        currency,
        line: {
          ...base,
          basis: cumulative ? 'cumulative' : 'period',
          priceModel: price.model,
          price: describe,
          ...(cumulative ? { priorUnits } : {}),
          amountMinor,
          ledgerTransactions,
        },
      })
    }
    await tx.ledger.append(newTxs)
    // Licence fees paid from the wallet when an agreement was made appear as prepaid lines.
    for (const { tx: t } of periodTxs) {
      if (t.kind !== 'charge' || t.refs?.['kind'] !== 'licence') continue
      const debit = t.entries[0]
      if (debit === undefined || !debit.account.startsWith('wallet:')) continue
      const agreementId = t.refs?.['agreement'] ?? ''
      const agreement = await tx.agreements.get(studioId, agreementId)
      lines.push({
        party: debit.account.slice(debit.account.indexOf(':') + 1),
        currency: t.currency,
        line: {
          assetId: t.refs?.['asset'] ?? '',
          grantId: agreement?.grantId ?? '',
          agreementId,
          kind: 'licence',
          events: 0,
          units: 0,
          basis: 'prepaid',
          price: t.memo ?? 'prepaid licence fee',
          amountMinor: debit.amountMinor,
          ledgerTransactions: [t.id],
          batches: [],
        },
      })
    }
    // Credit notes booked in the period appear on the licensee's invoice as negative lines.
    for (const { tx: t } of periodTxs) {
      if (t.kind !== 'reversal') continue
      const debit = t.entries.find(
        (e) => e.account.startsWith('wallet:') || e.account.startsWith('receivable:'),
      )
      if (debit === undefined) continue
      lines.push({
        party: debit.account.slice(debit.account.indexOf(':') + 1),
        currency: t.currency,
        line: {
          assetId: t.refs?.['asset'] ?? '',
          grantId: t.refs?.['grant'] ?? '',
          agreementId: t.refs?.['agreement'] ?? '',
          kind: t.refs?.['kind'] ?? 'credit',
          events: 0,
          units: 0,
          // A refund to the wallet reverses a prepaid fee; one off the receivable, a postpaid one.
          basis: debit.account.startsWith('wallet:') ? 'prepaid' : 'credit',
          price: t.memo ?? `credit note for ${t.refs?.['reverses'] ?? ''}`,
          amountMinor: debit.amountMinor,
          ledgerTransactions: [t.id],
          batches: [],
        },
      })
    }
    const invoices = this.invoices(studioId, period, now, lines, proven, log)
    const statements = await this.statements(
      tx,
      studioId,
      period,
      now,
      [...periodTxs, ...newTxs],
      lines.map((l) => l.line),
      summary,
      proven,
      log,
    )
    // The issued entries are queued first so that each document is stored with its entry's
    // submission (its receipt is proven from it); all of it commits or none.
    const docs = [...invoices, ...statements]
    const submissions = await this.deps.log.queue(
      tx,
      docs.map((doc) => ({
        type: doc.kind === 'invoice' ? 'invoice.issued' : 'statement.issued',
        studio: studioId,
        time: now,
        document: doc.id,
        period,
        party: doc.party,
        currency: doc.currency,
        totalMinor: doc.totalMinor,
        sha256: createHash('sha256').update(JSON.stringify(doc)).digest('hex'),
      })),
    )
    const records: BillingDocumentRecord[] = docs.map((doc, i) => ({
      id: doc.id,
      studioId,
      period,
      kind: doc.kind,
      party: doc.party,
      currency: doc.currency,
      totalMinor: doc.totalMinor,
      document: JSON.stringify(doc),
      createdAt: now,
      logSubmission: submissions[i] ?? null,
    }))
    await tx.billing.close({ studioId, period, closedAt: now, closedBy: caller.keyId }, records)
    return {
      closed: {
        period,
        invoices: records.filter((r) => r.kind === 'invoice'),
        statements: records.filter((r) => r.kind === 'statement'),
      },
      submissions,
    }
  }

  private invoices(
    studioId: string,
    period: string,
    now: string,
    lines: readonly { party: string; currency: string; line: InvoiceLine }[],
    proven: ReadonlyMap<string, ProvenBatch>,
    log: InvoiceDocument['log'],
  ): InvoiceDocument[] {
    // Free lines join the party's priced invoice when there is one.
    const currencies = new Map<string, string>()
    for (const l of lines) if (l.currency !== NO_CURRENCY) currencies.set(l.party, l.currency)
    const byDoc = new Map<string, { party: string; currency: string; lines: InvoiceLine[] }>()
    for (const l of lines) {
      const currency =
        l.currency === NO_CURRENCY ? (currencies.get(l.party) ?? NO_CURRENCY) : l.currency
      const key = `${l.party}\u0000${currency}`
      const doc = byDoc.get(key) ?? { party: l.party, currency, lines: [] }
      doc.lines.push(l.line)
      byDoc.set(key, doc)
    }
    return [...byDoc.values()]
      .sort((a, b) =>
        a.party < b.party ? -1 : a.party > b.party ? 1 : a.currency < b.currency ? -1 : 1,
      )
      .map((d) => {
        const totalMinor = d.lines.reduce((s, l) => s + l.amountMinor, 0)
        const prepaidMinor = d.lines
          .filter((l) => l.basis === 'prepaid')
          .reduce((s, l) => s + l.amountMinor, 0)
        const batchIds = new Set(d.lines.flatMap((l) => l.batches.map((b) => b.batchId)))
        return {
          format: INVOICE_FORMAT,
          kind: 'invoice',
          id: this.deps.ids.next('inv'),
          studio: studioId,
          period,
          issuedAt: now,
          party: d.party,
          currency: d.currency,
          lines: d.lines,
          controlTotals: invoiceTotals(d.lines),
          totalMinor,
          prepaidMinor,
          dueMinor: totalMinor - prepaidMinor,
          batches: [...batchIds].flatMap((id) => {
            const b = proven.get(id)
            return b === undefined ? [] : [b]
          }),
          log,
        } satisfies InvoiceDocument
      })
  }

  // Statements are read off the ledger: every credit of the period to a designer's or an
  // ancestor's payable account, grouped by payee and currency, one line per asset, grant, kind
  // and basis (credit notes apart), with the usage its charges were raised by.
  private async statements(
    tx: Store,
    studioId: string,
    period: string,
    now: string,
    txs: readonly LedgerTransactionRecord[],
    invoiceLines: readonly InvoiceLine[],
    summary: readonly UsageSummaryRow[],
    proven: ReadonlyMap<string, ProvenBatch>,
    log: StatementDocument['log'],
  ): Promise<StatementDocument[]> {
    // Every charge and credit note of the period is on one invoice line (prepaid fees, postpaid
    // charges, licence fees and credit notes alike), which gives its basis and price.
    const invoiceLineOf = new Map<string, InvoiceLine>()
    for (const l of invoiceLines) {
      for (const id of l.ledgerTransactions ?? []) invoiceLineOf.set(id, l)
    }
    const usageOf = new Map<string, BatchCount>()
    for (const r of summary) {
      const key = `${r.batchId}/${r.grantId}/${r.kind}`
      const c = usageOf.get(key)
      usageOf.set(key, {
        batchId: r.batchId,
        events: (c?.events ?? 0) + r.events,
        units: (c?.units ?? 0) + r.units,
      })
    }
    const docs = new Map<
      string,
      {
        account: string
        currency: string
        lines: Map<string, StatementLine>
      }
    >()
    for (const { tx: t } of txs) {
      if (t.kind !== 'charge' && t.kind !== 'reversal') continue
      const charge = t.entries[0]?.amountMinor ?? 0
      const refs = t.refs ?? {}
      const invoiceLine = invoiceLineOf.get(t.id)
      const basis = invoiceLine?.basis ?? fallbackBasis(t)
      const grantId = refs['grant'] ?? invoiceLine?.grantId ?? ''
      const kind = refs['kind'] ?? ''
      const usage = chargedUsage(t, invoiceLine, usageOf)
      for (const e of t.entries) {
        if (!e.account.startsWith('designer:') && !e.account.startsWith('upstream:')) continue
        const docKey = `${e.account}\u0000${t.currency}`
        const doc = docs.get(docKey) ?? {
          account: e.account,
          currency: t.currency,
          lines: new Map<string, StatementLine>(),
        }
        docs.set(docKey, doc)
        const lineKey = [refs['asset'], grantId, kind, basis, t.kind].join('\u0000')
        const prev: StatementLine | undefined = doc.lines.get(lineKey)
        // A batch counts once on a line, however many of the line's charges name it.
        const batches = new Map<string, BatchCount>()
        for (const b of [...(prev?.batches ?? []), ...usage]) {
          if (!batches.has(b.batchId)) batches.set(b.batchId, b)
        }
        const counted = [...batches.values()]
        const priced = invoiceLine?.priceModel
        doc.lines.set(lineKey, {
          assetId: refs['asset'] ?? invoiceLine?.assetId ?? '',
          grantId,
          kind,
          events: counted.reduce((s, b) => s + b.events, 0),
          units: counted.reduce((s, b) => s + b.units, 0),
          basis,
          ...(priced === undefined ? {} : { priceModel: priced }),
          price: invoiceLine?.price ?? t.memo ?? '',
          ...(invoiceLine?.priorUnits === undefined ? {} : { priorUnits: invoiceLine.priorUnits }),
          chargeMinor: (prev?.chargeMinor ?? 0) + charge,
          amountMinor: (prev?.amountMinor ?? 0) - e.amountMinor,
          ledgerTransactions: [...(prev?.ledgerTransactions ?? []), t.id],
          batches: counted,
        })
      }
    }
    const out: StatementDocument[] = []
    for (const d of [...docs.values()].sort((a, b) => (a.account < b.account ? -1 : 1))) {
      const lines = [...d.lines.values()]
      const totalMinor = lines.reduce((s, l) => s + l.amountMinor, 0)
      const [kind, id = ''] = d.account.split(/:(.*)/s) as [string, string]
      const name =
        kind === 'designer'
          ? ((await tx.designers.get(studioId, id))?.name ?? id)
          : ((await tx.assets.get(studioId, id))?.metadata.title ?? id)
      const batchIds = new Set(lines.flatMap((l) => l.batches.map((b) => b.batchId)))
      out.push({
        format: STATEMENT_FORMAT,
        kind: 'statement',
        id: this.deps.ids.next('stm'),
        studio: studioId,
        period,
        issuedAt: now,
        party: d.account,
        payee: { kind: kind === 'designer' ? 'designer' : 'upstream', id, name },
        currency: d.currency,
        lines,
        controlTotals: statementTotals(lines),
        totalMinor,
        batches: [...batchIds].flatMap((b) => {
          const p = proven.get(b)
          return p === undefined ? [] : [p]
        }),
        log,
      })
    }
    return out
  }
}

// The usage a charge was raised by: a prepaid usage fee is booked per batch (`refs.batch`) and
// counts the grant's usage of its kind in that batch; a postpaid charge counts its invoice
// line's usage; licence fees and credit notes count none.
function chargedUsage(
  t: LedgerTransaction,
  invoiceLine: InvoiceLine | undefined,
  usageOf: ReadonlyMap<string, BatchCount>,
): readonly BatchCount[] {
  if (t.kind !== 'charge') return []
  const batch = t.refs?.['batch']
  if (batch !== undefined) {
    const counted = usageOf.get(`${batch}/${t.refs?.['grant']}/${t.refs?.['kind']}`)
    return counted === undefined ? [] : [counted]
  }
  return invoiceLine?.batches ?? []
}

// The basis of a charge found on no invoice line (none is expected): what its debit says.
function fallbackBasis(t: LedgerTransaction): LineBasis {
  const prepaid = t.entries[0]?.account.startsWith('wallet:') === true
  if (t.kind === 'reversal') return prepaid ? 'prepaid' : 'credit'
  return prepaid ? 'prepaid' : 'cumulative'
}

function closed(period: string): BillingError {
  return new BillingError('BILLING_PERIOD_CLOSED', `period ${period} is already closed`)
}

/**
 * Parses a stored document: an invoice, a royalty statement, or a statement issued in the v1
 * format (rendered without the columns v1 lines lack). Throws `BILLING_DOCUMENT_INVALID` when the
 * text is not a document of a known format; the document is not verified here.
 */
export function parseStoredDocument(record: BillingDocumentRecord): BillingDocument {
  let doc: unknown
  try {
    doc = JSON.parse(record.document)
  } catch (err) {
    throw new BillingError('BILLING_DOCUMENT_INVALID', `document ${record.id} is not JSON`, {
      reason: err instanceof Error ? err.message : String(err),
    })
  }
  const d = (typeof doc === 'object' && doc !== null ? doc : {}) as Record<string, unknown>
  const kind = STORED_FORMATS.get(d['format'])
  const totals = d['controlTotals'] as Record<string, unknown> | null | undefined
  if (
    kind === undefined ||
    d['kind'] !== kind ||
    !Array.isArray(d['lines']) ||
    !Array.isArray(d['batches']) ||
    typeof totals?.['overall'] !== 'object' ||
    totals['overall'] === null
  ) {
    throw new BillingError(
      'BILLING_DOCUMENT_INVALID',
      `document ${record.id} is not an invoice or statement of a known format (${String(d['format'])})`,
    )
  }
  return doc as BillingDocument
}

const STORED_FORMATS: ReadonlyMap<unknown, 'invoice' | 'statement'> = new Map([
  [INVOICE_FORMAT, 'invoice'],
  [STATEMENT_FORMAT, 'statement'],
  [STATEMENT_FORMAT_V1, 'statement'],
])

import { canonicalJson } from '../canonical-json/index.js'
import { type PriceModel, parsePriceModel, periodAmountMinor } from '../metering/index.js'
import { verifyProofFile } from '../tlog/index.js'

// Invoices and royalty statements are JSON documents that carry everything needed to check
// them offline: their lines with control totals, the usage batches they count with each batch's
// `usage.batch` log entry and a tlog-proof of its inclusion, and the log's verifier key. A
// third party recomputes every total (and every postpaid amount from its price model) and
// verifies every proof with `verifyBillingDocument`, needing nothing from Selvedge but the file
// (and, to pin the log, the verifier key it trusts).

export const INVOICE_FORMAT = 'selvedge.invoice/v1'
export const STATEMENT_FORMAT = 'selvedge.statement/v1'

/** How a line's amount was reached. */
export type LineBasis =
  /** Prepaid fees debited from the wallet as the usage arrived (negative: refunded to it). */
  | 'prepaid'
  /** A licence's threshold rule over the grant's life: `amount(prior + units) − amount(prior)`. */
  | 'cumulative'
  /** A price plan per period: `amount(units)`. */
  | 'period'
  /** No price applies: counted, not charged. */
  | 'free'
  /** A credit note of the period reversing a postpaid charge: a negative amount, no usage. */
  | 'credit'

/** A usage batch a line counts events from. */
export interface BatchCount {
  readonly batchId: string
  readonly events: number
  readonly units: number
}

export interface InvoiceLine {
  readonly assetId: string
  readonly grantId: string
  readonly agreementId: string
  /** `units`, `variants`, `downloads` or `generations`. */
  readonly kind: string
  readonly events: number
  readonly units: number
  readonly basis: LineBasis
  /** The price model (absent for `free`). */
  readonly priceModel?: PriceModel
  /** A short description of the price. */
  readonly price: string
  /** Units counted before this period (for `cumulative`). */
  readonly priorUnits?: number
  readonly amountMinor: number
  /** The ledger transactions of a `prepaid` line. */
  readonly ledgerTransactions?: readonly string[]
  readonly batches: readonly BatchCount[]
}

/**
 * A payee's share of the charges on one asset, grant, kind and basis, with the usage the
 * charges were raised by: a postpaid charge counts the usage of its invoice line, a prepaid
 * usage fee (booked per batch) the grant's usage of kind in that batch. Licence fees and credit
 * notes count no usage (`events` and `units` 0, no batches), as on invoices.
 */
export interface StatementLine {
  readonly assetId: string
  readonly grantId: string
  readonly kind: string
  readonly events: number
  readonly units: number
  /** The basis of the charges the share was taken from, as on their invoice line. */
  readonly basis: LineBasis
  /** The price model of those charges (absent for licence fees and credit notes). */
  readonly priceModel?: PriceModel
  /** A short description of the price. */
  readonly price: string
  /** Units counted before this period (for `cumulative`). */
  readonly priorUnits?: number
  /** The charge the share was taken from. */
  readonly chargeMinor: number
  readonly amountMinor: number
  readonly ledgerTransactions: readonly string[]
  readonly batches: readonly BatchCount[]
}

/** Count, units and amount of a group of lines. */
export interface ControlTotal {
  readonly lines: number
  readonly events: number
  readonly units: number
  readonly amountMinor: number
}

/** A usage batch as proven: its log entry, and the tlog-proof of that entry. */
export interface ProvenBatch {
  readonly batchId: string
  readonly merkleRoot: string
  readonly events: number
  readonly units: number
  /** The `usage.batch` log entry, canonical JSON text. */
  readonly logEntry: string
  readonly logIndex: number
  /** C2SP tlog-proof of the entry against `log.checkpoint`. */
  readonly proof: string
}

interface DocumentBase {
  readonly id: string
  readonly studio: string
  readonly period: string
  readonly issuedAt: string
  readonly party: string
  readonly currency: string
  readonly totalMinor: number
  readonly batches: readonly ProvenBatch[]
  readonly log: { readonly vkey: string; readonly checkpoint: string } | null
}

export interface InvoiceDocument extends DocumentBase {
  readonly format: typeof INVOICE_FORMAT
  readonly kind: 'invoice'
  readonly lines: readonly InvoiceLine[]
  readonly controlTotals: {
    readonly byKind: Readonly<Record<string, ControlTotal>>
    readonly byBasis: Readonly<Record<string, ControlTotal>>
    readonly overall: ControlTotal
  }
  /** Already paid from the wallet (the `prepaid` lines). */
  readonly prepaidMinor: number
  /** Still owed (every other line). */
  readonly dueMinor: number
}

export interface StatementDocument extends DocumentBase {
  readonly format: typeof STATEMENT_FORMAT
  readonly kind: 'statement'
  /** `designer` or `upstream`, with the designer's or the ancestor asset's id and name. */
  readonly payee: {
    readonly kind: 'designer' | 'upstream'
    readonly id: string
    readonly name: string
  }
  readonly lines: readonly StatementLine[]
  readonly controlTotals: {
    readonly byKind: Readonly<Record<string, ControlTotal>>
    readonly overall: ControlTotal
  }
}

export type BillingDocument = InvoiceDocument | StatementDocument

/** Totals of invoice lines, overall and by a key. */
export function invoiceTotals(lines: readonly InvoiceLine[]): InvoiceDocument['controlTotals'] {
  const byKind: Record<string, ControlTotal> = {}
  const byBasis: Record<string, ControlTotal> = {}
  let overall: ControlTotal = { lines: 0, events: 0, units: 0, amountMinor: 0 }
  for (const l of lines) {
    byKind[l.kind] = add(byKind[l.kind], l)
    byBasis[l.basis] = add(byBasis[l.basis], l)
    overall = add(overall, l)
  }
  return { byKind: sorted(byKind), byBasis: sorted(byBasis), overall }
}

/** Totals of statement lines, overall and by kind. */
export function statementTotals(
  lines: readonly StatementLine[],
): StatementDocument['controlTotals'] {
  const byKind: Record<string, ControlTotal> = {}
  let overall: ControlTotal = { lines: 0, events: 0, units: 0, amountMinor: 0 }
  for (const l of lines) {
    byKind[l.kind] = add(byKind[l.kind], l)
    overall = add(overall, l)
  }
  return { byKind: sorted(byKind), overall }
}

function add(
  t: ControlTotal | undefined,
  l: { readonly events: number; readonly units: number; readonly amountMinor: number },
): ControlTotal {
  return {
    lines: (t?.lines ?? 0) + 1,
    events: (t?.events ?? 0) + l.events,
    units: (t?.units ?? 0) + l.units,
    amountMinor: (t?.amountMinor ?? 0) + l.amountMinor,
  }
}

function sorted<T>(o: Record<string, T>): Record<string, T> {
  return Object.fromEntries(
    Object.keys(o)
      .sort()
      .map((k) => [k, o[k] as T]),
  )
}

/**
 * The amount a `cumulative` or `period` line must have (on a statement line, its charge), from
 * its model and units; null for other bases.
 */
export function expectedLineAmount(
  line: Pick<InvoiceLine, 'basis' | 'priceModel' | 'priorUnits' | 'units'>,
): number | null {
  if (line.priceModel === undefined) return line.basis === 'free' ? 0 : null
  switch (line.basis) {
    case 'cumulative': {
      const prior = line.priorUnits ?? 0
      return (
        periodAmountMinor(line.priceModel, prior + line.units) -
        periodAmountMinor(line.priceModel, prior)
      )
    }
    case 'period':
      return periodAmountMinor(line.priceModel, line.units)
    default:
      return null
  }
}

/** One failed check of {@link verifyBillingDocument}. */
export interface BillingCheckFailure {
  readonly check: string
  readonly message: string
}

export interface BillingVerification {
  readonly ok: boolean
  readonly kind: 'invoice' | 'statement' | null
  readonly id: string | null
  readonly totalMinor: number | null
  readonly currency: string | null
  readonly lines: number
  readonly batchesVerified: number
  readonly failures: readonly BillingCheckFailure[]
}

/**
 * Checks a billing document offline: control totals and the total recomputed from the lines,
 * every priced line's amount (a statement line's charge) recomputed from its model, every
 * line's events and units against the batch counts it lists, every counted batch present, each
 * batch's log entry matching its root and counts, and each entry's tlog-proof verified against
 * the checkpoint with the verifier key (`vkey` pins the log; without it the document's own key
 * is used, which proves consistency but not whose log it is). Never throws.
 */
export function verifyBillingDocument(
  doc: unknown,
  opts: { vkey?: string } = {},
): BillingVerification {
  const failures: BillingCheckFailure[] = []
  const fail = (check: string, message: string) => failures.push({ check, message })
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    return result(null, failures, 0, [{ check: 'format', message: 'not a JSON object' }])
  }
  const d = doc as Partial<InvoiceDocument> &
    Partial<Omit<StatementDocument, 'lines' | 'format' | 'kind' | 'controlTotals'>> &
    Record<string, unknown>
  const format = d['format']
  if (format !== INVOICE_FORMAT && format !== STATEMENT_FORMAT) {
    return result(null, failures, 0, [
      { check: 'format', message: `unknown format ${String(format)}` },
    ])
  }
  try {
    const lines = Array.isArray(d['lines']) ? (d['lines'] as unknown[]) : []
    if (!Array.isArray(d['lines'])) fail('lines', 'lines must be an array')
    const total = lines.reduce<number>((s, l) => s + Number((l as InvoiceLine).amountMinor), 0)
    if (total !== d.totalMinor)
      fail('total', `lines sum to ${total}, the document says ${String(d.totalMinor)}`)
    if (format === INVOICE_FORMAT) {
      const inv = d as unknown as InvoiceDocument
      const expected = invoiceTotals(inv.lines)
      if (canonicalJson(expected) !== canonicalJson(inv.controlTotals)) {
        fail('controlTotals', 'the control totals do not match the lines')
      }
      const prepaid = inv.lines
        .filter((l) => l.basis === 'prepaid')
        .reduce((s, l) => s + l.amountMinor, 0)
      if (prepaid !== inv.prepaidMinor) fail('prepaid', `prepaid lines sum to ${prepaid}`)
      if (inv.totalMinor - prepaid !== inv.dueMinor) fail('due', 'due is not total minus prepaid')
      inv.lines.forEach((l, i) => {
        checkLine(l, 'amountMinor', l.amountMinor, `lines[${i}]`, fail)
      })
    } else {
      const st = d as unknown as StatementDocument
      if (canonicalJson(statementTotals(st.lines)) !== canonicalJson(st.controlTotals)) {
        fail('controlTotals', 'the control totals do not match the lines')
      }
      st.lines.forEach((l, i) => {
        checkLine(l, 'chargeMinor', l.chargeMinor, `lines[${i}]`, fail)
        // A share is a part of its charge: same sign, never more.
        if (
          l.amountMinor * l.chargeMinor < 0 ||
          Math.abs(l.amountMinor) > Math.abs(l.chargeMinor)
        ) {
          fail(
            `lines[${i}].amountMinor`,
            `a share of ${l.amountMinor} is not part of a charge of ${l.chargeMinor}`,
          )
        }
      })
    }
    const verified = verifyBatches(d as unknown as BillingDocument, opts.vkey, fail)
    return result(d as unknown as BillingDocument, failures, verified)
  } catch (err) {
    fail('format', `malformed document: ${err instanceof Error ? err.message : String(err)}`)
    return result(d as unknown as BillingDocument, failures, 0)
  }
}

// Checks a line's amount (a statement line's charge) against its price model, and its events
// and units against the batch counts it lists. A model that does not parse throws, and the
// document is reported malformed.
function checkLine(
  l: InvoiceLine | StatementLine,
  field: 'amountMinor' | 'chargeMinor',
  charged: number,
  at: string,
  fail: (check: string, message: string) => void,
): void {
  if (l.priceModel !== undefined) parsePriceModel(l.priceModel)
  const want = expectedLineAmount(l)
  if (want !== null && want !== charged) {
    fail(`${at}.${field}`, `the price model gives ${want}, the line says ${charged}`)
  }
  const events = l.batches.reduce((s, b) => s + b.events, 0)
  const units = l.batches.reduce((s, b) => s + b.units, 0)
  if (events !== l.events || units !== l.units) {
    fail(
      `${at}.batches`,
      `the batch counts (${events} events, ${units} units) do not add up to the line (${l.events} events, ${l.units} units)`,
    )
  }
}

function verifyBatches(
  doc: BillingDocument,
  pinned: string | undefined,
  fail: (check: string, message: string) => void,
): number {
  const counted = new Map<string, { events: number; units: number }>()
  for (const l of doc.lines) {
    for (const b of l.batches) {
      const c = counted.get(b.batchId) ?? { events: 0, units: 0 }
      counted.set(b.batchId, { events: c.events + b.events, units: c.units + b.units })
    }
  }
  const batches = new Map(doc.batches.map((b) => [b.batchId, b]))
  for (const [id, c] of counted) {
    const b = batches.get(id)
    if (b === undefined) {
      fail(`batches.${id}`, 'a line counts a batch the document does not prove')
      continue
    }
    if (c.events > b.events || c.units > b.units) {
      fail(`batches.${id}`, 'lines count more events or units than the batch holds')
    }
  }
  if (doc.batches.length > 0 && doc.log === null) {
    fail('log', 'batches are listed but the document carries no log checkpoint')
    return 0
  }
  const vkey = pinned ?? doc.log?.vkey
  if (pinned !== undefined && doc.log !== null && doc.log.vkey !== pinned) {
    fail('log.vkey', 'the document names another log key than the one trusted')
  }
  let ok = 0
  for (const b of doc.batches) {
    let entry: Record<string, unknown>
    try {
      entry = JSON.parse(b.logEntry) as Record<string, unknown>
    } catch {
      fail(`batches.${b.batchId}.logEntry`, 'the log entry is not JSON')
      continue
    }
    if (
      entry['type'] !== 'usage.batch' ||
      entry['batch'] !== b.batchId ||
      entry['merkleRoot'] !== b.merkleRoot ||
      entry['events'] !== b.events ||
      entry['units'] !== b.units ||
      entry['studio'] !== doc.studio
    ) {
      fail(`batches.${b.batchId}.logEntry`, 'the log entry does not match the batch')
      continue
    }
    if (canonicalJson(entry) !== b.logEntry) {
      fail(`batches.${b.batchId}.logEntry`, 'the log entry is not in canonical form')
      continue
    }
    const verdict = verifyProofFile({
      vkey: vkey as string,
      proofFile: b.proof,
      entry: new TextEncoder().encode(b.logEntry),
    })
    if (!verdict.ok) {
      fail(`batches.${b.batchId}.proof`, `${verdict.code}: ${verdict.reason}`)
      continue
    }
    if (verdict.index !== b.logIndex) {
      fail(
        `batches.${b.batchId}.proof`,
        `the proof is for index ${verdict.index}, not ${b.logIndex}`,
      )
      continue
    }
    ok++
  }
  return ok
}

function result(
  doc: BillingDocument | null,
  failures: BillingCheckFailure[],
  batchesVerified: number,
  extra: BillingCheckFailure[] = [],
): BillingVerification {
  const all = [...failures, ...extra]
  return {
    ok: all.length === 0,
    kind: doc?.kind ?? null,
    id: typeof doc?.id === 'string' ? doc.id : null,
    totalMinor: typeof doc?.totalMinor === 'number' ? doc.totalMinor : null,
    currency: typeof doc?.currency === 'string' ? doc.currency : null,
    lines: Array.isArray(doc?.lines) ? doc.lines.length : 0,
    batchesVerified,
    failures: all,
  }
}

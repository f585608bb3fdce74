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
/** Royalty statements whose lines carry their usage, basis and price (v2). */
export const STATEMENT_FORMAT = 'selvedge.statement/v2'
/**
 * Royalty statements issued before lines carried their usage: lines of asset, grant, kind,
 * charge, share and ledger transactions, and `controlTotals.overall` of lines and amount. Still
 * verified (by the rules they were issued under) and rendered; never issued any more.
 */
export const STATEMENT_FORMAT_V1 = 'selvedge.statement/v1'

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

/** Every {@link LineBasis}, for checking documents read from outside. */
export const LINE_BASES: readonly LineBasis[] = [
  'prepaid',
  'cumulative',
  'period',
  'free',
  'credit',
]

/** What names a line of any document: asset, grant and kind of usage. */
export interface LineIds {
  readonly assetId: string
  readonly grantId: string
  readonly kind: string
}

/** The usage a line counts and how it was priced (invoice and v2 statement lines). */
export interface LineUsage {
  readonly events: number
  readonly units: number
  readonly basis: LineBasis
  readonly price: string
}

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

/** A line of a {@link StatementDocumentV1}. */
export interface StatementLineV1 {
  readonly assetId: string
  readonly grantId: string
  readonly kind: string
  /** The charge the share was taken from. */
  readonly chargeMinor: number
  readonly amountMinor: number
  readonly ledgerTransactions: readonly string[]
}

/** A royalty statement in the format of {@link STATEMENT_FORMAT_V1}. */
export interface StatementDocumentV1 extends DocumentBase {
  readonly format: typeof STATEMENT_FORMAT_V1
  readonly kind: 'statement'
  readonly payee: StatementDocument['payee']
  readonly lines: readonly StatementLineV1[]
  readonly controlTotals: {
    readonly overall: { readonly lines: number; readonly amountMinor: number }
  }
}

export type BillingDocument = InvoiceDocument | StatementDocument | StatementDocumentV1

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
  /** The document's format (`selvedge.statement/v1` is verified by the v1 rules). */
  readonly format: string | null
  readonly id: string | null
  readonly totalMinor: number | null
  readonly currency: string | null
  readonly lines: number
  readonly batchesVerified: number
  /**
   * The lines (`lines[i]`) whose amount (on a statement, charge) was accepted as stated because
   * no price model gives it offline: `prepaid` lines (their amounts are the wallet debits booked
   * as the usage arrived), `credit` lines (credit notes), and every line of a v1 statement. Their
   * sums are still checked against the totals.
   */
  readonly unpriced: readonly string[]
  readonly failures: readonly BillingCheckFailure[]
}

type Fail = (check: string, message: string) => void

/**
 * Checks a billing document offline: the shape of every line (a known basis; integer amounts and
 * counts; a price model exactly on `cumulative` and `period` lines and never on `free` or
 * `credit` ones; `priorUnits` exactly on `cumulative` lines), control totals and the total
 * recomputed from the lines, every priced line's amount (a statement line's charge) recomputed
 * from its model, every line's events and units against the batch counts it lists, every
 * counted batch present, each batch's log entry matching its root and counts, and each entry's
 * tlog-proof verified against the checkpoint with the verifier key (`vkey` pins the log; without
 * it the document's own key is used, which proves consistency but not whose log it is). Lines no
 * price model gives are listed in `unpriced`. A `selvedge.statement/v1` statement is checked by
 * the rules it was issued under: totals, integer amounts and batch proofs. The document is not
 * bound to its `*.issued` log entry here (`verifyBillingReceipt` does that). Never throws.
 */
export function verifyBillingDocument(
  doc: unknown,
  opts: { vkey?: string } = {},
): BillingVerification {
  const failures: BillingCheckFailure[] = []
  const unpriced: string[] = []
  const fail: Fail = (check, message) => failures.push({ check, message })
  if (!isObject(doc)) {
    return result(null, failures, 0, unpriced, [{ check: 'format', message: 'not a JSON object' }])
  }
  const format = doc['format']
  if (format !== INVOICE_FORMAT && format !== STATEMENT_FORMAT && format !== STATEMENT_FORMAT_V1) {
    return result(null, failures, 0, unpriced, [
      { check: 'format', message: `unknown format ${String(format)}` },
    ])
  }
  const kind = format === INVOICE_FORMAT ? 'invoice' : 'statement'
  try {
    // Everything below is attacker-controlled: the shape is checked before any arithmetic.
    if (doc['kind'] !== kind) fail('kind', `a ${format} document is of kind ${kind}`)
    checkShape(doc, format, fail, unpriced)
    if (failures.length > 0) return result(doc, failures, 0, unpriced)
    const d = doc as unknown as BillingDocument
    const total = d.lines.reduce<number>((s, l) => s + l.amountMinor, 0)
    if (!Number.isSafeInteger(total)) fail('total', 'the lines sum past the integer range')
    else if (total !== d.totalMinor) {
      fail('total', `lines sum to ${total}, the document says ${String(d.totalMinor)}`)
    }
    switch (d.format) {
      case INVOICE_FORMAT: {
        if (canonicalJson(invoiceTotals(d.lines)) !== canonicalJson(d.controlTotals)) {
          fail('controlTotals', 'the control totals do not match the lines')
        }
        const prepaid = d.lines
          .filter((l) => l.basis === 'prepaid')
          .reduce((s, l) => s + l.amountMinor, 0)
        if (prepaid !== d.prepaidMinor) fail('prepaid', `prepaid lines sum to ${prepaid}`)
        if (d.totalMinor - prepaid !== d.dueMinor) fail('due', 'due is not total minus prepaid')
        d.lines.forEach((l, i) => {
          checkLine(l, d.currency, 'amountMinor', l.amountMinor, `lines[${i}]`, fail)
        })
        break
      }
      case STATEMENT_FORMAT:
        if (canonicalJson(statementTotals(d.lines)) !== canonicalJson(d.controlTotals)) {
          fail('controlTotals', 'the control totals do not match the lines')
        }
        d.lines.forEach((l, i) => {
          checkLine(l, d.currency, 'chargeMinor', l.chargeMinor, `lines[${i}]`, fail)
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
        break
      case STATEMENT_FORMAT_V1: {
        // The v1 rules: the lines add up to the total and to `overall`; the batches are proven.
        const want = { overall: { lines: d.lines.length, amountMinor: total } }
        if (canonicalJson(want) !== canonicalJson(d.controlTotals)) {
          fail('controlTotals', 'the control totals do not match the lines')
        }
        break
      }
    }
    const verified = verifyBatches(d, opts.vkey, fail)
    return result(d, failures, verified, unpriced)
  } catch (err) {
    fail('format', `malformed document: ${err instanceof Error ? err.message : String(err)}`)
    return result(doc, failures, 0, unpriced)
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function isCount(v: unknown): v is number {
  return Number.isSafeInteger(v) && (v as number) >= 0
}

// Checks that the document has the fields the format names, of the right types, and lists the
// lines no price model can check. Reports each bad field by its path.
function checkShape(
  doc: Record<string, unknown>,
  format: BillingDocument['format'],
  fail: Fail,
  unpriced: string[],
): void {
  for (const f of ['id', 'studio', 'period', 'issuedAt', 'party', 'currency']) {
    if (typeof doc[f] !== 'string') fail(f, `${f} must be a string`)
  }
  const ints =
    format === INVOICE_FORMAT ? ['totalMinor', 'prepaidMinor', 'dueMinor'] : ['totalMinor']
  for (const f of ints) {
    if (!Number.isSafeInteger(doc[f])) fail(f, `${f} must be an integer of minor units`)
  }
  if (format !== INVOICE_FORMAT) {
    const payee = doc['payee']
    if (
      !isObject(payee) ||
      (payee['kind'] !== 'designer' && payee['kind'] !== 'upstream') ||
      typeof payee['id'] !== 'string' ||
      typeof payee['name'] !== 'string'
    ) {
      fail('payee', 'payee must be a designer or upstream kind, id and name')
    }
  }
  if (!isObject(doc['controlTotals'])) fail('controlTotals', 'controlTotals must be an object')
  const log = doc['log']
  if (
    log !== null &&
    (!isObject(log) || typeof log['vkey'] !== 'string' || typeof log['checkpoint'] !== 'string')
  ) {
    fail('log', 'log must be null or a vkey and checkpoint')
  }
  const batches = doc['batches']
  if (!Array.isArray(batches)) fail('batches', 'batches must be an array')
  else {
    for (const [i, b] of (batches as unknown[]).entries()) {
      const at = `batches[${i}]`
      if (!isObject(b)) {
        fail(at, 'a batch must be an object')
        continue
      }
      for (const f of ['batchId', 'merkleRoot', 'logEntry', 'proof']) {
        if (typeof b[f] !== 'string') fail(`${at}.${f}`, `${f} must be a string`)
      }
      for (const f of ['events', 'units', 'logIndex']) {
        if (!isCount(b[f])) fail(`${at}.${f}`, `${f} must be a non-negative integer`)
      }
    }
  }
  const lines = doc['lines']
  if (!Array.isArray(lines)) {
    fail('lines', 'lines must be an array')
    return
  }
  for (const [i, l] of (lines as unknown[]).entries()) {
    const at = `lines[${i}]`
    if (!isObject(l)) {
      fail(at, 'a line must be an object')
      continue
    }
    if (format === STATEMENT_FORMAT_V1) {
      checkLineV1(l, at, fail)
      unpriced.push(at)
      continue
    }
    checkLineShape(l, format, at, fail)
    if (l['basis'] === 'prepaid' || l['basis'] === 'credit') unpriced.push(at)
  }
}

function checkLineV1(l: Record<string, unknown>, at: string, fail: Fail): void {
  for (const f of ['assetId', 'grantId', 'kind']) {
    if (typeof l[f] !== 'string') fail(`${at}.${f}`, `${f} must be a string`)
  }
  for (const f of ['chargeMinor', 'amountMinor']) {
    if (!Number.isSafeInteger(l[f])) fail(`${at}.${f}`, `${f} must be an integer of minor units`)
  }
  const txs = l['ledgerTransactions']
  if (!Array.isArray(txs) || txs.some((t) => typeof t !== 'string')) {
    fail(`${at}.ledgerTransactions`, 'ledgerTransactions must be a list of ids')
  }
}

// The shape of an invoice or v2 statement line, and which fields its basis allows: a forger
// must not escape the price check by relabelling a priced line.
function checkLineShape(
  l: Record<string, unknown>,
  format: typeof INVOICE_FORMAT | typeof STATEMENT_FORMAT,
  at: string,
  fail: Fail,
): void {
  const strings = ['assetId', 'grantId', 'kind', 'price']
  if (format === INVOICE_FORMAT) strings.push('agreementId')
  for (const f of strings) {
    if (typeof l[f] !== 'string') fail(`${at}.${f}`, `${f} must be a string`)
  }
  const amounts = format === INVOICE_FORMAT ? ['amountMinor'] : ['chargeMinor', 'amountMinor']
  for (const f of amounts) {
    if (!Number.isSafeInteger(l[f])) fail(`${at}.${f}`, `${f} must be an integer of minor units`)
  }
  for (const f of ['events', 'units']) {
    if (!isCount(l[f])) fail(`${at}.${f}`, `${f} must be a non-negative integer`)
  }
  const txs = l['ledgerTransactions']
  if (
    (format === STATEMENT_FORMAT || txs !== undefined) &&
    (!Array.isArray(txs) || txs.some((t) => typeof t !== 'string'))
  ) {
    fail(`${at}.ledgerTransactions`, 'ledgerTransactions must be a list of ids')
  }
  const batches = l['batches']
  if (!Array.isArray(batches)) fail(`${at}.batches`, 'batches must be an array')
  else {
    for (const [j, b] of (batches as unknown[]).entries()) {
      const bat = `${at}.batches[${j}]`
      if (!isObject(b) || typeof b['batchId'] !== 'string') {
        fail(bat, 'a batch count must be a batchId, events and units')
        continue
      }
      for (const f of ['events', 'units']) {
        if (!isCount(b[f])) fail(`${bat}.${f}`, `${f} must be a non-negative integer`)
      }
    }
  }
  const basis = l['basis']
  if (!(LINE_BASES as readonly unknown[]).includes(basis)) {
    fail(`${at}.basis`, `unknown basis ${JSON.stringify(basis)}`)
    return
  }
  const model = l['priceModel']
  switch (basis as LineBasis) {
    case 'cumulative':
    case 'period':
      if (model === undefined) fail(`${at}.priceModel`, `a ${String(basis)} line has a price model`)
      break
    case 'free':
    case 'credit':
      if (model !== undefined) {
        fail(`${at}.priceModel`, `a ${String(basis)} line has no price model`)
      }
      break
    case 'prepaid':
      break
  }
  if (model !== undefined) {
    try {
      parsePriceModel(model)
    } catch (err) {
      fail(`${at}.priceModel`, err instanceof Error ? err.message : String(err))
    }
  }
  const prior = l['priorUnits']
  if (basis === 'cumulative') {
    if (!isCount(prior)) fail(`${at}.priorUnits`, 'priorUnits must be a non-negative integer')
  } else if (prior !== undefined) {
    fail(`${at}.priorUnits`, `a ${String(basis)} line has no priorUnits`)
  }
  if (basis === 'credit') {
    // A credit note reverses a charge: it counts no usage and takes money off.
    if (l['events'] !== 0 || l['units'] !== 0 || (Array.isArray(batches) && batches.length > 0)) {
      fail(`${at}.batches`, 'a credit line counts no usage')
    }
    const charged = format === INVOICE_FORMAT ? 'amountMinor' : 'chargeMinor'
    if (typeof l[charged] === 'number' && (l[charged] as number) > 0) {
      fail(`${at}.${charged}`, 'a credit line is not positive')
    }
  }
}

// Checks a line's amount (a statement line's charge) against its price model, and its events
// and units against the batch counts it lists. The line's shape has been checked.
function checkLine(
  l: InvoiceLine | StatementLine,
  currency: string,
  field: 'amountMinor' | 'chargeMinor',
  charged: number,
  at: string,
  fail: Fail,
): void {
  if (l.priceModel !== undefined && l.priceModel.currency !== currency) {
    fail(
      `${at}.priceModel`,
      `the price model is in ${l.priceModel.currency}, the document in ${currency}`,
    )
  }
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

function verifyBatches(doc: BillingDocument, pinned: string | undefined, fail: Fail): number {
  const counted = new Map<string, { events: number; units: number }>()
  // A v1 statement's lines name no batches: its batches are only proven.
  for (const l of doc.format === STATEMENT_FORMAT_V1 ? [] : doc.lines) {
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
  doc: Record<string, unknown> | BillingDocument | null,
  failures: BillingCheckFailure[],
  batchesVerified: number,
  unpriced: readonly string[],
  extra: BillingCheckFailure[] = [],
): BillingVerification {
  const all = [...failures, ...extra]
  const d = doc as Record<string, unknown> | null
  const kind = d?.['kind']
  const lines = d?.['lines']
  return {
    ok: all.length === 0,
    kind: kind === 'invoice' || kind === 'statement' ? kind : null,
    format: typeof d?.['format'] === 'string' ? d['format'] : null,
    id: typeof d?.['id'] === 'string' ? d['id'] : null,
    totalMinor: typeof d?.['totalMinor'] === 'number' ? d['totalMinor'] : null,
    currency: typeof d?.['currency'] === 'string' ? d['currency'] : null,
    lines: Array.isArray(lines) ? lines.length : 0,
    batchesVerified,
    unpriced,
    failures: all,
  }
}

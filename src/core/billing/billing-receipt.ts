import { createHash } from 'node:crypto'
import { canonicalJson } from '../canonical-json/index.js'
import { parseProofFile, verifyProofFile } from '../tlog/index.js'
import {
  type BillingCheckFailure,
  type BillingVerification,
  INVOICE_FORMAT,
  STATEMENT_FORMAT,
  STATEMENT_FORMAT_V1,
  verifyBillingDocument,
} from './billing-document.js'

// A receipt binds one document file to the `invoice.issued` / `statement.issued` entry logged
// when its period closed: the entry carries the SHA-256 of the document as issued (compact
// `JSON.stringify`, keys in issued order), and a tlog-proof shows the entry is in the log under a
// signed checkpoint. A document edited in any byte that survives re-serialisation no longer
// hashes to the logged value, however consistent its totals are.

/** The `format` of a billing receipt. */
export const BILLING_RECEIPT_FORMAT = 'selvedge.billing-receipt/v1'

/** Proof that a billing document is the one Selvedge issued and logged. */
export interface BillingReceipt {
  readonly format: typeof BILLING_RECEIPT_FORMAT
  /** The document's id (`inv_…` or `stm_…`). */
  readonly document: string
  /** SHA-256 hex of the document's compact JSON, as issued. */
  readonly sha256: string
  /** The issued entry as logged (RFC 8785 canonical JSON text; its leaf is these bytes). */
  readonly logEntry: string
  readonly logIndex: number
  /** A C2SP tlog-proof of `logEntry` at `logIndex`. */
  readonly proof: string
  /** The log's verifier key and the checkpoint the proof is against. */
  readonly log: { readonly vkey: string; readonly checkpoint: string }
}

/** The verdict of {@link verifyBillingReceipt}. */
export interface BillingReceiptVerification {
  readonly ok: boolean
  /** The document id the receipt names, when it names one. */
  readonly document: string | null
  /** The log index the proof was verified at, when it verified. */
  readonly logIndex: number | null
  readonly failures: readonly BillingCheckFailure[]
}

/** SHA-256 hex of a parsed billing document re-serialised compactly, as its issued entry logs it. */
export function billingDocumentSha256(doc: unknown): string {
  return createHash('sha256').update(JSON.stringify(doc)).digest('hex')
}

const ISSUED_TYPES: ReadonlyMap<unknown, { kind: string; type: string }> = new Map([
  [INVOICE_FORMAT, { kind: 'invoice', type: 'invoice.issued' }],
  [STATEMENT_FORMAT, { kind: 'statement', type: 'statement.issued' }],
  [STATEMENT_FORMAT_V1, { kind: 'statement', type: 'statement.issued' }],
])

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/**
 * Checks that `document` (a billing document as parsed from its file) is the one a receipt
 * names: the receipt's format, the SHA-256 of the document re-serialised compactly against the
 * receipt and against the `sha256` of the logged entry, the entry's `document` id and `type`
 * (`invoice.issued` or `statement.issued`, by the document's format) and studio, the entry in
 * canonical form, and the receipt's tlog-proof proving the entry's bytes at `logIndex` under a
 * checkpoint signed by the log key (`vkey` pins the log; without it the receipt's own key is
 * used, which proves consistency but not whose log it is). The document's own totals and proofs
 * are `verifyBillingDocument`'s to check. Pure; never throws.
 */
export function verifyBillingReceipt(
  document: unknown,
  receipt: unknown,
  opts: { vkey?: string } = {},
): BillingReceiptVerification {
  const failures: BillingCheckFailure[] = []
  const fail = (check: string, message: string) => {
    failures.push({ check, message })
  }
  const done = (document: string | null, logIndex: number | null): BillingReceiptVerification => ({
    ok: failures.length === 0,
    document,
    logIndex: failures.length === 0 ? logIndex : null,
    failures,
  })
  try {
    // The receipt and the document are both attacker-controlled: shapes first.
    if (!isObject(receipt) || receipt['format'] !== BILLING_RECEIPT_FORMAT) {
      fail('receipt.format', `not a ${BILLING_RECEIPT_FORMAT} receipt`)
      return done(null, null)
    }
    const log = receipt['log']
    const logIndex = receipt['logIndex']
    if (
      typeof receipt['document'] !== 'string' ||
      typeof receipt['sha256'] !== 'string' ||
      typeof receipt['logEntry'] !== 'string' ||
      typeof receipt['proof'] !== 'string' ||
      typeof logIndex !== 'number' ||
      !Number.isSafeInteger(logIndex) ||
      logIndex < 0 ||
      !isObject(log) ||
      typeof log['vkey'] !== 'string' ||
      typeof log['checkpoint'] !== 'string'
    ) {
      fail('receipt.format', 'a receipt needs document, sha256, logEntry, logIndex, proof and log')
      return done(typeof receipt['document'] === 'string' ? receipt['document'] : null, null)
    }
    const r = receipt as unknown as BillingReceipt
    if (!isObject(document)) {
      fail('document', 'the document is not a JSON object')
      return done(r.document, null)
    }
    const issued = ISSUED_TYPES.get(document['format'])
    if (issued === undefined || document['kind'] !== issued.kind) {
      fail('document', `unknown document format ${String(document['format'])}`)
    }
    if (document['id'] !== r.document) {
      fail('document', `the receipt is for ${r.document}, not ${String(document['id'])}`)
    }
    const sha256 = billingDocumentSha256(document)
    if (sha256 !== r.sha256) {
      fail('sha256', 'the document does not hash to the receipt: it is not the document issued')
    }

    let entry: unknown
    try {
      entry = JSON.parse(r.logEntry)
    } catch {
      entry = undefined
    }
    if (!isObject(entry)) {
      fail('logEntry', 'the log entry is not a JSON object')
    } else {
      if (canonicalJson(entry) !== r.logEntry) {
        fail('logEntry', 'the log entry is not in canonical form')
      }
      if (issued !== undefined && entry['type'] !== issued.type) {
        fail('logEntry.type', `the log entry is a ${String(entry['type'])}, not ${issued.type}`)
      }
      if (entry['document'] !== r.document || entry['document'] !== document['id']) {
        fail('logEntry.document', 'the log entry names another document')
      }
      if (entry['sha256'] !== r.sha256 || entry['sha256'] !== sha256) {
        fail('logEntry.sha256', 'the log entry logs another document hash')
      }
      if (entry['studio'] !== document['studio']) {
        fail('logEntry.studio', 'the log entry names another studio')
      }
    }

    if (opts.vkey !== undefined && r.log.vkey !== opts.vkey) {
      fail('log.vkey', 'the receipt names another log key than the one trusted')
    }
    let proofCheckpoint: string | null = null
    try {
      proofCheckpoint = parseProofFile(r.proof).checkpoint
    } catch {
      // verifyProofFile below reports the malformed proof.
    }
    if (proofCheckpoint !== null && proofCheckpoint !== r.log.checkpoint) {
      fail('log.checkpoint', 'the proof is against another checkpoint than the receipt names')
    }
    const verdict = verifyProofFile({
      vkey: opts.vkey ?? r.log.vkey,
      proofFile: r.proof,
      entry: new TextEncoder().encode(r.logEntry),
    })
    if (!verdict.ok) {
      fail('proof', `${verdict.code}: ${verdict.reason}`)
    } else if (verdict.index !== r.logIndex) {
      fail('proof', `the proof is for index ${verdict.index}, not ${r.logIndex}`)
    }
    return done(r.document, r.logIndex)
  } catch (err) {
    fail('receipt', err instanceof Error ? err.message : 'verification failed')
    return done(null, null)
  }
}

/** {@link verifyBillingDocument}'s verdict with the receipt's beside it; `ok` only if both are. */
export type IssuedDocumentVerification = BillingVerification & {
  readonly receipt: BillingReceiptVerification
}

/**
 * Everything a third party can check of a document file and its receipt, offline: the
 * document's own totals, prices and usage proofs (`verifyBillingDocument`), and that it is the
 * document issued (`verifyBillingReceipt`). `ok` is true only when both pass; each part keeps
 * its own failures.
 */
export function verifyIssuedDocument(
  document: unknown,
  receipt: unknown,
  opts: { vkey?: string } = {},
): IssuedDocumentVerification {
  const verdict = verifyBillingDocument(document, opts)
  const bound = verifyBillingReceipt(document, receipt, opts)
  return { ...verdict, ok: verdict.ok && bound.ok, receipt: bound }
}

import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { canonicalJson } from '../canonical-json/index.js'
import {
  formatCheckpoint,
  formatProofFile,
  formatVerifierKey,
  proveInclusion,
  signNote,
  treeHash,
} from '../tlog/index.js'
import { MemoryTree, signerFromSeed } from '../tlog/test-support.js'
import { INVOICE_FORMAT, STATEMENT_FORMAT } from './billing-document.js'
import {
  BILLING_RECEIPT_FORMAT,
  type BillingReceipt,
  billingDocumentSha256,
  verifyBillingReceipt,
} from './billing-receipt.js'

const log = signerFromSeed('selvedge.example/log', new Uint8Array(32).fill(3))
const VKEY = formatVerifierKey(log.name, log.publicKey)
const other = signerFromSeed('selvedge.example/log', new Uint8Array(32).fill(4))
const OTHER_VKEY = formatVerifierKey(other.name, other.publicKey)

function invoice(id: string): Record<string, unknown> {
  return {
    format: INVOICE_FORMAT,
    kind: 'invoice',
    id,
    studio: 'std_1',
    period: '2026-10',
    issuedAt: '2026-11-02T08:00:00.000Z',
    party: 'https://mill.example/',
    currency: 'EUR',
    lines: [{ kind: 'units', events: 2, units: 30, basis: 'prepaid', amountMinor: 50 }],
    controlTotals: { overall: { events: 2, units: 30, amountMinor: 50 } },
    totalMinor: 50,
    prepaidMinor: 50,
    dueMinor: 0,
    batches: [],
    log: null,
  }
}

function statement(id: string): Record<string, unknown> {
  return {
    ...invoice(id),
    format: STATEMENT_FORMAT,
    kind: 'statement',
    party: 'designer:dsg_1',
    payee: { kind: 'designer', id: 'dsg_1', name: 'Ada' },
  }
}

function issuedEntry(doc: Record<string, unknown>): string {
  return canonicalJson({
    type: doc['kind'] === 'invoice' ? 'invoice.issued' : 'statement.issued',
    studio: doc['studio'] as string,
    time: doc['issuedAt'] as string,
    document: doc['id'] as string,
    period: doc['period'] as string,
    party: doc['party'] as string,
    currency: doc['currency'] as string,
    totalMinor: doc['totalMinor'] as number,
    sha256: billingDocumentSha256(doc),
  })
}

// A small log holding unrelated entries and the issued entries of `docs`, one receipt each.
function receiptsFor(docs: readonly Record<string, unknown>[], signer = log): BillingReceipt[] {
  const tree = new MemoryTree()
  const bytes = (s: string) => new TextEncoder().encode(s)
  tree.append(bytes('{"type":"usage.batch"}'))
  const placed = docs.map((doc) => {
    const entry = issuedEntry(doc)
    return { doc, entry, index: tree.append(bytes(entry)) }
  })
  tree.append(bytes('{"type":"asset.registered"}'))
  const size = tree.size
  const checkpoint = signNote(
    formatCheckpoint({ origin: signer.name, size, rootHash: treeHash(size, tree.read) }),
    [signer],
  )
  return placed.map(({ doc, entry, index }) => ({
    format: BILLING_RECEIPT_FORMAT,
    document: doc['id'] as string,
    sha256: billingDocumentSha256(doc),
    logEntry: entry,
    logIndex: index,
    proof: formatProofFile({ index, proof: proveInclusion(size, index, tree.read), checkpoint }),
    log: { vkey: formatVerifierKey(signer.name, signer.publicKey), checkpoint },
  }))
}

const inv = invoice('inv_1')
const stm = statement('stm_1')
const [invReceipt, stmReceipt] = receiptsFor([inv, stm]) as [BillingReceipt, BillingReceipt]

function checks(doc: unknown, receipt: unknown, vkey?: string): string[] {
  const verdict = verifyBillingReceipt(doc, receipt, vkey === undefined ? {} : { vkey })
  expect(verdict.ok).toBe(verdict.failures.length === 0)
  return verdict.failures.map((f) => f.check)
}

describe('verifyBillingReceipt', () => {
  it('accepts the receipts of an invoice and a statement, pinned or not', () => {
    expect(verifyBillingReceipt(inv, invReceipt, { vkey: VKEY })).toEqual({
      ok: true,
      document: 'inv_1',
      logIndex: invReceipt.logIndex,
      failures: [],
    })
    expect(checks(stm, stmReceipt, VKEY)).toEqual([])
    expect(checks(stm, stmReceipt)).toEqual([])
    // The document as read back from a pretty-printed file is the same document.
    expect(checks(JSON.parse(JSON.stringify(inv, null, 2)), invReceipt, VKEY)).toEqual([])
  })

  it('refuses a document edited in any field, whatever the field', () => {
    const paths: string[][] = []
    const walk = (v: unknown, at: string[]) => {
      if (typeof v === 'object' && v !== null) {
        for (const [k, c] of Object.entries(v)) walk(c, [...at, k])
      } else paths.push(at)
    }
    walk(inv, [])
    fc.assert(
      fc.property(fc.constantFrom(...paths), fc.oneof(fc.integer(), fc.string()), (path, v) => {
        const edited = structuredClone(inv)
        let node = edited as Record<string, unknown>
        for (const k of path.slice(0, -1)) node = node[k] as Record<string, unknown>
        const key = path.at(-1) as string
        fc.pre(node[key] !== v)
        node[key] = v
        expect(checks(edited, invReceipt, VKEY)).toContain('sha256')
      }),
    )
    // Reordered keys are another serialisation, so another document.
    const { format, ...rest } = inv
    expect(checks({ ...rest, format }, invReceipt, VKEY)).toContain('sha256')
  })

  it("refuses another document's receipt", () => {
    expect(checks(inv, stmReceipt, VKEY)).toEqual(
      expect.arrayContaining(['document', 'sha256', 'logEntry.type', 'logEntry.document']),
    )
    // A receipt rewritten to name the invoice still carries the statement's logged entry.
    const relabelled = { ...stmReceipt, document: 'inv_1', sha256: billingDocumentSha256(inv) }
    expect(checks(inv, relabelled, VKEY)).toEqual(
      expect.arrayContaining(['logEntry.type', 'logEntry.document', 'logEntry.sha256']),
    )
  })

  it('refuses an entry that was not logged, a tampered proof and a wrong log key', () => {
    // An entry forged to match an edited document is not the leaf the proof proves.
    const edited = { ...inv, party: 'https://other.example/' }
    const forged = {
      ...invReceipt,
      sha256: billingDocumentSha256(edited),
      logEntry: issuedEntry(edited),
    }
    expect(checks(edited, forged, VKEY)).toEqual(['proof'])
    const lines = invReceipt.proof.split('\n')
    const hashLine = lines.findIndex((l, i) => i > 1 && /^[A-Za-z0-9+/]{43}=$/.test(l))
    expect(hashLine).toBeGreaterThan(0)
    const flipped = [...lines]
    const h = flipped[hashLine] as string
    flipped[hashLine] = `${h[0] === 'A' ? 'B' : 'A'}${h.slice(1)}`
    expect(checks(inv, { ...invReceipt, proof: flipped.join('\n') }, VKEY)).toContain('proof')
    expect(checks(inv, { ...invReceipt, logIndex: invReceipt.logIndex + 1 }, VKEY)).toContain(
      'proof',
    )
    expect(checks(inv, invReceipt, OTHER_VKEY)).toEqual(['log.vkey', 'proof'])
    // A receipt signed by another log verifies only against its own key.
    const [foreign] = receiptsFor([inv], other) as [BillingReceipt]
    expect(checks(inv, foreign)).toEqual([])
    expect(checks(inv, foreign, VKEY)).toEqual(['log.vkey', 'proof'])
    const swapped = {
      ...invReceipt,
      log: { ...invReceipt.log, checkpoint: foreign.log.checkpoint },
    }
    expect(checks(inv, swapped, VKEY)).toEqual(['log.checkpoint'])
  })

  it('refuses a receipt of another format and never throws', () => {
    expect(checks(inv, { ...invReceipt, format: 'selvedge.billing-receipt/v0' })).toEqual([
      'receipt.format',
    ])
    expect(checks(inv, { ...invReceipt, logIndex: '1' })).toEqual(['receipt.format'])
    expect(checks(null, invReceipt)).toEqual(['document'])
    fc.assert(
      fc.property(fc.anything(), fc.anything(), (doc, receipt) => {
        expect(verifyBillingReceipt(doc, receipt).ok).toBe(false)
        expect(verifyBillingReceipt(inv, { ...invReceipt, x: receipt }).ok).toBe(true)
      }),
      { numRuns: 200 },
    )
    fc.assert(
      fc.property(fc.anything(), (v) => {
        for (const k of Object.keys(invReceipt)) {
          expect(verifyBillingReceipt(inv, { ...invReceipt, [k]: v }, { vkey: VKEY }).ok).toBe(
            JSON.stringify(v) === JSON.stringify(invReceipt[k as keyof BillingReceipt]),
          )
        }
      }),
      { numRuns: 100 },
    )
  })
})

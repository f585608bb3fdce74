import { type BillingDocument, formatMinor } from '../../core/billing/index.js'
import { type PdfBlock, type PdfDocumentSpec, renderPdf } from '../documents/index.js'

/**
 * The printable PDF of an invoice or royalty statement: the same lines and totals as the JSON
 * record (which stays the document of record: `billing verify` checks the JSON), with the
 * usage batches it counts and where their proofs are.
 */
export function billingPdfSpec(doc: BillingDocument): PdfDocumentSpec {
  const money = (m: number) => `${formatMinor(m, doc.currency)} ${doc.currency}`
  const title = doc.kind === 'invoice' ? `Invoice ${doc.id}` : `Royalty statement ${doc.id}`
  const blocks: PdfBlock[] = [
    { kind: 'heading', text: title, level: 1 },
    {
      kind: 'paragraph',
      text: `Period ${doc.period} (UTC) · issued ${doc.issuedAt} · studio ${doc.studio}`,
    },
    {
      kind: 'paragraph',
      text:
        doc.kind === 'invoice'
          ? `Licensee: ${doc.party}`
          : `Payee: ${doc.payee.name} (${doc.payee.kind} ${doc.payee.id})`,
      style: 'bold',
    },
  ]
  if (doc.kind === 'invoice') {
    blocks.push({
      kind: 'table',
      columns: [
        { header: 'Asset', weight: 3, style: 'smallMono' },
        { header: 'Grant', weight: 2, style: 'smallMono' },
        { header: 'Kind', weight: 1.2 },
        { header: 'Events', weight: 1, align: 'right' },
        { header: 'Units', weight: 1.2, align: 'right' },
        { header: 'Price', weight: 3.5, style: 'small' },
        { header: 'Amount', weight: 1.8, align: 'right' },
      ],
      rows: doc.lines.map((l) => [
        l.assetId,
        l.grantId,
        l.kind,
        String(l.events),
        String(l.units),
        l.price,
        money(l.amountMinor),
      ]),
    })
    const t = doc.controlTotals.overall
    blocks.push({
      kind: 'paragraph',
      text: `Control totals: ${t.lines} lines, ${t.events} events, ${t.units} units. Total ${money(doc.totalMinor)}; prepaid from the wallet ${money(doc.prepaidMinor)}; due ${money(doc.dueMinor)}.`,
      boxed: true,
    })
  } else {
    blocks.push({
      kind: 'table',
      columns: [
        { header: 'Asset', weight: 3, style: 'smallMono' },
        { header: 'Grant', weight: 2, style: 'smallMono' },
        { header: 'Kind', weight: 1.2 },
        { header: 'Events', weight: 1, align: 'right' },
        { header: 'Units', weight: 1.2, align: 'right' },
        { header: 'Price', weight: 2.5, style: 'small' },
        { header: 'Charge', weight: 1.8, align: 'right' },
        { header: 'Share', weight: 1.8, align: 'right' },
      ],
      rows: doc.lines.map((l) => [
        l.assetId,
        l.grantId,
        l.kind,
        String(l.events),
        String(l.units),
        l.price,
        money(l.chargeMinor),
        money(l.amountMinor),
      ]),
    })
    const t = doc.controlTotals.overall
    blocks.push({
      kind: 'paragraph',
      text: `Control totals: ${t.lines} lines, ${t.events} events, ${t.units} units. Total ${money(doc.totalMinor)}.`,
      boxed: true,
    })
  }
  blocks.push({ kind: 'heading', text: 'Usage batches counted', level: 2 })
  blocks.push({
    kind: 'paragraph',
    text: "Each batch's Merkle root is committed to the transparency log. The JSON form of this document carries the inclusion proofs and the signed checkpoint; check it offline with `selvedge billing verify`.",
    style: 'small',
  })
  if (doc.batches.length > 0) {
    blocks.push({
      kind: 'table',
      columns: [
        { header: 'Batch', weight: 2.5, style: 'smallMono' },
        { header: 'Events', weight: 1, align: 'right' },
        { header: 'Units', weight: 1.2, align: 'right' },
        { header: 'Log index', weight: 1.2, align: 'right' },
        { header: 'Merkle root', weight: 5, style: 'smallMono' },
      ],
      rows: doc.batches.map((b) => [
        b.batchId,
        String(b.events),
        String(b.units),
        String(b.logIndex),
        b.merkleRoot,
      ]),
    })
  }
  return {
    metadata: {
      title,
      author: doc.studio,
      subject: `${doc.kind} for ${doc.period}`,
      keywords: [doc.kind, doc.period, doc.currency],
      createdAt: doc.issuedAt,
    },
    blocks,
    footer: `${title} · ${doc.period}`,
  }
}

/** Renders {@link billingPdfSpec} to PDF bytes. */
export function renderBillingPdf(doc: BillingDocument): Promise<Uint8Array> {
  return renderPdf(billingPdfSpec(doc))
}

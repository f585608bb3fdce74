import {
  type BillingDocument,
  formatMinor,
  type LineIds,
  type LineUsage,
  STATEMENT_FORMAT_V1,
} from '../../core/billing/index.js'
import {
  type PdfBlock,
  type PdfColumn,
  type PdfDocumentSpec,
  renderPdf,
} from '../documents/index.js'

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
  const ids: LineColumn<LineIds>[] = [
    { header: 'Asset', weight: 3, style: 'smallMono', cell: (l) => l.assetId },
    { header: 'Grant', weight: 2, style: 'smallMono', cell: (l) => l.grantId },
    { header: 'Kind', weight: 1.2, cell: (l) => l.kind },
  ]
  const usage = (priceWeight: number): LineColumn<LineUsage>[] => [
    { header: 'Events', weight: 1, align: 'right', cell: (l) => String(l.events) },
    { header: 'Units', weight: 1.2, align: 'right', cell: (l) => String(l.units) },
    { header: 'Price', weight: priceWeight, style: 'small', cell: (l) => l.price },
  ]
  const shares: LineColumn<{ chargeMinor: number; amountMinor: number }>[] = [
    { header: 'Charge', weight: 1.8, align: 'right', cell: (l) => money(l.chargeMinor) },
    { header: 'Share', weight: 1.8, align: 'right', cell: (l) => money(l.amountMinor) },
  ]
  const boxed = (text: string): PdfBlock => ({ kind: 'paragraph', text, boxed: true })
  if (doc.kind === 'invoice') {
    const t = doc.controlTotals.overall
    blocks.push(
      lineTable(doc.lines, [
        ...ids,
        ...usage(3.5),
        { header: 'Amount', weight: 1.8, align: 'right', cell: (l) => money(l.amountMinor) },
      ]),
      boxed(
        `Control totals: ${t.lines} lines, ${t.events} events, ${t.units} units. Total ${money(doc.totalMinor)}; prepaid from the wallet ${money(doc.prepaidMinor)}; due ${money(doc.dueMinor)}.`,
      ),
    )
  } else if (doc.format === STATEMENT_FORMAT_V1) {
    // A v1 statement's lines carry no usage, basis or price: those columns are left out.
    blocks.push(
      lineTable(doc.lines, [...ids, ...shares]),
      boxed(
        `Control totals: ${doc.controlTotals.overall.lines} lines. Total ${money(doc.totalMinor)}.`,
      ),
    )
  } else {
    const t = doc.controlTotals.overall
    blocks.push(
      lineTable(doc.lines, [...ids, ...usage(2.5), ...shares]),
      boxed(
        `Control totals: ${t.lines} lines, ${t.events} events, ${t.units} units. Total ${money(doc.totalMinor)}.`,
      ),
    )
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

/** A column of the lines table, with how to write a line's cell. */
interface LineColumn<L> extends PdfColumn {
  readonly cell: (line: L) => string
}

function lineTable<L>(lines: readonly L[], columns: readonly LineColumn<L>[]): PdfBlock {
  return {
    kind: 'table',
    columns: columns.map(({ cell: _cell, ...column }) => column),
    rows: lines.map((line) => columns.map((c) => c.cell(line))),
  }
}

/** Renders {@link billingPdfSpec} to PDF bytes. */
export function renderBillingPdf(doc: BillingDocument): Promise<Uint8Array> {
  return renderPdf(billingPdfSpec(doc))
}

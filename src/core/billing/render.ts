import {
  type BillingDocument,
  INVOICE_FORMAT,
  type InvoiceDocument,
  type LineIds,
  type LineUsage,
  STATEMENT_FORMAT,
  STATEMENT_FORMAT_V1,
  type StatementDocument,
  type StatementDocumentV1,
} from './billing-document.js'

// Human-readable renderings of a billing document. The JSON document is the record (it is what
// `billing verify` checks); CSV is for spreadsheets and accounting imports, HTML for printing.

/** Formats minor units as a decimal amount of the currency (`1234` EUR → `12.34`). */
export function formatMinor(minor: number, currency: string): string {
  const digits = currencyDigits(currency)
  if (digits === 0) return String(minor)
  const negative = minor < 0
  const s = String(Math.abs(minor)).padStart(digits + 1, '0')
  return `${negative ? '-' : ''}${s.slice(0, -digits)}.${s.slice(-digits)}`
}

function currencyDigits(currency: string): number {
  if (currency === 'XXX') return 0
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
      .maximumFractionDigits as number
  } catch {
    return 2
  }
}

// RFC 4180: quote every field that holds a comma, quote or line break; double inner quotes.
// A leading =, +, - or @ is prefixed with ' so that spreadsheets do not run it as a formula.
function csvField(value: string | number): string {
  let s = String(value)
  if (typeof value === 'string' && /^[=+\-@]/.test(s)) s = `'${s}`
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s
}

function csvRow(values: readonly (string | number)[]): string {
  return `${values.map(csvField).join(',')}\r\n`
}

type Cell = string | number

/** A CSV column: its header, a line's cell, and the cell of the closing total row. */
interface CsvColumn<L> {
  readonly header: string
  readonly cell: (line: L) => Cell
  readonly total?: Cell
}

/** The document's lines as RFC 4180 CSV with a header row and a closing total row. */
export function renderCsv(doc: BillingDocument): string {
  const money = (minor: number) => formatMinor(minor, doc.currency)
  const lead = (kind: string, party: string): CsvColumn<LineIds>[] => [
    { header: kind, cell: () => doc.id, total: doc.id },
    { header: 'period', cell: () => doc.period, total: doc.period },
    { header: kind === 'invoice' ? 'licensee' : 'payee', cell: () => party, total: party },
    { header: 'asset', cell: (l) => l.assetId, total: 'TOTAL' },
    { header: 'grant', cell: (l) => l.grantId },
    { header: 'kind', cell: (l) => l.kind },
  ]
  const usage = (t: { events: number; units: number }): CsvColumn<LineUsage>[] => [
    { header: 'events', cell: (l) => l.events, total: t.events },
    { header: 'units', cell: (l) => l.units, total: t.units },
    { header: 'basis', cell: (l) => l.basis },
    { header: 'price', cell: (l) => l.price },
  ]
  const currency: CsvColumn<unknown> = {
    header: 'currency',
    cell: () => doc.currency,
    total: doc.currency,
  }
  const total = money(doc.totalMinor)
  if (doc.kind === 'invoice') {
    return csvTable<InvoiceDocument['lines'][number]>(doc.lines, [
      ...lead('invoice', doc.party),
      ...usage(doc.controlTotals.overall),
      { header: 'amount', cell: (l) => money(l.amountMinor), total },
      currency,
    ])
  }
  const shares: CsvColumn<{ chargeMinor: number; amountMinor: number }>[] = [
    { header: 'charge', cell: (l) => money(l.chargeMinor) },
    { header: 'share', cell: (l) => money(l.amountMinor), total },
  ]
  // A v1 statement's lines carry no usage, basis or price: those columns are left out.
  if (doc.format === STATEMENT_FORMAT_V1) {
    return csvTable<StatementDocumentV1['lines'][number]>(doc.lines, [
      ...lead('statement', doc.payee.name),
      ...shares,
      currency,
    ])
  }
  return csvTable<StatementDocument['lines'][number]>(doc.lines, [
    ...lead('statement', doc.payee.name),
    ...usage(doc.controlTotals.overall),
    ...shares,
    currency,
  ])
}

function csvTable<L>(lines: readonly L[], columns: readonly CsvColumn<L>[]): string {
  let out = csvRow(columns.map((c) => c.header))
  for (const line of lines) out += csvRow(columns.map((c) => c.cell(line)))
  return out + csvRow(columns.map((c) => c.total ?? ''))
}

function esc(s: string | number): string {
  return String(s)
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
}

/** A self-contained printable HTML page (A4 print styles, no scripts, no external assets). */
export function renderHtml(doc: BillingDocument): string {
  const money = (m: number) => `${esc(formatMinor(m, doc.currency))} ${esc(doc.currency)}`
  const title = doc.kind === 'invoice' ? `Invoice ${doc.id}` : `Royalty statement ${doc.id}`
  const { head, rows, summary } = htmlLines(doc, money)
  const party =
    doc.kind === 'invoice'
      ? `<p>Licensee: <strong>${esc(doc.party)}</strong></p>`
      : `<p>Payee: <strong>${esc(doc.payee.name)}</strong> (${esc(doc.payee.kind)} ${esc(doc.payee.id)})</p>`
  const batches = doc.batches
    .map(
      (b) =>
        `<tr><td><code>${esc(b.batchId)}</code></td><td class="n">${b.events}</td><td class="n">${b.units}</td><td class="n">${b.logIndex}</td><td><code>${esc(b.merkleRoot)}</code></td></tr>`,
    )
    .join('\n')
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${esc(title)}</title>
<style>
@page { size: A4; margin: 18mm; }
body { font: 10pt/1.4 system-ui, sans-serif; color: #111; }
table { border-collapse: collapse; width: 100%; margin: 1em 0; }
th, td { border-bottom: 1px solid #ccc; padding: 4px 6px; text-align: left; vertical-align: top; }
.n { text-align: right; font-variant-numeric: tabular-nums; }
code { font-size: 8pt; word-break: break-all; }
h1 { font-size: 16pt; }
</style>
</head>
<body>
<h1>${esc(title)}</h1>
<p>Period <strong>${esc(doc.period)}</strong> · issued ${esc(doc.issuedAt)} · studio ${esc(doc.studio)}</p>
${party}
<table>
<thead>${head}</thead>
<tbody>
${rows}
</tbody>
</table>
${summary}
<h2>Usage batches counted</h2>
<p>Each batch's Merkle root is in the transparency log; the JSON document carries the inclusion proofs (check with <code>selvedge billing verify</code>).</p>
<table>
<thead><tr><th>Batch</th><th class="n">Events</th><th class="n">Units</th><th class="n">Log index</th><th>Merkle root</th></tr></thead>
<tbody>
${batches}
</tbody>
</table>
</body>
</html>
`
}

function htmlLines(
  doc: BillingDocument,
  money: (m: number) => string,
): { head: string; rows: string; summary: string } {
  switch (doc.format) {
    case INVOICE_FORMAT:
      return {
        head: '<tr><th>Asset</th><th>Grant</th><th>Kind</th><th class="n">Events</th><th class="n">Units</th><th>Price</th><th class="n">Amount</th></tr>',
        rows: doc.lines
          .map(
            (l) =>
              `<tr><td>${esc(l.assetId)}</td><td><code>${esc(l.grantId)}</code></td><td>${esc(l.kind)}</td><td class="n">${l.events}</td><td class="n">${l.units}</td><td>${esc(l.price)}</td><td class="n">${money(l.amountMinor)}</td></tr>`,
          )
          .join('\n'),
        summary: `<p>Total ${money(doc.totalMinor)} · prepaid ${money(doc.prepaidMinor)} · <strong>due ${money(doc.dueMinor)}</strong></p>`,
      }
    case STATEMENT_FORMAT: {
      const t = doc.controlTotals.overall
      return {
        head: '<tr><th>Asset</th><th>Grant</th><th>Kind</th><th class="n">Events</th><th class="n">Units</th><th>Price</th><th class="n">Charge</th><th class="n">Share</th></tr>',
        rows: doc.lines
          .map(
            (l) =>
              `<tr><td>${esc(l.assetId)}</td><td><code>${esc(l.grantId)}</code></td><td>${esc(l.kind)}</td><td class="n">${l.events}</td><td class="n">${l.units}</td><td>${esc(l.price)}</td><td class="n">${money(l.chargeMinor)}</td><td class="n">${money(l.amountMinor)}</td></tr>`,
          )
          .join('\n'),
        summary: `<p>${t.lines} lines · ${t.events} events · ${t.units} units · <strong>Total ${money(doc.totalMinor)}</strong></p>`,
      }
    }
    case STATEMENT_FORMAT_V1:
      return {
        head: '<tr><th>Asset</th><th>Grant</th><th>Kind</th><th class="n">Charge</th><th class="n">Share</th></tr>',
        rows: doc.lines
          .map(
            (l) =>
              `<tr><td>${esc(l.assetId)}</td><td><code>${esc(l.grantId)}</code></td><td>${esc(l.kind)}</td><td class="n">${money(l.chargeMinor)}</td><td class="n">${money(l.amountMinor)}</td></tr>`,
          )
          .join('\n'),
        summary: `<p>${doc.controlTotals.overall.lines} lines · <strong>Total ${money(doc.totalMinor)}</strong></p>`,
      }
  }
}

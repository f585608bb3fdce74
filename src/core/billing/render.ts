import type { BillingDocument, InvoiceDocument, StatementDocument } from './billing-document.js'

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

/** The document's lines as RFC 4180 CSV with a header row and a closing total row. */
export function renderCsv(doc: BillingDocument): string {
  if (doc.kind === 'invoice') return invoiceCsv(doc)
  return statementCsv(doc)
}

function invoiceCsv(doc: InvoiceDocument): string {
  let out = csvRow([
    'invoice',
    'period',
    'licensee',
    'asset',
    'grant',
    'kind',
    'events',
    'units',
    'basis',
    'price',
    'amount',
    'currency',
  ])
  for (const l of doc.lines) {
    out += csvRow([
      doc.id,
      doc.period,
      doc.party,
      l.assetId,
      l.grantId,
      l.kind,
      l.events,
      l.units,
      l.basis,
      l.price,
      formatMinor(l.amountMinor, doc.currency),
      doc.currency,
    ])
  }
  const t = doc.controlTotals.overall
  out += csvRow([
    doc.id,
    doc.period,
    doc.party,
    'TOTAL',
    '',
    '',
    t.events,
    t.units,
    '',
    '',
    formatMinor(doc.totalMinor, doc.currency),
    doc.currency,
  ])
  return out
}

function statementCsv(doc: StatementDocument): string {
  let out = csvRow([
    'statement',
    'period',
    'payee',
    'asset',
    'grant',
    'kind',
    'events',
    'units',
    'basis',
    'price',
    'charge',
    'share',
    'currency',
  ])
  for (const l of doc.lines) {
    out += csvRow([
      doc.id,
      doc.period,
      doc.payee.name,
      l.assetId,
      l.grantId,
      l.kind,
      l.events,
      l.units,
      l.basis,
      l.price,
      formatMinor(l.chargeMinor, doc.currency),
      formatMinor(l.amountMinor, doc.currency),
      doc.currency,
    ])
  }
  const t = doc.controlTotals.overall
  out += csvRow([
    doc.id,
    doc.period,
    doc.payee.name,
    'TOTAL',
    '',
    '',
    t.events,
    t.units,
    '',
    '',
    '',
    formatMinor(doc.totalMinor, doc.currency),
    doc.currency,
  ])
  return out
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
  const head =
    doc.kind === 'invoice'
      ? '<tr><th>Asset</th><th>Grant</th><th>Kind</th><th class="n">Events</th><th class="n">Units</th><th>Price</th><th class="n">Amount</th></tr>'
      : '<tr><th>Asset</th><th>Grant</th><th>Kind</th><th class="n">Events</th><th class="n">Units</th><th>Price</th><th class="n">Charge</th><th class="n">Share</th></tr>'
  const rows =
    doc.kind === 'invoice'
      ? doc.lines
          .map(
            (l) =>
              `<tr><td>${esc(l.assetId)}</td><td><code>${esc(l.grantId)}</code></td><td>${esc(l.kind)}</td><td class="n">${l.events}</td><td class="n">${l.units}</td><td>${esc(l.price)}</td><td class="n">${money(l.amountMinor)}</td></tr>`,
          )
          .join('\n')
      : doc.lines
          .map(
            (l) =>
              `<tr><td>${esc(l.assetId)}</td><td><code>${esc(l.grantId)}</code></td><td>${esc(l.kind)}</td><td class="n">${l.events}</td><td class="n">${l.units}</td><td>${esc(l.price)}</td><td class="n">${money(l.chargeMinor)}</td><td class="n">${money(l.amountMinor)}</td></tr>`,
          )
          .join('\n')
  const party =
    doc.kind === 'invoice'
      ? `<p>Licensee: <strong>${esc(doc.party)}</strong></p>`
      : `<p>Payee: <strong>${esc(doc.payee.name)}</strong> (${esc(doc.payee.kind)} ${esc(doc.payee.id)})</p>`
  const summary =
    doc.kind === 'invoice'
      ? `<p>Total ${money(doc.totalMinor)} · prepaid ${money(doc.prepaidMinor)} · <strong>due ${money(doc.dueMinor)}</strong></p>`
      : `<p>${doc.controlTotals.overall.lines} lines · ${doc.controlTotals.overall.events} events · ${doc.controlTotals.overall.units} units · <strong>Total ${money(doc.totalMinor)}</strong></p>`
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

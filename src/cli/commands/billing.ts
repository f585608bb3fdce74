import { mkdir, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import {
  type BillingDocumentRecord,
  parseStoredDocument,
  renderBillingPdf,
} from '../../app/metering/index.js'
import { type BillingReceipt, renderCsv, renderHtml } from '../../core/billing/index.js'
import { HttpError } from '../../http/errors.js'
import { type Command, localCaller, UsageError } from '../context.js'
import { EXIT_CODES } from '../exit-codes.js'
import { readInputFile } from '../read-input-file.js'

/**
 * Writes a document as `<id>.json` (the verifiable record), `.csv`, `.html` and `.pdf` into `dir`;
 * returns the JSON file's path.
 */
async function writeDocument(dir: string, record: BillingDocumentRecord): Promise<string> {
  const doc = parseStoredDocument(record)
  const file = join(dir, `${record.id}.json`)
  await writeFile(file, `${JSON.stringify(doc, null, 2)}\n`)
  await writeFile(join(dir, `${record.id}.csv`), renderCsv(doc))
  await writeFile(join(dir, `${record.id}.html`), renderHtml(doc))
  await writeFile(join(dir, `${record.id}.pdf`), await renderBillingPdf(doc))
  return file
}

/**
 * Writes a receipt as `<id>.receipt.json` beside its document (the close output's shape is kept,
 * so the path is found from the document's: `<id>.json` → `<id>.receipt.json`).
 */
async function writeReceipt(dir: string, id: string, receipt: BillingReceipt): Promise<void> {
  await writeFile(join(dir, `${id}.receipt.json`), `${JSON.stringify(receipt, null, 2)}\n`)
}

async function readJson(file: string): Promise<unknown> {
  const text = (await readInputFile(file)).toString('utf8')
  try {
    return JSON.parse(text)
  } catch {
    throw new HttpError('REQUEST_INVALID', `${file} is not JSON`)
  }
}

export const billingCommand: Command = {
  name: 'billing',
  summary: 'close periods into invoices and royalty statements; verify them offline; prices',
  usage:
    'selvedge billing close --period YYYY-MM [--out DIR] | verify FILE.json [--receipt RECEIPT.json] [--vkey V] | receipt ID [--out FILE] | documents --period YYYY-MM | price --kind KIND --model JSON [--asset ID] | prices [--json]',
  options: {
    period: { type: 'string' },
    out: { type: 'string' },
    vkey: { type: 'string' },
    receipt: { type: 'string' },
    kind: { type: 'string' },
    model: { type: 'string' },
    asset: { type: 'string' },
  },
  async run(ctx) {
    const [action, file, ...rest] = ctx.positionals
    if (rest.length > 0) throw new UsageError('too many arguments')
    if (action === 'verify') {
      if (file === undefined) throw new UsageError('verify takes FILE.json')
      const doc = await readJson(file)
      const receiptFlag = ctx.flags['receipt']
      const receipt = typeof receiptFlag === 'string' ? await readJson(receiptFlag) : undefined
      // Offline: nothing is opened; the document carries its proofs, the receipt its entry's.
      const { verifyBillingDocument, verifyIssuedDocument } = await import(
        '../../core/billing/index.js'
      )
      const vkey = ctx.flags['vkey']
      const opts = typeof vkey === 'string' ? { vkey } : {}
      const issued = receipt === undefined ? undefined : verifyIssuedDocument(doc, receipt, opts)
      const full = issued ?? verifyBillingDocument(doc, opts)
      const bound = issued?.receipt
      const verdict = full
      // The document's own checks: `ok` also covers the receipt when there is one.
      const documentOk = verdict.failures.length === 0
      const human = documentOk
        ? `OK: ${verdict.kind} ${verdict.id}, ${verdict.lines} lines, total ${verdict.totalMinor} ${verdict.currency}, ${verdict.batchesVerified} batches proven in the log${verdict.unpriced.length > 0 ? `; ${verdict.unpriced.length} lines (prepaid, credit notes, v1 statement lines) taken as stated, no price model checks them: ${verdict.unpriced.join(', ')}` : ''}`
        : `FAILED: ${verdict.failures.map((f) => `${f.check}: ${f.message}`).join('; ')}`
      const receiptHuman =
        bound === undefined
          ? ''
          : bound.ok
            ? `\nRECEIPT OK: the file is the document issued, entry ${bound.logIndex} of the log`
            : `\nRECEIPT FAILED: ${bound.failures.map((f) => `${f.check}: ${f.message}`).join('; ')}`
      ctx.result(full, `${human}${receiptHuman}`)
      return full.ok ? 0 : EXIT_CODES.BILLING_DOCUMENT_INVALID
    }
    if (action === 'receipt' && file === undefined) throw new UsageError('receipt takes ID')
    const period = ctx.flags['period']
    const selvedge = await ctx.open()
    try {
      const caller = await localCaller(selvedge, ctx.env)
      switch (action) {
        case 'close': {
          if (typeof period !== 'string') throw new UsageError('close needs --period YYYY-MM')
          const closed = await selvedge.billing.close(caller, period)
          const outFlag = ctx.flags['out']
          const dir = resolve(
            typeof outFlag === 'string' ? outFlag : join(ctx.dataDir, 'billing', closed.period),
          )
          await mkdir(dir, { recursive: true })
          const invoices = []
          for (const d of closed.invoices) {
            invoices.push({
              id: d.id,
              licensee: d.party,
              totalMinor: d.totalMinor,
              currency: d.currency,
              file: await writeDocument(dir, d),
            })
            await writeReceipt(dir, d.id, await selvedge.billing.receipt(caller, d.id))
          }
          const statements = []
          for (const d of closed.statements) {
            statements.push({
              id: d.id,
              party: d.party,
              totalMinor: d.totalMinor,
              currency: d.currency,
              file: await writeDocument(dir, d),
            })
            await writeReceipt(dir, d.id, await selvedge.billing.receipt(caller, d.id))
          }
          ctx.result(
            { period: closed.period, invoices, statements },
            `closed ${closed.period}: ${invoices.length} invoices, ${statements.length} statements in ${dir}`,
          )
          return 0
        }
        case 'receipt': {
          const receipt = await selvedge.billing.receipt(caller, file as string)
          const outFlag = ctx.flags['out']
          if (typeof outFlag !== 'string') {
            ctx.result(receipt, JSON.stringify(receipt, null, 2))
            return 0
          }
          const out = resolve(outFlag)
          await writeFile(out, `${JSON.stringify(receipt, null, 2)}\n`)
          ctx.result(
            { document: receipt.document, logIndex: receipt.logIndex, file: out },
            `receipt of ${receipt.document} (log entry ${receipt.logIndex}) written to ${out}`,
          )
          return 0
        }
        case 'documents': {
          if (typeof period !== 'string') throw new UsageError('documents needs --period YYYY-MM')
          const docs = await selvedge.billing.documents(caller, period)
          const items = docs.map((d) => ({
            id: d.id,
            kind: d.kind,
            party: d.party,
            totalMinor: d.totalMinor,
            currency: d.currency,
          }))
          ctx.result(
            { items },
            items
              .map((d) => `${d.id} ${d.kind} ${d.party} ${d.totalMinor} ${d.currency}`)
              .join('\n'),
          )
          return 0
        }
        case 'price': {
          const kind = ctx.flags['kind']
          const model = ctx.flags['model']
          if (typeof kind !== 'string' || typeof model !== 'string') {
            throw new UsageError('price needs --kind and --model JSON')
          }
          let parsed: unknown
          try {
            parsed = JSON.parse(model)
          } catch {
            throw new HttpError('REQUEST_INVALID', '--model is not JSON')
          }
          const asset = ctx.flags['asset']
          const plan = await selvedge.billing.setPrice(caller, {
            kind,
            model: parsed,
            ...(typeof asset === 'string' ? { assetId: asset } : {}),
          })
          ctx.result(
            plan,
            `price ${plan.id} set for ${plan.kind} of ${plan.assetId ?? 'every asset'}`,
          )
          return 0
        }
        case 'prices': {
          const items = await selvedge.billing.prices(caller)
          ctx.result(
            { items },
            items
              .map((p) => `${p.id} ${p.kind} ${p.assetId ?? '*'} ${JSON.stringify(p.model)}`)
              .join('\n'),
          )
          return 0
        }
        default:
          throw new UsageError('give close, verify, receipt, documents, price or prices')
      }
    } finally {
      await selvedge.close()
    }
  },
}

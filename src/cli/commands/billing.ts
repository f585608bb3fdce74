import { mkdir, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import {
  type BillingDocumentRecord,
  parseStoredDocument,
  renderBillingPdf,
} from '../../app/metering/index.js'
import { renderCsv, renderHtml } from '../../core/billing/index.js'
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

export const billingCommand: Command = {
  name: 'billing',
  summary: 'close periods into invoices and royalty statements; verify them offline; prices',
  usage:
    'selvedge billing close --period YYYY-MM [--out DIR] | verify FILE.json [--vkey V] | documents --period YYYY-MM | price --kind KIND --model JSON [--asset ID] | prices [--json]',
  options: {
    period: { type: 'string' },
    out: { type: 'string' },
    vkey: { type: 'string' },
    kind: { type: 'string' },
    model: { type: 'string' },
    asset: { type: 'string' },
  },
  async run(ctx) {
    const [action, file, ...rest] = ctx.positionals
    if (rest.length > 0) throw new UsageError('too many arguments')
    if (action === 'verify') {
      if (file === undefined) throw new UsageError('verify takes FILE.json')
      const text = (await readInputFile(file)).toString('utf8')
      let doc: unknown
      try {
        doc = JSON.parse(text)
      } catch {
        throw new HttpError('REQUEST_INVALID', `${file} is not JSON`)
      }
      // Offline: nothing is opened; the document carries its proofs.
      const { verifyBillingDocument } = await import('../../core/billing/index.js')
      const vkey = ctx.flags['vkey']
      const verdict = verifyBillingDocument(doc, typeof vkey === 'string' ? { vkey } : {})
      ctx.result(
        verdict,
        verdict.ok
          ? `OK: ${verdict.kind} ${verdict.id}, ${verdict.lines} lines, total ${verdict.totalMinor} ${verdict.currency}, ${verdict.batchesVerified} batches proven in the log${verdict.unpriced.length > 0 ? `; ${verdict.unpriced.length} lines (prepaid, credit notes, v1 statement lines) taken as stated, no price model checks them: ${verdict.unpriced.join(', ')}` : ''}`
          : `FAILED: ${verdict.failures.map((f) => `${f.check}: ${f.message}`).join('; ')}`,
      )
      return verdict.ok ? 0 : EXIT_CODES.BILLING_DOCUMENT_INVALID
    }
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
          }
          ctx.result(
            { period: closed.period, invoices, statements },
            `closed ${closed.period}: ${invoices.length} invoices, ${statements.length} statements in ${dir}`,
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
          throw new UsageError('give close, verify, documents, price or prices')
      }
    } finally {
      await selvedge.close()
    }
  },
}

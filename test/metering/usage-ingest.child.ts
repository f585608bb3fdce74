// A process that ingests every batch of a file in turn, printing `ack <k> <batchId|-> <accepted>
// <duplicates>` once batch k is committed. The crash test SIGKILLs it at random points.
import { readFile } from 'node:fs/promises'
import { openSelvedge } from '../../src/compose.js'

const [batchFile, key] = process.argv.slice(2)
if (batchFile === undefined || key === undefined) {
  throw new Error('usage: usage-ingest.child.ts BATCHES.json LICENSEE_KEY')
}
const env = process.env
const selvedge = await openSelvedge({
  dataDir: env['SELVEDGE_DATA'] ?? '',
  now: env['SELVEDGE_NOW'],
  databaseUrl: env['DATABASE_URL'],
  databaseSchema: env['SELVEDGE_DB_SCHEMA'],
  log: { batchIntervalMs: 5 },
})
const caller = await selvedge.keys.authenticate(key)
const batches = JSON.parse(await readFile(batchFile, 'utf8')) as unknown[][]
for (const [k, batch] of batches.entries()) {
  const report = await selvedge.usage.ingest({ caller }, batch)
  if (report.rejected.length > 0) throw new Error(`batch ${k}: ${JSON.stringify(report.rejected)}`)
  process.stdout.write(
    `ack ${k} ${report.batchId ?? '-'} ${report.accepted} ${report.duplicates}\n`,
  )
}
process.stdout.write('done\n')
await selvedge.close()

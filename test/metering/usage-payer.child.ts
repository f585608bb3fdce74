// A process that reports `count` single usage events at once (ids `<prefix>-<i>`), each raising
// a prepaid fee, and prints `{"ok":N,"codes":[...]}`: the cross-process wallet race.
import { openSelvedge } from '../../src/compose.js'

const [key, grantId, prefix, count] = process.argv.slice(2)
if (key === undefined || grantId === undefined || prefix === undefined || count === undefined) {
  throw new Error('usage: usage-payer.child.ts KEY GRANT_ID PREFIX COUNT')
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
// Start together: wait for the parent's go on stdin.
await new Promise((resolve) => process.stdin.once('data', resolve))
const results = await Promise.allSettled(
  Array.from({ length: Number(count) }, (_, i) =>
    selvedge.usage.ingest(
      { caller },
      {
        specversion: '1.0',
        id: `${prefix}-${i}`,
        source: 'https://mill.example/printers/line-1',
        type: 'dev.selvedge.usage.units',
        subject: grantId,
        time: '2026-10-13T10:00:00Z',
        data: { units: 1 },
      },
    ),
  ),
)
const codes = results.flatMap((r) =>
  r.status === 'rejected' ? [String((r.reason as { code?: unknown }).code)] : [],
)
process.stdout.write(`${JSON.stringify({ ok: results.length - codes.length, codes })}\n`)
await selvedge.close()
process.exit(0)

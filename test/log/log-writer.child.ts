// A process that appends to the log forever, printing `ack <index> <sha256 of entry>` for every
// entry once it is covered by a signed checkpoint. The crash test SIGKILLs it at random points.
import { createHash } from 'node:crypto'
import { openPostgresStore } from '../../src/adapters/postgres/index.js'
import { openSqliteStore } from '../../src/adapters/sqlite/index.js'
import { encodeLogEntry } from '../../src/app/log/index.js'
import { testLog } from './log-fixtures.js'

const [dialect, location, worker] = process.argv.slice(2)
if (dialect === undefined || location === undefined || worker === undefined) {
  throw new Error('usage: log-writer.child.ts sqlite|postgres PATH|SCHEMA WORKER')
}
const store =
  dialect === 'postgres'
    ? await openPostgresStore(process.env['DATABASE_URL'] ?? '', { schema: location })
    : await openSqliteStore(location)
const log = testLog(store, { batchIntervalMs: 5 })

let seq = 0
for (;;) {
  const count = 1 + Math.floor(Math.random() * 40)
  const entries = Array.from({ length: count }, () =>
    encodeLogEntry({
      type: 'crash.test',
      studio: 'std_crash',
      time: new Date().toISOString(),
      worker,
      seq: seq++,
    }),
  )
  const indexes = await log.append(entries)
  let out = ''
  for (const [i, index] of indexes.entries()) {
    out += `ack ${index} ${createHash('sha256')
      .update(entries[i] as Uint8Array)
      .digest('hex')}\n`
  }
  process.stdout.write(out)
}

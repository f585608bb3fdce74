// The API server of bench:usage, in a process of its own so that the load generator does not
// share its event loop (and its core) with the server it measures. Arguments: the data folder,
// the fixed clock, the log's batch interval, and optionally a PostgreSQL URL and schema (else
// SQLite in the data folder). It sends `{ address }` once listening, answers
// `'cpu'` with its CPU time so far, and closes on `'close'`.
import { openSelvedge } from '../../src/compose.js'
import { createApi } from '../../src/http/server.js'

const [dataDir = '', now = '', interval = '20', databaseUrl, databaseSchema] = process.argv.slice(2)
const send = (message: unknown) => process.send?.(message)
const selvedge = await openSelvedge({
  dataDir,
  now,
  log: { batchIntervalMs: Number(interval) },
  ...(databaseUrl === undefined ? {} : { databaseUrl, databaseSchema }),
})
const app = await createApi(selvedge)
const address = await app.listen({ host: '127.0.0.1', port: 0 })
// Orphaned (the bench died): go too.
process.on('disconnect', () => process.exit(1))
process.on('message', (message) => {
  if (message === 'cpu') send({ cpu: process.cpuUsage() })
  if (message === 'close') {
    void app
      .close()
      .then(() => selvedge.close())
      .then(() => process.exit(0))
  }
})
send({ address })

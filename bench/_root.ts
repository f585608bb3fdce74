import { canonicalEventBytes, parseUsageEvent, usageBatchRoot } from '../src/core/metering/index.js'
import { leafHash, storedHashesForRecord, treeHash, type Hash, type HashReader } from '../src/core/tlog/index.js'
function batchRoot(entries: readonly Uint8Array[]): Uint8Array {
  const stored: Hash[] = []
  const read: HashReader = (indexes) => indexes.map((i) => stored[i] as Hash)
  for (let n = 0; n < entries.length; n++) for (const h of storedHashesForRecord(n, leafHash(entries[n] as Uint8Array), read)) stored.push(h)
  return treeHash(entries.length, read)
}
for (const n of [1, 2, 3, 5, 7, 8, 9, 100, 255, 256, 257, 1000]) {
  const evs = Array.from({ length: n }, (_, i) => { const r = parseUsageEvent({ specversion: '1.0', id: `e${i}`, source: 's', type: 'dev.selvedge.usage.units', subject: '0123456789abcdef', time: '2026-10-15T12:00:00Z', data: { units: i } }); if (!r.ok) throw new Error(); return r.event })
  const a = Buffer.from(usageBatchRoot(evs)).toString('hex'), b = Buffer.from(batchRoot(evs.map(canonicalEventBytes))).toString('hex')
  if (a !== b) throw new Error(`mismatch at ${n}`)
}
console.log('roots agree')

import { canonicalEventBytes, checkEventAgainstGrant, parseUsageEvent, usageBatchRoot, type UsageEvent } from '../src/core/metering/index.js'
const N = 1000
function ev(i: number) { return { specversion: '1.0', id: `x-${i}-${Math.random()}`, source: 'https://mill.example/printers/line-1', type: 'dev.selvedge.usage.units', subject: '0123456789abcdef', time: new Date(Date.parse('2026-10-02T00:00:00Z') + i * 1000).toISOString(), datacontenttype: 'application/json', data: { units: 1 + (i % 7) } } }
const t = (name: string, f: () => void) => { const ts: number[] = []; for (let r = 0; r < 100; r++) { const t0 = performance.now(); f(); ts.push(performance.now() - t0) } ts.sort((a,b)=>a-b); console.log(name, ts[50]!.toFixed(2), 'ms/1000') }
const raws = Array.from({ length: N }, (_, i) => ev(i))
let events: UsageEvent[] = []
t('parse', () => { events = raws.map((r) => { const c = parseUsageEvent(r); if (!c.ok) throw new Error(); return c.event }) })
t('canonical', () => { for (const e of events) canonicalEventBytes(e) })
t('canonical+utf8', () => { for (const e of events) Buffer.from(canonicalEventBytes(e)).toString('utf8') })
t('root', () => { usageBatchRoot(events) })
const g = { studioId: 's', notBefore: '2026-10-01T00:00:00.000Z', expiresAt: '2027-10-01T00:00:00.000Z', revokedAt: null }
t('check', () => { for (const e of events) checkEventAgainstGrant(e, g, 's', '2026-10-28T12:00:00.000Z') })
t('key', () => { for (const e of events) JSON.stringify([e.source, e.id]) })

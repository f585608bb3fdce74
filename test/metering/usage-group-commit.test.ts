import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type { Selvedge } from '../../src/compose.js'
import type { Caller } from '../../src/core/access/index.js'
import { agreeToExtended, DIALECTS, makeStudio, type Studio, usageEvent, World } from './world.js'

// Small usage requests of a studio that arrive together share one transaction (group commit),
// each in a savepoint. Each must still behave exactly as if it ran alone.

const MILL = 'https://mill.example/'
const T0 = '2026-10-01T09:00:00.000Z'
const T1 = '2026-10-15T12:00:00.000Z'

describe.each(DIALECTS)('concurrent single-event usage on %s', (dialect) => {
  let world: World
  let studio: Studio
  let s: Selvedge
  let mill: Caller
  let grantId: string

  beforeAll(async () => {
    world = await World.create(dialect)
    const setup = await world.at(T0)
    studio = await makeStudio(setup)
    const key = await setup.keys.create(studio.owner, { role: 'licensee', party: MILL })
    grantId = (
      await agreeToExtended(
        setup,
        studio,
        await setup.keys.authenticate(key.key),
        { unitCap: '1000', unitPrice: '0.02', settlement: 'postpaid' },
        500,
      )
    ).grantId
    s = await world.at(T1)
    mill = await s.keys.authenticate(key.key)
  }, 60_000)
  afterAll(async () => {
    await world.dispose()
  })

  const event = (id: string, units = 1) =>
    usageEvent(grantId, units, '2026-10-10T10:00:00Z', { id: `${dialect}-${id}` })

  it('answers each of many concurrent requests as if it ran alone', async () => {
    const n = 60
    const transactions = vi.spyOn(s.store, 'transaction')
    const reports = await Promise.all(
      Array.from({ length: n }, (_, i) => s.usage.ingest({ caller: mill }, event(`c${i}`, i + 1))),
    )
    // They arrived together: they shared transactions (at most 64 requests each).
    expect(transactions.mock.calls.length).toBeGreaterThan(0)
    expect(transactions.mock.calls.length).toBeLessThan(n / 10)
    transactions.mockRestore()
    for (const r of reports) expect(r).toMatchObject({ accepted: 1, duplicates: 0, rejected: [] })
    // Each request is its own batch, with its own log entry.
    expect(new Set(reports.map((r) => r.batchId)).size).toBe(n)
    expect(new Set(reports.map((r) => r.logIndex)).size).toBe(n)
    const [row] = await world.query<{ n: number | string; units: number | string }>(
      `select count(*) as n, sum(units) as units from usage_events where event_id like '${dialect}-c%'`,
    )
    expect(Number(row?.n)).toBe(n)
    expect(Number(row?.units)).toBe((n * (n + 1)) / 2)
  })

  it('accepts one copy of an event sent concurrently and counts the others as duplicates', async () => {
    const reports = await Promise.all(
      Array.from({ length: 8 }, () => s.usage.ingest({ caller: mill }, event('same'))),
    )
    expect(reports.filter((r) => r.accepted === 1)).toHaveLength(1)
    expect(reports.filter((r) => r.duplicates === 1)).toHaveLength(7)
  })

  it('fails a bad request alone, however it arrives', async () => {
    const outcomes = await Promise.allSettled([
      s.usage.ingest({ caller: mill }, event('ok-1')),
      // Atomic, with one bad event: refused whole, nothing of it stored.
      s.usage.ingest(
        { caller: mill },
        [event('atomic-1'), { ...event('atomic-2'), data: { units: -1 } }],
        {
          atomic: true,
        },
      ),
      s.usage.ingest({ caller: mill }, event('ok-2')),
      // A single event for a grant that does not exist: its own code.
      s.usage.ingest({ caller: mill }, { ...event('unknown'), subject: '00000000000000aa' }),
      s.usage.ingest({ caller: mill }, event('ok-3')),
    ])
    expect(outcomes.map((o) => o.status)).toEqual([
      'fulfilled',
      'rejected',
      'fulfilled',
      'rejected',
      'fulfilled',
    ])
    expect((outcomes[1] as PromiseRejectedResult).reason).toMatchObject({
      code: 'USAGE_BATCH_REJECTED',
    })
    expect((outcomes[3] as PromiseRejectedResult).reason).toMatchObject({
      code: 'USAGE_GRANT_UNKNOWN',
    })
    const rows = await world.query<{ event_id: string }>(
      `select event_id from usage_events where event_id in ('${dialect}-ok-1', '${dialect}-ok-2', '${dialect}-ok-3', '${dialect}-atomic-1', '${dialect}-atomic-2') order by event_id`,
    )
    expect(rows.map((r) => r.event_id)).toEqual([
      `${dialect}-ok-1`,
      `${dialect}-ok-2`,
      `${dialect}-ok-3`,
    ])
  })
})

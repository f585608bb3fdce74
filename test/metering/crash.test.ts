import { type ChildProcess, spawn } from 'node:child_process'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  DIALECTS,
  expectBalancedLedger,
  licenseeKey,
  makeStudio,
  usageEvent,
  World,
} from './world.js'

const CHILD = fileURLToPath(new URL('./usage-ingest.child.ts', import.meta.url))
const MILL = 'https://mill.example/'
const T0 = '2026-10-01T09:00:00.000Z'
const NOW = '2026-10-15T12:00:00.000Z'
const ROUNDS = 3
// Enough batches that the ingester is still busy when it is killed, however fast ingest gets.
const BATCHES = 120
const FREE_UNITS = 100
const TOP_UP_MINOR = 10_000_000

interface Ingester {
  readonly child: ChildProcess
  readonly acks: Map<number, { batchId: string; accepted: number; duplicates: number }>
  stderr: string
  done: boolean
  readonly exited: Promise<NodeJS.Signals | number | null>
}

function startIngester(world: World, batchFile: string, key: string): Ingester {
  const env = { ...world.env(NOW), SELVEDGE_DATA: world.dir }
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, batchFile, key], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env,
  })
  const ingester: Ingester = {
    child,
    acks: new Map(),
    stderr: '',
    done: false,
    exited: new Promise((resolve) => child.on('exit', (code, signal) => resolve(signal ?? code))),
  }
  let buffered = ''
  child.stdout?.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('utf8')
    // Only whole lines count: a line cut by the kill was never acknowledged.
    const lines = buffered.split('\n')
    buffered = lines.pop() ?? ''
    for (const line of lines) {
      if (line === 'done') {
        ingester.done = true
        continue
      }
      const m = /^ack (\d+) (\S+) (\d+) (\d+)$/.exec(line)
      if (m === null) throw new Error(`bad child line ${line}`)
      ingester.acks.set(Number(m[1]), {
        batchId: m[2] as string,
        accepted: Number(m[3]),
        duplicates: Number(m[4]),
      })
    }
  })
  child.stderr?.on('data', (chunk: Buffer) => {
    ingester.stderr += chunk.toString('utf8')
  })
  return ingester
}

async function waitForAck(ingester: Ingester, deadlineMs: number): Promise<void> {
  const deadline = Date.now() + deadlineMs
  while (Date.now() < deadline && ingester.acks.size === 0 && ingester.child.exitCode === null) {
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

interface BatchRow {
  id: string
  event_count: number | string
  units: number | string
  stored: number | string
  stored_units: number | string | null
}

describe.each(DIALECTS)('usage ingest crash safety on %s', (dialect) => {
  let world: World
  let key: string
  let grantId: string
  let studioId: string
  let batchFile: string
  let batches: Record<string, unknown>[][]

  beforeAll(async () => {
    world = await World.create(dialect)
    const s = await world.at(T0)
    const studio = await makeStudio(s)
    studioId = studio.owner.studioId
    key = (await s.keys.create(studio.owner, { role: 'licensee', party: MILL })).key
    const mill = await licenseeKey(s, studio.owner, MILL)
    await s.licences.attach(studio.owner, studio.childId, {
      kind: 'template',
      template: 'extended',
      // Prepaid: every batch past the free units also writes ledger transactions.
      params: { unitCap: String(FREE_UNITS), unitPrice: '0.01', settlement: 'prepaid' },
    })
    const agreed = await s.licences.createAgreement(mill, studio.childId, {
      action: 'reproduce',
      purpose: 'slv:commercialPrint',
      units: 1,
    })
    if (agreed.kind !== 'agreed') throw new Error(agreed.decision.explanation)
    grantId = agreed.grantId
    await s.wallets.requestTopUp(studio.owner, {
      party: MILL,
      currency: 'EUR',
      amountMinor: TOP_UP_MINOR,
      confirm: true,
    })
    await world.release()
    batches = Array.from({ length: BATCHES }, (_, k) =>
      Array.from({ length: 1 + ((k * 97) % 250) }, (_, i) =>
        usageEvent(
          grantId,
          1 + ((k + i) % 7),
          `2026-10-${String(2 + (k % 12)).padStart(2, '0')}T10:00:00Z`,
          {
            id: `k${k}-${i}`,
          },
        ),
      ),
    )
    batchFile = join(world.dir, 'batches.json')
    await writeFile(batchFile, JSON.stringify(batches))
  }, 60_000)
  afterAll(async () => world.dispose())

  // Every stored batch is whole; every client batch is all there or not at all; meters, wallet
  // and ledger agree with the events. Returns the number of stored events.
  async function expectConsistent(): Promise<number> {
    const s = await world.at(NOW)
    const rows = await world.query<BatchRow>(
      `select b.id, b.event_count, b.units, count(e.event_key) as stored, sum(e.units) as stored_units
         from usage_batches b left join usage_events e
           on e.studio_id = b.studio_id and e.batch_id = b.id
        group by b.id, b.event_count, b.units`,
    )
    for (const r of rows) {
      expect(Number(r.stored), `events of batch ${r.id}`).toBe(Number(r.event_count))
      expect(Number(r.stored_units ?? 0), `units of batch ${r.id}`).toBe(Number(r.units))
    }
    const orphans = await world.query(
      `select e.event_key from usage_events e
        where not exists (select 1 from usage_batches b
                           where b.studio_id = e.studio_id and b.id = e.batch_id)`,
    )
    expect(orphans).toEqual([])
    const events = await world.query<{ event_id: string; units: number | string }>(
      'select event_id, units from usage_events',
    )
    const ids = new Set(events.map((e) => e.event_id))
    expect(ids.size).toBe(events.length)
    for (const [k, batch] of batches.entries()) {
      const present = batch.filter((e) => ids.has(e['id'] as string)).length
      expect([0, batch.length], `client batch ${k}`).toContain(present)
    }
    const units = events.reduce((sum, e) => sum + Number(e.units), 0)
    const meters = await s.store.usage.meters(studioId, [grantId])
    expect(meters.get(`${grantId}/units`) ?? 0).toBe(units)
    // The prepaid fees paid so far are exactly the threshold price of the stored units.
    const sums = await expectBalancedLedger(s, studioId)
    const wallet = 0 - (sums.find((r) => r.account === `wallet:${MILL}`)?.sum ?? 0)
    expect(TOP_UP_MINOR - wallet).toBe(Math.max(0, units - FREE_UNITS))
    await world.release()
    return events.length
  }

  it('keeps every batch whole across SIGKILLs, and re-sending creates no duplicates', async () => {
    const acked = new Set<number>()
    let killedMidway = 0
    for (let round = 0; round < ROUNDS; round++) {
      const ingester = startIngester(world, batchFile, key)
      await waitForAck(ingester, 30_000)
      await new Promise((resolve) => setTimeout(resolve, 10 + Math.random() * 150))
      ingester.child.kill('SIGKILL')
      const exit = await ingester.exited
      expect(ingester.stderr).toBe('')
      expect(ingester.acks.size).toBeGreaterThan(0)
      if (exit === 'SIGKILL' && !ingester.done) killedMidway++
      for (const k of ingester.acks.keys()) acked.add(k)
      await expectConsistent()
      // Every acknowledged batch survived the crash.
      const ids = new Set(
        (await world.query<{ event_id: string }>('select event_id from usage_events')).map(
          (e) => e.event_id,
        ),
      )
      for (const k of acked) {
        for (const e of batches[k] ?? [])
          expect(ids.has(e['id'] as string), `batch ${k}`).toBe(true)
      }
    }
    expect(killedMidway).toBeGreaterThan(0)

    // After the crashes, every batch is sent again: what is stored is a duplicate, the rest
    // goes in, and nothing is counted twice.
    const storedBefore = await expectConsistent()
    const s = await world.at(NOW)
    const mill = await s.keys.authenticate(key)
    let accepted = 0
    for (const batch of batches) {
      const report = await s.usage.ingest({ caller: mill }, batch)
      expect(report.rejected).toEqual([])
      expect(report.accepted + report.duplicates).toBe(batch.length)
      accepted += report.accepted
    }
    const total = batches.reduce((n, b) => n + b.length, 0)
    expect(accepted).toBe(total - storedBefore)
    for (const batch of batches) {
      expect(await s.usage.ingest({ caller: mill }, batch)).toMatchObject({
        accepted: 0,
        duplicates: batch.length,
      })
    }
    await world.release()
    expect(await expectConsistent()).toBe(total)
  }, 120_000)
})

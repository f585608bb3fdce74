import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { afterAll, afterEach, beforeAll, describe, expect, it, type MockInstance, vi } from 'vitest'
import { WorkerUsagePreparer } from '../../src/adapters/node-runtime/index.js'
import { canonicalJson } from '../../src/core/canonical-json/index.js'
import {
  isUsageBodyProblem,
  parseUsageEvent,
  prepareUsageJson,
  type UsageEvent,
  usageBatchRoot,
} from '../../src/core/metering/index.js'
import { createApi } from '../../src/http/server.js'
import { agreeToExtended, DIALECTS, makeStudio, type Studio, usageEvent, World } from './world.js'

const MILL = 'https://mill.example/'
const T0 = '2026-10-01T09:00:00.000Z'
const T1 = '2026-10-15T12:00:00.000Z'
const CE = 'application/cloudevents+json'
const CE_BATCH = 'application/cloudevents-batch+json'
// What UsageService sends to its preparer (PREPARE_ELSEWHERE_FROM_CHARS).
const WORKER_FROM_CHARS = 32_768

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex')

/** `n` valid events under `grantId`, one second apart from 2026-10-05T10:00:00Z. */
function batchOf(grantId: string, n: number, prefix: string): Record<string, unknown>[] {
  const start = Date.parse('2026-10-05T10:00:00Z')
  return Array.from({ length: n }, (_, i) =>
    usageEvent(grantId, (i % 7) + 1, new Date(start + i * 1000).toISOString(), {
      id: `${prefix}-${String(i).padStart(5, '0')}`,
    }),
  )
}

function parsed(raws: readonly unknown[]): UsageEvent[] {
  return raws.map((raw) => {
    const r = parseUsageEvent(raw)
    if (!r.ok) throw new Error(`${r.code}: ${r.message}`)
    return r.event
  })
}

describe('WorkerUsagePreparer', () => {
  const preparers: WorkerUsagePreparer[] = []
  const open = (): WorkerUsagePreparer => {
    const p = new WorkerUsagePreparer()
    preparers.push(p)
    return p
  }
  afterAll(async () => {
    for (const p of preparers) await p.close()
  })

  it('prepares a large batch exactly as prepareUsageJson does in this thread', async () => {
    const preparer = open()
    const events = batchOf('0123456789abcdef', 2000, 'w')
    // Some bad ones, so that the rejections travel too.
    events[3] = { ...events[3], data: { units: -1 } }
    events[1500] = { ...events[1500], type: 'dev.selvedge.usage.prints' }
    const text = JSON.stringify(events)
    const inThread = prepareUsageJson(text)
    const viaWorker = await preparer.prepare(text)
    expect(viaWorker).toStrictEqual(inThread)
    if (isUsageBodyProblem(viaWorker) || isUsageBodyProblem(inThread)) throw new Error('problem')
    expect(viaWorker.leaves).toBeInstanceOf(Uint8Array)
    expect(viaWorker.leaves.length).toBe(32 * 1998)
    expect(hex(viaWorker.leaves)).toBe(hex(inThread.leaves))
    expect(hex(viaWorker.root)).toBe(hex(inThread.root))
    expect(viaWorker.rejected.map((r) => [r.index, r.code])).toEqual([
      [3, 'USAGE_UNITS_INVALID'],
      [1500, 'USAGE_TYPE_UNKNOWN'],
    ])
  })

  it('answers text that is not JSON, or not a batch, with the same problem', async () => {
    const preparer = open()
    for (const text of ['{"specversion":', 'nope', '', '[]']) {
      const viaWorker = await preparer.prepare(text)
      expect(viaWorker, text).toStrictEqual(prepareUsageJson(text))
      expect(isUsageBodyProblem(viaWorker), text).toBe(true)
    }
  })

  it('resolves concurrent prepares to their own results', async () => {
    const preparer = open()
    const texts = [1, 50, 700, 3, 1200, 1].map((n, i) =>
      JSON.stringify(batchOf('0123456789abcdef', n, `c${i}`)),
    )
    texts.splice(2, 0, 'not json')
    const results = await Promise.all(texts.map((t) => preparer.prepare(t)))
    results.forEach((r, i) => {
      expect(r).toStrictEqual(prepareUsageJson(texts[i] as string))
    })
  })

  it('refuses work once closed, and closes twice without complaint', async () => {
    const preparer = open()
    await preparer.prepare('[]')
    await preparer.close()
    await expect(preparer.prepare('[]')).rejects.toThrow(/closed/)
    await expect(preparer.close()).resolves.toBeUndefined()
    const never = open()
    await never.close()
    await never.close()
    await expect(never.prepare('[]')).rejects.toThrow(/closed/)
  })

  it('fails the prepares in flight when closed', async () => {
    const preparer = open()
    const pending = preparer.prepare(JSON.stringify(batchOf('0123456789abcdef', 2000, 'f')))
    const outcome = pending.then(
      () => 'resolved',
      (e: unknown) => (e instanceof Error ? 'rejected' : 'odd'),
    )
    await preparer.close()
    // It may have finished first; it must not hang either way.
    expect(['resolved', 'rejected']).toContain(await outcome)
  })

  it('fails only the jobs of a thread that dies, and starts a new thread for the next', async () => {
    const preparer = open()
    await preparer.prepare('[]')
    // The thread is private: reach it as a crash would, from outside the class's control.
    const thread = (preparer as unknown as { thread: { worker: { terminate(): Promise<number> } } })
      .thread
    const doomed = preparer.prepare(JSON.stringify(batchOf('0123456789abcdef', 3000, 'd')))
    const doomedOutcome = doomed.then(
      () => 'resolved',
      () => 'rejected',
    )
    await thread.worker.terminate()
    expect(['resolved', 'rejected']).toContain(await doomedOutcome)
    // The dead thread's late 'exit' must not fail the new thread's work.
    const text = JSON.stringify(batchOf('0123456789abcdef', 500, 'n'))
    await expect(preparer.prepare(text)).resolves.toStrictEqual(prepareUsageJson(text))
  })

  it('does not keep the process alive while idle', async () => {
    // A child process that prepares once and never closes its preparer must still exit.
    const { execFileSync } = await import('node:child_process')
    const script = `import { WorkerUsagePreparer } from ${JSON.stringify(new URL('../../src/adapters/node-runtime/index.ts', import.meta.url).href)}
const p = new WorkerUsagePreparer()
const r = await p.prepare('[{"specversion":"1.0"}]')
console.log(r.rejected.length)`
    const out = execFileSync(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script],
      {
        timeout: 20_000,
        encoding: 'utf8',
      },
    )
    expect(out.trim()).toBe('1')
  })
})

describe.each(DIALECTS)('large CloudEvents batches over HTTP on %s', (dialect) => {
  let world: World
  let studio: Studio
  let app: FastifyInstance
  let millKey: string
  let grantId: string
  let prepare: MockInstance<WorkerUsagePreparer['prepare']>

  const post = (body: string, contentType: string, query = ''): Promise<LightMyRequestResponse> =>
    app.inject({
      method: 'POST',
      url: `/v1/usage${query}`,
      headers: { authorization: `Bearer ${millKey}`, 'content-type': contentType },
      payload: body,
    })

  async function storedBatch(batchId: string): Promise<{ root: string; canonical: string[] }> {
    const [batch] = await world.query<{ merkle_root: string; event_count: number | string }>(
      `select merkle_root, event_count from usage_batches where id = '${batchId}'`,
    )
    const rows = await world.query<{ canonical: string }>(
      `select canonical from usage_events where batch_id = '${batchId}' order by seq`,
    )
    expect(Number(batch?.event_count)).toBe(rows.length)
    return { root: batch?.merkle_root ?? '', canonical: rows.map((r) => r.canonical) }
  }

  async function countEvents(ids: readonly string[]): Promise<number> {
    const list = ids.map((id) => `'${id}'`).join(',')
    const [row] = await world.query<{ n: number | string }>(
      `select count(*) as n from usage_events where event_id in (${list})`,
    )
    return Number(row?.n)
  }

  beforeAll(async () => {
    // Every preparer the composition root builds shares this prototype.
    prepare = vi.spyOn(WorkerUsagePreparer.prototype, 'prepare')
    world = await World.create(dialect)
    const s = await world.at(T0)
    studio = await makeStudio(s)
    millKey = (await s.keys.create(studio.owner, { role: 'licensee', party: MILL })).key
    // Postpaid: usage is never refused for want of a wallet here.
    grantId = (
      await agreeToExtended(
        s,
        studio,
        await s.keys.authenticate(millKey),
        { unitCap: '1000', unitPrice: '0.02', settlement: 'postpaid' },
        500,
      )
    ).grantId
    app = await createApi(await world.at(T1))
  }, 60_000)
  afterEach(() => {
    prepare?.mockClear()
  })
  afterAll(async () => {
    await app?.close()
    await world.dispose()
    prepare?.mockRestore()
  })

  it('accepts a large batch on the worker, as the objects path would, and logs its root', async () => {
    const events = batchOf(grantId, 300, `big-${dialect}`)
    const text = JSON.stringify(events)
    expect(text.length).toBeGreaterThanOrEqual(WORKER_FROM_CHARS)
    const res = await post(text, CE_BATCH)
    expect(res.statusCode).toBe(200)
    // The body went to the worker thread, whole.
    expect(prepare).toHaveBeenCalledTimes(1)
    expect(prepare).toHaveBeenCalledWith(text)
    const report = res.json()
    expect(report).toMatchObject({
      accepted: 300,
      duplicates: 0,
      rejected: [],
      batchId: expect.any(String),
      logIndex: expect.any(Number),
      charges: [],
      quotes: [],
    })
    const stored = await storedBatch(report.batchId)
    expect(stored.root).toBe(hex(usageBatchRoot(parsed(events))))
    expect(stored.canonical).toEqual(events.map((e) => canonicalJson(e)))

    // The same batch as plain JSON objects (prepared in line) answers in the same shape.
    const twin = batchOf(grantId, 300, `twin-${dialect}`)
    const viaObjects = await post(JSON.stringify(twin), 'application/json')
    expect(viaObjects.statusCode).toBe(200)
    expect(prepare).toHaveBeenCalledTimes(1)
    const objectsReport = viaObjects.json()
    expect(Object.keys(objectsReport).sort()).toEqual(Object.keys(report).sort())
    expect({ ...objectsReport, batchId: 'b', logIndex: 0 }).toEqual({
      ...report,
      batchId: 'b',
      logIndex: 0,
    })
    expect((await storedBatch(objectsReport.batchId)).root).toBe(hex(usageBatchRoot(parsed(twin))))

    // Sent again: every event is a duplicate and nothing is stored.
    const again = await post(text, CE_BATCH)
    expect(again.statusCode).toBe(200)
    expect(again.json()).toEqual({
      accepted: 0,
      duplicates: 300,
      rejected: [],
      batchId: null,
      logIndex: null,
      charges: [],
      quotes: [],
    })
    expect(await countEvents(events.map((e) => String(e['id'])))).toBe(300)
  })

  it('reports the bad events of a large batch by index and roots the rest', async () => {
    const events: Record<string, unknown>[] = batchOf(grantId, 300, `mixed-${dialect}`)
    const bad: [number, Record<string, unknown>, string][] = [
      [7, { data: { units: -1 } }, 'USAGE_UNITS_INVALID'],
      [42, { type: 'dev.selvedge.usage.prints' }, 'USAGE_TYPE_UNKNOWN'],
      [99, { subject: '00000000000000aa' }, 'USAGE_GRANT_UNKNOWN'],
      [150, { specversion: '0.3' }, 'USAGE_EVENT_INVALID'],
      [200, { time: '2026-09-20T10:00:00Z' }, 'USAGE_TIME_OUTSIDE_GRANT'],
      [299, { data: { units: 1, note: '\uD800' } }, 'USAGE_EVENT_INVALID'],
    ]
    for (const [i, over] of bad) events[i] = { ...events[i], ...over }
    const text = JSON.stringify(events)
    expect(text.length).toBeGreaterThanOrEqual(WORKER_FROM_CHARS)
    const res = await post(text, CE_BATCH)
    expect(res.statusCode).toBe(200)
    expect(prepare).toHaveBeenCalledTimes(1)
    const report = res.json()
    expect(report).toMatchObject({ accepted: 294, duplicates: 0, batchId: expect.any(String) })
    expect(report.rejected.map((r: { index: number; code: string }) => [r.index, r.code])).toEqual(
      bad.map(([i, , code]) => [i, code]),
    )
    const accepted = events.filter((_, i) => !bad.some(([b]) => b === i))
    const stored = await storedBatch(report.batchId)
    expect(stored.root).toBe(hex(usageBatchRoot(parsed(accepted))))
    expect(stored.canonical).toEqual(accepted.map((e) => canonicalJson(e)))
  })

  it('stores nothing from a large atomic batch with one bad event', async () => {
    const events: Record<string, unknown>[] = batchOf(grantId, 300, `atomic-${dialect}`)
    events[123] = { ...events[123], data: { units: 1.5 } }
    const text = JSON.stringify(events)
    const res = await post(text, CE_BATCH, '?atomic=true')
    expect(prepare).toHaveBeenCalledTimes(1)
    expect(res.statusCode).toBe(422)
    expect(res.json()).toMatchObject({
      error: { code: 'USAGE_BATCH_REJECTED' },
      rejected: [{ index: 123, code: 'USAGE_UNITS_INVALID', message: expect.any(String) }],
    })
    expect(await countEvents(events.map((e) => String(e['id'])))).toBe(0)
    // Without the bad event, the rest is accepted: none of it was stored before.
    const rest = events.filter((_, i) => i !== 123)
    const retried = await post(JSON.stringify(rest), CE_BATCH, '?atomic=true')
    expect(retried.statusCode).toBe(200)
    expect(retried.json()).toMatchObject({ accepted: 299, duplicates: 0 })
  })

  it('answers text that is not JSON with 400 REQUEST_INVALID, large or small', async () => {
    const big = JSON.stringify(batchOf(grantId, 300, `broken-${dialect}`)).slice(0, -2)
    expect(big.length).toBeGreaterThanOrEqual(WORKER_FROM_CHARS)
    for (const [text, contentType, viaWorker] of [
      [big, CE_BATCH, true],
      ['[{"specversion":', CE_BATCH, false],
      ['{"specversion":', CE, false],
    ] as const) {
      prepare.mockClear()
      const res = await post(text, contentType)
      expect(res.statusCode, text.slice(0, 20)).toBe(400)
      expect(res.json().error.code).toBe('REQUEST_INVALID')
      expect(prepare).toHaveBeenCalledTimes(viaWorker ? 1 : 0)
    }
    expect(await countEvents([`broken-${dialect}-00000`])).toBe(0)
  })

  it('answers a large single event as a single event', async () => {
    const pad = 'p'.repeat(WORKER_FROM_CHARS)
    const good = {
      ...usageEvent(grantId, 2, '2026-10-06T10:00:00Z', { id: `single-${dialect}` }),
      data: { units: 2, pad },
    }
    const res = await post(JSON.stringify(good), CE)
    expect(prepare).toHaveBeenCalledTimes(1)
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ accepted: 1, duplicates: 0, rejected: [] })
    const stored = await storedBatch(res.json().batchId)
    expect(stored.root).toBe(hex(usageBatchRoot(parsed([good]))))
    // A single bad event answers with its own code, not a report.
    const bad = { ...good, id: `single-bad-${dialect}`, data: { units: -2, pad } }
    const refused = await post(JSON.stringify(bad), CE)
    expect(prepare).toHaveBeenCalledTimes(2)
    expect([refused.statusCode, refused.json().error.code]).toEqual([400, 'USAGE_UNITS_INVALID'])
    const unknown = { ...good, id: `single-unknown-${dialect}`, subject: '00000000000000aa' }
    const notYours = await post(JSON.stringify(unknown), CE)
    expect([notYours.statusCode, notYours.json().error.code]).toEqual([422, 'USAGE_GRANT_UNKNOWN'])
  })

  it('answers a large empty batch with its own code', async () => {
    const padded = `[${' '.repeat(WORKER_FROM_CHARS)}]`
    const empty = await post(padded, CE_BATCH)
    expect(prepare).toHaveBeenCalledTimes(1)
    expect([empty.statusCode, empty.json().error.code]).toEqual([400, 'USAGE_BATCH_EMPTY'])
  })
})

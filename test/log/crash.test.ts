import { type ChildProcess, spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { allEntries, expectConsistentLog, testLog } from './log-fixtures.js'
import { DATABASE_URL, type StoreFactory, storeFactories } from './stores.js'

const CHILD = fileURLToPath(new URL('./log-writer.child.ts', import.meta.url))
const ROUNDS = 5
const WRITERS = 2

interface Writer {
  readonly child: ChildProcess
  readonly acks: Map<number, string>
  stderr: string
  exited: Promise<NodeJS.Signals | null>
}

function startWriter(factory: StoreFactory, location: string, worker: string): Writer {
  const env: NodeJS.ProcessEnv = { ...process.env }
  if (factory.name === 'postgres') env['DATABASE_URL'] = DATABASE_URL
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', CHILD, factory.name, location, worker],
    { stdio: ['ignore', 'pipe', 'pipe'], env },
  )
  const writer: Writer = {
    child,
    acks: new Map(),
    stderr: '',
    exited: new Promise((resolve) => child.on('exit', (_code, signal) => resolve(signal))),
  }
  let buffered = ''
  child.stdout?.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('utf8')
    // Only whole lines count: a line cut by the kill was never acknowledged.
    const lines = buffered.split('\n')
    buffered = lines.pop() ?? ''
    for (const line of lines) {
      const m = /^ack (\d+) ([0-9a-f]{64})$/.exec(line)
      if (m === null) throw new Error(`bad child line ${line}`)
      writer.acks.set(Number(m[1]), m[2] as string)
    }
  })
  child.stderr?.on('data', (chunk: Buffer) => {
    writer.stderr += chunk.toString('utf8')
  })
  return writer
}

async function waitForAcks(writers: readonly Writer[], deadlineMs: number): Promise<void> {
  const deadline = Date.now() + deadlineMs
  while (Date.now() < deadline && writers.some((w) => w.acks.size === 0)) {
    if (writers.some((w) => w.child.exitCode !== null)) break
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

for (const factory of storeFactories()) {
  describe(`log crash safety: ${factory.name}`, () => {
    afterAll(async () => {
      await factory.cleanup()
    })

    it('keeps every acknowledged entry and one consistent tree across SIGKILLs', async () => {
      const location = await factory.fresh()
      // Create the log (and its key) up front, as `selvedge init` would.
      const setup = await factory.open(location)
      const setupLog = testLog(setup)
      const vkey = await setupLog.vkey()
      await setupLog.close()
      await setup.close()

      const acked = new Map<number, string>()
      let previousSize = 0
      for (let round = 0; round < ROUNDS; round++) {
        const writers = Array.from({ length: WRITERS }, (_, w) =>
          startWriter(factory, location, `r${round}w${w}`),
        )
        await waitForAcks(writers, 30_000)
        // Let them run a random while, then kill both mid-flight.
        await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 400))
        for (const w of writers) w.child.kill('SIGKILL')
        for (const w of writers) {
          expect(await w.exited).toBe('SIGKILL')
          expect(w.stderr).toBe('')
          expect(w.acks.size).toBeGreaterThan(0)
          for (const [index, sha] of w.acks) {
            // No index was acknowledged twice for different entries.
            const seen = acked.get(index)
            if (seen !== undefined) expect(seen).toBe(sha)
            acked.set(index, sha)
          }
        }
        const store = await factory.open(location)
        const size = (await store.log.latestCheckpoint())?.size ?? 0
        await store.close()
        // The tree only grows.
        expect(size).toBeGreaterThanOrEqual(previousSize)
        previousSize = size
      }

      // A restarted sequencer finishes the queue that the killed writers left behind.
      const store = await factory.open(location)
      const log = testLog(store)
      await log.append([new TextEncoder().encode('after the crashes')])
      const entries = await allEntries(store)
      expect(await store.log.pending(1)).toEqual([])
      for (const [index, sha] of acked) {
        const entry = entries[index]
        expect(entry, `acknowledged entry ${index}`).toBeDefined()
        expect(
          createHash('sha256')
            .update(entry as Uint8Array)
            .digest('hex'),
        ).toBe(sha)
      }
      const sizes = await expectConsistentLog(store, vkey)
      expect(sizes).toEqual([...sizes].sort((a, b) => a - b))
      expect(sizes.at(-1)).toBe(entries.length)
      await log.close()
      await store.close()
    }, 180_000)
  })
}

import { Worker } from 'node:worker_threads'
import type { UsagePreparer } from '../../app/ports.js'
import type { PreparedUsage, UsageBodyProblem } from '../../core/metering/index.js'

type Outcome = PreparedUsage | UsageBodyProblem

interface Pending {
  readonly resolve: (outcome: Outcome) => void
  readonly reject: (error: Error) => void
}

/** One worker thread and the jobs sent to it. */
interface Thread {
  readonly worker: Worker
  readonly pending: Map<number, Pending>
}

/**
 * Prepares usage bodies (`prepareUsageJson`) on one worker thread: parsing, validating,
 * canonicalising and hashing a batch of 1,000 events is about 12 ms of CPU that the main
 * thread would otherwise spend between database writes. One thread is enough: it keeps ahead
 * of the single writer. The thread starts on first use and holds the process open only while
 * it has jobs. A thread that dies fails its own jobs, and the next call starts a new one.
 */
export class WorkerUsagePreparer implements UsagePreparer {
  private thread: Thread | null = null
  private next = 0
  private closed = false

  prepare(json: string): Promise<Outcome> {
    if (this.closed) return Promise.reject(new Error('the usage preparer is closed'))
    const { worker, pending } = this.started()
    const n = this.next++
    return new Promise<Outcome>((resolve, reject) => {
      pending.set(n, { resolve, reject })
      if (pending.size === 1) worker.ref()
      worker.postMessage({ n, text: json })
    })
  }

  async close(): Promise<void> {
    this.closed = true
    const thread = this.thread
    this.thread = null
    if (thread === null) return
    await thread.worker.terminate()
    fail(thread, new Error('the usage preparer was closed'))
  }

  private started(): Thread {
    if (this.thread !== null) return this.thread
    const worker = startWorker(new URL(`./usage-prepare-worker${EXTENSION}`, import.meta.url))
    const thread: Thread = { worker, pending: new Map() }
    worker.unref()
    worker.on('message', ({ n, outcome }: { n: number; outcome: Outcome }) => {
      const p = thread.pending.get(n)
      thread.pending.delete(n)
      if (thread.pending.size === 0) worker.unref()
      p?.resolve(outcome)
    })
    // 'error' and then 'exit' arrive for a thread that dies; either fails only its own jobs.
    const lost = (error: Error) => {
      if (this.thread === thread) this.thread = null
      fail(thread, error)
    }
    worker.on('error', lost)
    worker.on('exit', (code) => lost(new Error(`the usage preparer thread exited (${code})`)))
    this.thread = thread
    return thread
  }
}

function fail(thread: Thread, error: Error): void {
  const pending = [...thread.pending.values()]
  thread.pending.clear()
  for (const p of pending) p.reject(error)
}

// Run from the TypeScript sources (the CLI and the benches through tsx, Vitest through Vite), the
// worker is a `.ts` file, which Node loads only once tsx's hooks are registered in that thread:
// a worker inherits neither `register()` nor Vite's transform.
const EXTENSION = import.meta.url.endsWith('.ts') ? '.ts' : '.js'

function startWorker(entry: URL): Worker {
  if (EXTENSION === '.js') return new Worker(entry)
  const tsx = import.meta.resolve('tsx/esm/api')
  const boot = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry.href)}) })`
  return new Worker(boot, { eval: true })
}

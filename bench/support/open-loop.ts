import { Agent, request } from 'node:http'

// An open-loop HTTP load generator: requests start at evenly spaced instants whatever the
// server's pace, over a fixed pool of keep-alive connections, and each latency is measured from
// the instant the request was due, not from when a connection was free to send it (so a stalled
// server shows as latency instead of silently lowering the load: no coordinated omission).
// autocannon's rate limit is no substitute: it sends each second's quota back to back at the top
// of the second, so its latencies measure the burst.

export interface OpenLoopOptions {
  readonly url: string
  readonly connections: number
  /** Requests per second, spread evenly. */
  readonly rate: number
  readonly seconds: number
  readonly headers: Record<string, string>
  /** The body of the n-th request. */
  readonly body: (n: number) => string
  /** A request unanswered after this long fails (default 30 s). */
  readonly timeoutMs?: number
}

export interface OpenLoopResult {
  readonly sent: number
  readonly ok: number
  readonly failed: number
  readonly p50: number
  readonly p99: number
  readonly max: number
  readonly requestsPerSecond: number
}

export async function openLoop(opts: OpenLoopOptions): Promise<OpenLoopResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: opts.connections })
  const url = new URL(opts.url)
  const total = Math.round(opts.rate * opts.seconds)
  const latencies: number[] = []
  let ok = 0
  let failed = 0
  const start = performance.now()
  const inFlight: Promise<void>[] = []
  const send = (n: number, due: number) =>
    new Promise<void>((resolve) => {
      const body = opts.body(n)
      const req = request(
        {
          agent,
          host: url.hostname,
          port: url.port,
          path: url.pathname + url.search,
          method: 'POST',
          headers: { ...opts.headers, 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          res.resume()
          res.on('end', () => {
            latencies.push(performance.now() - due)
            if (res.statusCode !== undefined && res.statusCode < 300) ok++
            else failed++
            resolve()
          })
        },
      )
      // A failed request is counted, and its wait counts as latency too.
      req.setTimeout(opts.timeoutMs ?? 30_000, () => req.destroy(new Error('timed out')))
      req.on('error', () => {
        latencies.push(performance.now() - due)
        failed++
        resolve()
      })
      req.end(body)
    })
  let next = 0
  while (next < total) {
    const now = performance.now()
    // Everything due by now goes out; then sleep to the next due instant (timers are coarse,
    // so a late wake-up sends the backlog at once but still times each from its due instant).
    while (next < total && start + (next * 1000) / opts.rate <= now) {
      inFlight.push(send(next, start + (next * 1000) / opts.rate))
      next++
    }
    const wait = start + (next * 1000) / opts.rate - performance.now()
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, Math.max(1, wait)))
  }
  await Promise.all(inFlight)
  const elapsed = (performance.now() - start) / 1000
  agent.destroy()
  latencies.sort((a, b) => a - b)
  const at = (q: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0
  return {
    sent: total,
    ok,
    failed,
    p50: round1(at(0.5)),
    p99: round1(at(0.99)),
    max: round1(latencies.at(-1) ?? 0),
    requestsPerSecond: ok / elapsed,
  }
}

function round1(x: number): number {
  return Math.round(x * 10) / 10
}

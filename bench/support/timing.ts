/** One timed run: wall-clock and process CPU time (user + system, all threads), in ms. */
export interface Timing {
  readonly wallMs: number
  readonly cpuMs: number
}

/** Runs `fn` once and times it. */
export async function timeRun(fn: () => unknown): Promise<Timing> {
  const cpu0 = process.cpuUsage()
  const t0 = performance.now()
  await fn()
  const wallMs = performance.now() - t0
  const cpu = process.cpuUsage(cpu0)
  return { wallMs, cpuMs: (cpu.user + cpu.system) / 1000 }
}

/** Median of a non-empty list (the mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of nothing')
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2
}

/** Rounds to `digits` significant digits, for readable JSON. */
export function round(value: number, digits = 4): number {
  return Number(value.toPrecision(digits))
}

/** Writes a progress line to stderr, leaving stdout for the JSON result. */
export function progress(message: string): void {
  process.stderr.write(`[bench] ${message}\n`)
}

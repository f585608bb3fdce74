import { execFile } from 'node:child_process'
import { resolve } from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)

/** The real `selvedge` executable, as users run it. */
export const SELVEDGE_BIN = resolve(import.meta.dirname, '../../bin/selvedge')

/**
 * The environment for a CLI run in `dataDir`: this process's environment without `DATABASE_URL`
 * (CI sets one for the Postgres suites) or `SELVEDGE_KEY`, so the embedded default runs and the
 * local owner acts; then `extra`, which may set either on purpose (a Postgres run).
 */
export function cliEnv(dataDir: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env }
  delete env['DATABASE_URL']
  delete env['SELVEDGE_KEY']
  return { ...env, SELVEDGE_DATA: dataDir, ...extra }
}

export interface CliResult {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
  /** stdout as bytes, for commands that print binary data. */
  readonly raw: Buffer
}

/** Runs `selvedge ARGS…` to completion; a non-zero exit is a result, not an error. */
export async function runCli(
  args: readonly string[],
  opts: { dataDir: string; cwd: string; env?: NodeJS.ProcessEnv },
): Promise<CliResult> {
  try {
    const { stdout, stderr } = await run(SELVEDGE_BIN, [...args], {
      env: cliEnv(opts.dataDir, opts.env),
      cwd: opts.cwd,
      encoding: 'buffer',
      maxBuffer: 64 * 1024 * 1024,
    })
    return {
      code: 0,
      stdout: stdout.toString('utf8'),
      stderr: stderr.toString('utf8'),
      raw: stdout,
    }
  } catch (err) {
    const e = err as { code: number; stdout: Buffer; stderr: Buffer }
    return {
      code: e.code,
      stdout: e.stdout.toString('utf8'),
      stderr: e.stderr.toString('utf8'),
      raw: e.stdout,
    }
  }
}

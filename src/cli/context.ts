import { defaultDataDir, logConfigFromEnv, openSelvedge, type Selvedge } from '../compose.js'
import type { Caller } from '../core/access/index.js'

/** What every command gets: its parsed arguments, output helpers and the data folder. */
export interface CommandContext {
  readonly positionals: readonly string[]
  readonly flags: Readonly<Record<string, string | boolean | string[] | undefined>>
  readonly json: boolean
  readonly dataDir: string
  readonly env: NodeJS.ProcessEnv
  /** Writes the command's result: JSON on stdout with --json, otherwise `human`. */
  result(value: unknown, human: string): void
  /** A progress or informational line for people: stderr, never stdout. */
  info(line: string): void
  /** Opens the data folder (SQLite + blobs, or PostgreSQL with DATABASE_URL). */
  open(): Promise<Selvedge>
}

export interface Command {
  readonly name: string
  readonly summary: string
  readonly usage: string
  readonly options: Record<
    string,
    { type: 'string' | 'boolean'; multiple?: boolean; short?: string }
  >
  run(ctx: CommandContext): Promise<number>
}

export function makeContext(input: {
  positionals: string[]
  flags: Record<string, string | boolean | string[] | undefined>
  stdout: (s: string) => void
  stderr: (s: string) => void
  env: NodeJS.ProcessEnv
}): CommandContext {
  const json = input.flags['json'] === true
  const dataFlag = input.flags['data']
  const dataDir = typeof dataFlag === 'string' ? dataFlag : defaultDataDir(input.env)
  return {
    positionals: input.positionals,
    flags: input.flags,
    json,
    dataDir,
    env: input.env,
    result(value, human) {
      input.stdout(json ? `${JSON.stringify(value)}\n` : `${human}\n`)
    },
    info(line) {
      input.stderr(`${line}\n`)
    },
    open: () =>
      openSelvedge({
        dataDir,
        databaseUrl: input.env['DATABASE_URL'],
        databaseSchema: input.env['SELVEDGE_DB_SCHEMA'],
        masterKey: input.env['SELVEDGE_MASTER_KEY'],
        log: logConfigFromEnv(input.env),
        now: input.env['SELVEDGE_NOW'],
      }),
  }
}

/**
 * The caller for local commands: the key in `SELVEDGE_KEY` when set, otherwise the studio owner
 * (initialising the studio on first use, exactly as `selvedge init` would).
 */
export async function localCaller(selvedge: Selvedge, env: NodeJS.ProcessEnv): Promise<Caller> {
  const key = env['SELVEDGE_KEY']
  if (key !== undefined && key !== '') return selvedge.keys.authenticate(key)
  const { ownerKey } = await selvedge.studios.init()
  return selvedge.keys.authenticate(ownerKey)
}

/** A command was called wrongly: exit status 2 with its usage line. */
export class UsageError extends Error {}

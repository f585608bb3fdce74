import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import pg from 'pg'
import { expect } from 'vitest'
import { openSelvedge, type Selvedge } from '../../src/compose.js'
import type { Caller } from '../../src/core/access/index.js'
import { buildRepeat } from '../../src/core/repeat/index.js'
import { encode, flatTile } from '../support/images.js'
import { type CliResult, runCli } from '../support/run-cli.js'

/** `DATABASE_URL` when set and not empty. */
export const DATABASE_URL =
  process.env['DATABASE_URL'] === undefined || process.env['DATABASE_URL'] === ''
    ? undefined
    : process.env['DATABASE_URL']

/** Dialects to run a metering suite on: SQLite always, PostgreSQL with `DATABASE_URL`. */
export const DIALECTS: readonly ('sqlite' | 'postgres')[] =
  DATABASE_URL === undefined ? ['sqlite'] : ['sqlite', 'postgres']

/**
 * One Selvedge data folder (and, for PostgreSQL, one throwaway schema) opened again at each
 * instant a test names, the way `SELVEDGE_NOW` fixes the clock of one process.
 */
export class World {
  private current: Selvedge | null = null
  private constructor(
    readonly dir: string,
    readonly dialect: 'sqlite' | 'postgres',
    /** The Postgres schema of this world; undefined on SQLite. */
    readonly schemaName: string | undefined,
  ) {}

  static async create(dialect: 'sqlite' | 'postgres'): Promise<World> {
    const dir = await mkdtemp(join(tmpdir(), 'selvedge-metering-'))
    const schema =
      dialect === 'postgres' ? `selvedge_test_${randomBytes(6).toString('hex')}` : undefined
    return new World(dir, dialect, schema)
  }

  /** The instance with its clock stopped at `now` (closing the previous one). */
  async at(now: string): Promise<Selvedge> {
    await this.current?.close()
    this.current = await openSelvedge({
      dataDir: this.dir,
      now,
      ...(this.dialect === 'postgres'
        ? { databaseUrl: DATABASE_URL, databaseSchema: this.schemaName }
        : {}),
      log: { batchIntervalMs: 20 },
    })
    return this.current
  }

  /** Environment for CLI runs against this world at `now`. */
  env(now: string): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      SELVEDGE_NOW: now,
      SELVEDGE_LOG_BATCH_MS: '20',
    }
    if (this.dialect === 'postgres') {
      env['DATABASE_URL'] = DATABASE_URL
      env['SELVEDGE_DB_SCHEMA'] = this.schemaName
    } else delete env['DATABASE_URL']
    return env
  }

  /** Runs one read-only SQL query on this world's database (SQLite file or its PG schema). */
  async query<T = Record<string, unknown>>(text: string): Promise<T[]> {
    if (this.schemaName === undefined) {
      const db = new BetterSqlite3(join(this.dir, 'selvedge.db'), { readonly: true })
      try {
        return db.prepare(text).all() as T[]
      } finally {
        db.close()
      }
    }
    const client = new pg.Client({ connectionString: DATABASE_URL })
    await client.connect()
    try {
      await client.query(`set search_path to "${this.schemaName}"`)
      return (await client.query(text)).rows as T[]
    } finally {
      await client.end()
    }
  }

  /** Closes the instance opened by {@link at}, so another process may use the data. */
  async release(): Promise<void> {
    await this.current?.close()
    this.current = null
  }

  async dispose(): Promise<void> {
    await this.current?.close()
    this.current = null
    if (this.schemaName !== undefined) {
      const client = new pg.Client({ connectionString: DATABASE_URL })
      await client.connect()
      try {
        await client.query(`drop schema if exists "${this.schemaName}" cascade`)
      } finally {
        await client.end()
      }
    }
    await rm(this.dir, { recursive: true, force: true })
  }
}

let inkShift = 0

/** A small flat three-ink pattern, different on every call. */
export async function patternPng(): Promise<Buffer> {
  inkShift = (inkShift + 37) % 200
  const inks: [number, number, number][] = [
    [20 + inkShift, 40, 90],
    [230, 210 - (inkShift % 50), 170],
    [190, 80, 40 + (inkShift % 60)],
  ]
  return encode(buildRepeat(flatTile(30, 24, inks), 'block', 120, 96))
}

/** A studio with a parent pattern, a derived child (10% to the parent), and keys. */
export interface Studio {
  readonly owner: Caller
  readonly ownerKey: string
  readonly parentId: string
  readonly childId: string
}

export async function makeStudio(s: Selvedge): Promise<Studio> {
  const { ownerKey } = await s.studios.init()
  const owner = await s.keys.authenticate(ownerKey)
  const parent = await s.assets.ingest(owner, {
    bytes: await patternPng(),
    metadata: {
      title: 'Parent weave',
      visibility: 'published',
      designers: [{ name: 'Ines', shareBps: 10_000 }],
    },
  })
  const child = await s.assets.ingest(owner, {
    bytes: await patternPng(),
    metadata: {
      title: 'Child colourway',
      visibility: 'published',
      designers: [
        { name: 'Ada', shareBps: 6000 },
        { name: 'Bo', shareBps: 4000 },
      ],
      lineage: [{ relation: 'colourwayOf', assetId: parent.asset.id, royaltyBps: 1000 }],
    },
  })
  return { owner, ownerKey, parentId: parent.asset.id, childId: child.asset.id }
}

/** Terms of the `extended` licence template, as its parameters take them. */
export interface ExtendedTerms {
  readonly unitCap: string
  readonly unitPrice: string
  readonly settlement: 'prepaid' | 'postpaid'
}

/**
 * Attaches the `extended` licence with `terms` to the studio's child pattern and agrees to it
 * as `licensee` for `units` (commercial print); the grant's id and token.
 */
export async function agreeToExtended(
  s: Selvedge,
  studio: Studio,
  licensee: Caller,
  terms: ExtendedTerms,
  units: number,
): Promise<{ grantId: string; grant: string }> {
  await s.licences.attach(studio.owner, studio.childId, {
    kind: 'template',
    template: 'extended',
    params: { ...terms },
  })
  const outcome = await s.licences.createAgreement(licensee, studio.childId, {
    action: 'reproduce',
    purpose: 'slv:commercialPrint',
    units,
  })
  if (outcome.kind !== 'agreed') throw new Error(outcome.decision.explanation)
  return { grantId: outcome.grantId, grant: outcome.grant }
}

/** A licensee key for `party`. */
export async function licenseeKey(s: Selvedge, owner: Caller, party: string): Promise<Caller> {
  const created = await s.keys.create(owner, { role: 'licensee', party })
  return s.keys.authenticate(created.key)
}

/** A CloudEvent reporting `units` of `kind` under `grantId` at `time`. */
export function usageEvent(
  grantId: string,
  units: number,
  time: string,
  opts: { id?: string; source?: string; kind?: string } = {},
): Record<string, unknown> {
  return {
    specversion: '1.0',
    id: opts.id ?? `evt-${randomBytes(8).toString('hex')}`,
    source: opts.source ?? 'https://mill.example/printers/line-1',
    type: `dev.selvedge.usage.${opts.kind ?? 'units'}`,
    subject: grantId,
    time,
    datacontenttype: 'application/json',
    data: { units },
  }
}

/**
 * Runs the real `selvedge` CLI against `world` at `now`, on its dialect (unlike `runCli`, which
 * always runs on SQLite). A non-zero exit is a result, not an error.
 */
export function runWorldCli(
  world: World,
  now: string,
  args: readonly string[],
  cwd: string = world.dir,
): Promise<CliResult> {
  const env: NodeJS.ProcessEnv = { SELVEDGE_NOW: now, SELVEDGE_LOG_BATCH_MS: '20' }
  if (world.dialect === 'postgres') {
    env['DATABASE_URL'] = DATABASE_URL
    env['SELVEDGE_DB_SCHEMA'] = world.schemaName
  }
  return runCli(args, { dataDir: world.dir, cwd, env })
}

/**
 * Asserts the double-entry invariants of a studio's ledger: every transaction's entries sum to
 * zero, and so do all entries of each currency. Returns the account sums.
 */
export async function expectBalancedLedger(
  s: Selvedge,
  studioId: string,
): Promise<readonly { account: string; currency: string; sum: number }[]> {
  const txs = await s.store.ledger.transactions(studioId)
  for (const t of txs) {
    expect(t.tx.entries.length, `entries of ${t.tx.id}`).toBeGreaterThan(0)
    expect(
      t.tx.entries.reduce((sum, e) => sum + e.amountMinor, 0),
      `sum of transaction ${t.tx.id}`,
    ).toBe(0)
    for (const e of t.tx.entries) expect(Number.isSafeInteger(e.amountMinor)).toBe(true)
  }
  const sums = await s.store.ledger.sums(studioId)
  const byCurrency = new Map<string, number>()
  for (const r of sums) byCurrency.set(r.currency, (byCurrency.get(r.currency) ?? 0) + r.sum)
  for (const [currency, total] of byCurrency) expect(total, `sum of ${currency}`).toBe(0)
  // No wallet is ever overdrawn: a wallet is credit-normal, so its sum is never positive.
  for (const r of sums) {
    if (r.account.startsWith('wallet:')) expect(r.sum, r.account).toBeLessThanOrEqual(0)
  }
  return sums
}

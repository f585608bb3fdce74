import { sql } from 'kysely'
import type {
  LogAppend,
  LogCheckpointRecord,
  LogRepository,
  LogSubmission,
} from '../../app/ports.js'
import { StorageError } from '../../app/storage-error.js'
import { storedHashCount } from '../../core/tlog/index.js'
import type { SqlSession } from './sql-session.js'

// Rows per multi-row statement: well under SQLite's 32,766 and PostgreSQL's 65,535 bound
// parameters, and large enough that a batch of thousands costs a handful of round trips.
const CHUNK_ROWS = 1000

/** The transparency log over Kysely; one log per database. */
export class KyselyLogRepository implements LogRepository {
  constructor(private readonly session: SqlSession) {}

  async submit(submissions: readonly LogSubmission[]): Promise<void> {
    if (submissions.length === 0) return
    await this.session.atomic('queue log entries', async (db) => {
      for (const chunk of chunks(submissions)) {
        await db
          .insertInto('log_pending')
          .values(
            chunk.map((s) => ({
              id: s.id,
              entry: toBuffer(s.entry),
              submitted_at: s.submittedAt,
              idx: null,
            })),
          )
          .execute()
      }
    })
  }

  async pending(limit: number): Promise<readonly LogSubmission[]> {
    const rows = await this.session.read('read queued log entries', (db) =>
      db
        .selectFrom('log_pending')
        .select(['id', 'entry', 'submitted_at'])
        .where('idx', 'is', null)
        .orderBy('submitted_at', 'asc')
        .orderBy('id', 'asc')
        .limit(limit)
        .execute(),
    )
    return rows.map((r) => ({ id: r.id, entry: toBytes(r.entry), submittedAt: r.submitted_at }))
  }

  async indexesOf(ids: readonly string[]): Promise<ReadonlyMap<string, number | null>> {
    const out = new Map<string, number | null>()
    for (const chunk of chunks(ids)) {
      const rows = await this.session.read('look up log submissions', (db) =>
        db.selectFrom('log_pending').select(['id', 'idx']).where('id', 'in', chunk).execute(),
      )
      for (const r of rows) out.set(r.id, r.idx === null ? null : Number(r.idx))
    }
    return out
  }

  async append(batch: LogAppend): Promise<void> {
    const { oldSize, entries, hashes, checkpoint } = batch
    if (checkpoint.size !== oldSize + entries.length) {
      throw new Error('the checkpoint size must be the old size plus the number of entries')
    }
    await this.session.atomic('append to the log', async (db) => {
      // Inside the transaction (SQLite: under the write lock), so two sequencers cannot both
      // extend the same size; on PostgreSQL the primary keys settle any race that passes here.
      const latest = await db
        .selectFrom('log_checkpoints')
        .select((eb) => eb.fn.max('size').as('size'))
        .executeTakeFirst()
      const latestSize =
        latest?.size === null || latest?.size === undefined ? null : Number(latest.size)
      if (latestSize === null ? oldSize !== 0 : latestSize !== oldSize) {
        throw new StorageError(
          'STORAGE_CONFLICT',
          `append to the log: the latest checkpoint is of size ${latestSize ?? 'none'}, not ${oldSize}`,
        )
      }
      for (const [start, chunk] of indexedChunks(entries)) {
        await db
          .insertInto('log_entries')
          .values(chunk.map((s, i) => ({ idx: oldSize + start + i, entry: toBuffer(s.entry) })))
          .execute()
        const values = sql.join(
          chunk.map((s, i) => sql`(${s.id}, ${sql.lit(oldSize + start + i)})`),
        )
        // VALUES in FROM names its columns column1, column2 on both SQLite and PostgreSQL; a
        // CTE would be materialised first, several times slower on SQLite.
        const updated = await sql`update log_pending set idx = v.column2
          from (values ${values}) as v
          where log_pending.id = v.column1 and log_pending.idx is null`.execute(db)
        if (Number(updated.numAffectedRows ?? 0) !== chunk.length) {
          throw new StorageError(
            'STORAGE_CONFLICT',
            'append to the log: a submission is unknown or already sequenced',
          )
        }
      }
      const firstHash = storedHashCount(oldSize)
      for (const [start, chunk] of indexedChunks(hashes)) {
        await db
          .insertInto('log_hashes')
          .values(chunk.map((h, i) => ({ idx: firstHash + start + i, hash: toBuffer(h) })))
          .execute()
      }
      await db
        .insertInto('log_checkpoints')
        .values({
          size: checkpoint.size,
          root_hash: toBuffer(checkpoint.rootHash),
          note: checkpoint.note,
          created_at: checkpoint.createdAt,
        })
        .execute()
    })
  }

  async latestCheckpoint(): Promise<LogCheckpointRecord | null> {
    const row = await this.session.read('read the latest checkpoint', (db) =>
      db
        .selectFrom('log_checkpoints')
        .selectAll()
        .orderBy('size', 'desc')
        .limit(1)
        .executeTakeFirst(),
    )
    return row === undefined ? null : toCheckpoint(row)
  }

  async checkpoint(size: number): Promise<LogCheckpointRecord | null> {
    const row = await this.session.read('read a checkpoint', (db) =>
      db.selectFrom('log_checkpoints').selectAll().where('size', '=', size).executeTakeFirst(),
    )
    return row === undefined ? null : toCheckpoint(row)
  }

  async checkpoints(fromSize: number, limit: number): Promise<readonly LogCheckpointRecord[]> {
    const rows = await this.session.read('list checkpoints', (db) =>
      db
        .selectFrom('log_checkpoints')
        .selectAll()
        .where('size', '>=', fromSize)
        .orderBy('size', 'asc')
        .limit(limit)
        .execute(),
    )
    return rows.map(toCheckpoint)
  }

  async entries(start: number, end: number): Promise<readonly Uint8Array[]> {
    if (end <= start) return []
    const rows = await this.session.read('read log entries', (db) =>
      db
        .selectFrom('log_entries')
        .select('entry')
        .where('idx', '>=', start)
        .where('idx', '<', end)
        .orderBy('idx', 'asc')
        .execute(),
    )
    return rows.map((r) => toBytes(r.entry))
  }

  async hashes(indexes: readonly number[]): Promise<ReadonlyMap<number, Uint8Array>> {
    const out = new Map<number, Uint8Array>()
    for (const chunk of chunks(indexes)) {
      const rows = await this.session.read('read stored hashes', (db) =>
        db.selectFrom('log_hashes').select(['idx', 'hash']).where('idx', 'in', chunk).execute(),
      )
      for (const r of rows) out.set(Number(r.idx), toBytes(r.hash))
    }
    return out
  }

  async addCosignature(
    size: number,
    witness: string,
    line: string,
    createdAt: string,
  ): Promise<void> {
    await this.session.write('record a cosignature', (db) =>
      db
        .insertInto('log_cosignatures')
        .values({ size, witness, line, created_at: createdAt })
        .onConflict((oc) =>
          oc.columns(['size', 'witness']).doUpdateSet({ line, created_at: createdAt }),
        )
        .execute(),
    )
  }

  async cosignatures(size: number): Promise<readonly string[]> {
    const rows = await this.session.read('read cosignatures', (db) =>
      db
        .selectFrom('log_cosignatures')
        .select('line')
        .where('size', '=', size)
        .orderBy('witness', 'asc')
        .execute(),
    )
    return rows.map((r) => r.line)
  }

  async prunePending(before: string): Promise<number> {
    const result = await this.session.write('prune sequenced submissions', (db) =>
      db
        .deleteFrom('log_pending')
        .where('idx', 'is not', null)
        .where('submitted_at', '<', before)
        .executeTakeFirst(),
    )
    return Number(result.numDeletedRows)
  }
}

function toCheckpoint(row: {
  size: number | string
  root_hash: Buffer
  note: string
  created_at: string
}): LogCheckpointRecord {
  return {
    size: Number(row.size),
    rootHash: toBytes(row.root_hash),
    note: row.note,
    createdAt: row.created_at,
  }
}

function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
}

function toBytes(buffer: Buffer): Uint8Array {
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength)
}

function* chunks<T>(items: readonly T[]): Generator<T[]> {
  for (let i = 0; i < items.length; i += CHUNK_ROWS) yield items.slice(i, i + CHUNK_ROWS)
}

function* indexedChunks<T>(items: readonly T[]): Generator<[number, T[]]> {
  for (let i = 0; i < items.length; i += CHUNK_ROWS) yield [i, items.slice(i, i + CHUNK_ROWS)]
}

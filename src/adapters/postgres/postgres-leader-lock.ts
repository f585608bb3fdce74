import { createHash } from 'node:crypto'
import pg from 'pg'
import type { LeaderLease, LeaderLock } from '../../app/ports.js'
import { StorageError } from '../../app/storage-error.js'

/** The part of node-postgres's `Client` this lock uses. */
interface PgClient {
  connect(): Promise<unknown>
  query(text: string, values?: readonly unknown[]): Promise<{ rows: Record<string, unknown>[] }>
  end(): Promise<void>
  on(event: 'error' | 'end', listener: () => void): unknown
}

/** How often a held lease checks that its connection (and so its lock) is still alive. */
export const LEASE_CHECK_MS = 1_000

/**
 * Leader roles as PostgreSQL session advisory locks, each on a dedicated connection outside the
 * pool: the lock lives exactly as long as that session, so a crashed holder's role is free as
 * soon as the server notices the connection is gone. Keys are derived from the schema and the
 * role name, so stores in separate schemas of one database do not contend.
 */
export class PostgresLeaderLock implements LeaderLock {
  private readonly leases = new Set<{ release(): Promise<void> }>()

  constructor(
    private readonly url: string,
    private readonly namespace: string,
  ) {}

  async tryAcquire(name: string): Promise<LeaderLease | null> {
    const client: PgClient = new pg.Client({ connectionString: this.url, keepAlive: true })
    let isHeld = false
    let timer: NodeJS.Timeout | undefined
    const leases = this.leases
    const lease = {
      get isHeld() {
        return isHeld
      },
      async release() {
        if (timer !== undefined) clearInterval(timer)
        leases.delete(lease)
        const wasHeld = isHeld
        isHeld = false
        if (wasHeld) await client.end().catch(() => undefined)
      },
    }
    // A dropped connection ends the session and with it the lock: the lease is lost at once.
    const lose = () => {
      if (!isHeld) return
      void lease.release()
    }
    client.on('error', lose)
    client.on('end', lose)
    try {
      await client.connect()
      const result = await client.query('select pg_try_advisory_lock($1::bigint) as ok', [
        lockKey(this.namespace, name),
      ])
      if (result.rows[0]?.['ok'] !== true) {
        await client.end().catch(() => undefined)
        return null
      }
    } catch (error) {
      await client.end().catch(() => undefined)
      throw new StorageError('STORAGE_FAILURE', 'taking the leader lock failed', { cause: error })
    }
    isHeld = true
    leases.add(lease)
    timer = setInterval(() => {
      client.query('select 1').catch(lose)
    }, LEASE_CHECK_MS)
    timer.unref()
    return lease
  }

  /** Releases every lease this lock handed out. */
  async close(): Promise<void> {
    await Promise.all([...this.leases].map((l) => l.release()))
  }
}

function lockKey(namespace: string, name: string): string {
  const digest = createHash('sha256').update(`selvedge\u0000${namespace}\u0000${name}`).digest()
  return digest.readBigInt64BE(0).toString()
}

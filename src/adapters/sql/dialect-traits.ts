/**
 * What differs between the SQL databases the repositories run on; everything else is written once
 * over Kysely. Each dialect folder provides one of these.
 */
export interface DialectTraits {
  readonly name: 'sqlite' | 'postgres'
  /** The statement that opens a read-write transaction. */
  readonly beginSql: string
  /** True when the driver error is a unique or primary-key violation. */
  isUniqueViolation(error: unknown): boolean
  /** True when the driver error is a foreign-key violation. */
  isForeignKeyViolation(error: unknown): boolean
  /**
   * Where the driver is synchronous and in-process (SQLite), runs one prepared `insert` per row:
   * cheaper than any single statement carrying all the rows (half the CPU of a JSON array for
   * 1,000 usage events). It writes on the process's one connection directly, so call it only
   * inside `atomic` or a transaction: they hold that connection (Kysely's connection lock) for
   * their whole run, and the rows land in their transaction or savepoint, with nothing else
   * interleaved. Absent where each statement is a round trip (PostgreSQL).
   */
  readonly insertRows?: (insertSql: string, rows: readonly (readonly unknown[])[]) => void
}

/** The part of a driver error the dialect traits read. */
export interface DriverErrorShape {
  readonly code?: unknown
}

/** The driver's error code, when the error carries a string one. */
export function driverErrorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined
  const code = (error as DriverErrorShape).code
  return typeof code === 'string' ? code : undefined
}

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
   * Where the driver is synchronous and in-process (SQLite), runs one prepared `insert` per row on
   * the connection the caller holds: cheaper than any single statement carrying all the rows
   * (half the CPU of a JSON array for 1,000 usage events). Call it only inside `atomic` or a
   * transaction, whose connection it uses. Absent where each statement is a round trip.
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

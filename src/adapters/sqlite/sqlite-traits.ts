import { type DialectTraits, driverErrorCode } from '../sql/index.js'

/** The part of a better-sqlite3 connection the traits use. */
export interface SqliteStatementSource {
  prepare(text: string): { run(parameters: readonly unknown[]): unknown }
}

/** SQLite's differences, as better-sqlite3 reports them (`SqliteError.code`). */
export const SQLITE_TRAITS: DialectTraits = {
  name: 'sqlite',
  // IMMEDIATE takes the write lock up front: a deferred transaction that reads and then writes
  // fails with SQLITE_BUSY, without waiting, when another process wrote in between.
  beginSql: 'begin immediate',
  isUniqueViolation: (error) => {
    const code = driverErrorCode(error)
    return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
  },
  isForeignKeyViolation: (error) => driverErrorCode(error) === 'SQLITE_CONSTRAINT_FOREIGNKEY',
}

/**
 * The traits of one connection: with `insertRows`, which runs a prepared statement per row.
 * better-sqlite3 is synchronous and the connection is the process's only one, so the rows go
 * into whatever transaction the caller has open on it.
 */
export function sqliteTraits(connection: SqliteStatementSource): DialectTraits {
  return {
    ...SQLITE_TRAITS,
    insertRows: (insertSql, rows) => {
      const statement = connection.prepare(insertSql)
      for (const row of rows) statement.run(row)
    },
  }
}

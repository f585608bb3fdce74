import { type DialectTraits, driverErrorCode } from '../sql/index.js'

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

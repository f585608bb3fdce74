import { type DialectTraits, driverErrorCode } from '../sql/index.js'

// PostgreSQL Appendix A, error codes: class 23, integrity constraint violation.
const UNIQUE_VIOLATION = '23505'
const FOREIGN_KEY_VIOLATION = '23503'

/** PostgreSQL's differences, as node-postgres reports them (`DatabaseError.code`, a SQLSTATE). */
export const POSTGRES_TRAITS: DialectTraits = {
  name: 'postgres',
  beginSql: 'begin',
  isUniqueViolation: (error) => driverErrorCode(error) === UNIQUE_VIOLATION,
  isForeignKeyViolation: (error) => driverErrorCode(error) === FOREIGN_KEY_VIOLATION,
}

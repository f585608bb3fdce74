export { openSqliteStore, SQLITE_BUSY_TIMEOUT_MS } from './open-sqlite-store.js'
export { SQLITE_TRAITS } from './sqlite-traits.js'

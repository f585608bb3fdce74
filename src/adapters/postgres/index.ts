export type { PostgresStoreOptions } from './open-postgres-store.js'
export { openPostgresStore } from './open-postgres-store.js'
export { POSTGRES_TRAITS } from './postgres-traits.js'

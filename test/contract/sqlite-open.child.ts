import { openSqliteStore } from '../../src/adapters/sqlite/index.js'

// Child process for sqlite-store.test.ts: opens (and so migrates) the database at argv[2],
// creates a studio with id argv[3], and exits 0.
const [path, studioId] = process.argv.slice(2)
if (path === undefined || studioId === undefined) {
  throw new Error('usage: sqlite-open.child.ts <path> <studio id>')
}
const store = await openSqliteStore(path)
await store.studios.create({
  id: studioId,
  name: 'from a child',
  createdAt: new Date().toISOString(),
})
await store.close()

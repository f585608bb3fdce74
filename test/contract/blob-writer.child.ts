import { randomBytes } from 'node:crypto'
import { FsBlobStore } from '../../src/adapters/blob-fs/index.js'

// Child process for the crash test in blob-fs.test.ts: stores random blobs until killed,
// printing each hash once `put` has resolved.
const root = process.argv[2]
if (root === undefined) throw new Error('usage: blob-writer.child.ts <root>')
const store = new FsBlobStore(root)
for (;;) {
  const { sha256 } = await store.put(randomBytes(256 * 1024 + Math.floor(Math.random() * 65536)))
  process.stdout.write(`${sha256}\n`)
}

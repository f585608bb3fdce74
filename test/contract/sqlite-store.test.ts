import { spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import BetterSqlite3 from 'better-sqlite3'
import { afterAll, describe, expect, it } from 'vitest'
import { MIGRATIONS } from '../../src/adapters/sql/index.js'
import { openSqliteStore } from '../../src/adapters/sqlite/index.js'
import { makeStudio } from './factories.js'
import { describeStore } from './store.contract.js'

const dirs: string[] = []

async function tempDatabase(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'selvedge-sqlite-'))
  dirs.push(dir)
  return join(dir, 'selvedge.db')
}

afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })))
})

describeStore('sqlite file', async () => openSqliteStore(await tempDatabase()))
describeStore('sqlite :memory:', () => openSqliteStore(':memory:'))

describe('openSqliteStore', () => {
  it('keeps data across reopening and migrates only once', async () => {
    const path = await tempDatabase()
    const studio = makeStudio()
    const first = await openSqliteStore(path)
    await first.studios.create(studio)
    await first.close()
    await first.close()
    const second = await openSqliteStore(path)
    expect(await second.studios.get(studio.id)).toEqual(studio)
    await second.close()
    const raw = new BetterSqlite3(path, { readonly: true })
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(raw.prepare('select count(*) as n from kysely_migration').get()).toEqual({
      n: Object.keys(MIGRATIONS).length,
    })
    raw.close()
  })

  it('lets several processes open and migrate a new file at once', async () => {
    const path = await tempDatabase()
    const child = fileURLToPath(new URL('./sqlite-open.child.ts', import.meta.url))
    const ids = Array.from({ length: 4 }, (_, i) => `std_child_${i}`)
    const exits = await Promise.all(
      ids.map(
        (id) =>
          new Promise<{ code: number | null; stderr: string }>((resolve) => {
            const p = spawn(process.execPath, ['--import', 'tsx', child, path, id], {
              stdio: ['ignore', 'ignore', 'pipe'],
            })
            let stderr = ''
            p.stderr.on('data', (chunk: Buffer) => {
              stderr += chunk.toString('utf8')
            })
            p.on('exit', (code) => resolve({ code, stderr }))
          }),
      ),
    )
    for (const exit of exits) expect(exit).toEqual({ code: 0, stderr: '' })
    const store = await openSqliteStore(path)
    for (const id of ids) expect((await store.studios.get(id))?.id).toBe(id)
    await store.close()
  })

  it('wraps an unopenable path in STORAGE_FAILURE', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'selvedge-sqlite-'))
    dirs.push(dir)
    await expect(openSqliteStore(join(dir, 'missing', 'deeper', 'x.db'))).rejects.toMatchObject({
      code: 'STORAGE_FAILURE',
    })
  })
})

import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { afterAll, describe, expect, it } from 'vitest'
import { openSelvedge } from '../../src/compose.js'
import { encode, noiseImage } from '../support/images.js'

const DATABASE_URL = process.env['DATABASE_URL']
const dirs: string[] = []
const schemas: string[] = []

afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })))
  if (DATABASE_URL === undefined || DATABASE_URL === '' || schemas.length === 0) return
  const client = new pg.Client({ connectionString: DATABASE_URL })
  await client.connect()
  try {
    for (const s of schemas) await client.query(`drop schema if exists "${s}" cascade`)
  } finally {
    await client.end()
  }
})

const dialects: { name: string; url?: string }[] = [{ name: 'sqlite' }]
if (DATABASE_URL !== undefined && DATABASE_URL !== '') {
  dialects.push({ name: 'postgres', url: DATABASE_URL })
}

describe.each(dialects)('ProvenanceService on $name', ({ url }) => {
  it('numbers concurrent steps 1..n without gaps, each logged, in time order', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'selvedge-provenance-'))
    dirs.push(dir)
    const schema = `selvedge_prov_${randomBytes(6).toString('hex')}`
    if (url !== undefined) schemas.push(schema)
    const selvedge = await openSelvedge({
      dataDir: dir,
      ...(url === undefined ? {} : { databaseUrl: url, databaseSchema: schema }),
      log: { batchIntervalMs: 20 },
    })
    try {
      const { ownerKey } = await selvedge.studios.init()
      const caller = await selvedge.keys.authenticate(ownerKey)
      const { asset } = await selvedge.assets.ingest(caller, {
        bytes: await encode(noiseImage(32, 32, 99)),
      })
      const steps = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          selvedge.provenance.addStep(caller, asset.id, {
            actor: { kind: 'human', name: `Designer ${i}` },
            action: 'c2pa.drawing',
          }),
        ),
      )
      expect(steps.map((s) => s.seq).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6])
      expect(new Set(steps.map((s) => s.logIndex)).size).toBe(6)
      const journal = await selvedge.provenance.journal(caller, asset.id)
      expect(journal.tier).toBe('human-made')
      const whens = journal.steps.map((s) => s.when)
      expect(whens).toEqual([...whens].sort())
      expect((await selvedge.assets.get(caller, asset.id)).tier).toBe('human-made')
    } finally {
      await selvedge.close()
    }
  })
})

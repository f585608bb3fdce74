import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { afterAll, describe, expect, it } from 'vitest'
import { openSelvedge, type Selvedge } from '../../src/compose.js'
import type { Caller } from '../../src/core/access/index.js'
import { encode, noiseImage } from '../support/images.js'
import { exclusiveOffer, knownAnswerPolicy } from './policies.js'

const url = process.env['DATABASE_URL']
const dirs: string[] = []
const schemas: string[] = []

afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })))
  if (schemas.length > 0 && url !== undefined) {
    const client = new pg.Client({ connectionString: url })
    await client.connect()
    try {
      for (const s of schemas) await client.query(`drop schema if exists "${s}" cascade`)
    } finally {
      await client.end()
    }
  }
})

async function open(kind: 'sqlite' | 'postgres'): Promise<Selvedge> {
  const dir = await mkdtemp(join(tmpdir(), 'selvedge-race-'))
  dirs.push(dir)
  if (kind === 'sqlite') return openSelvedge({ dataDir: dir })
  const schema = `selvedge_test_${randomBytes(6).toString('hex')}`
  schemas.push(schema)
  return openSelvedge({ dataDir: dir, databaseUrl: url, databaseSchema: schema })
}

async function setup(s: Selvedge, policy: Record<string, unknown>, seed: number) {
  const { ownerKey } = await s.studios.init()
  const owner = await s.keys.authenticate(ownerKey)
  const { asset } = await s.assets.ingest(owner, {
    bytes: await encode(noiseImage(32, 32, seed)),
    metadata: { visibility: 'published' },
  })
  await s.licences.attach(owner, asset.id, { kind: 'policy', policy })
  const buyer = async (i: number): Promise<Caller> => {
    const k = await s.keys.create(owner, { role: 'licensee', party: `https://buyer.example/${i}` })
    return s.keys.authenticate(k.key)
  }
  return { owner, assetId: asset.id, buyer }
}

for (const kind of ['sqlite', 'postgres'] as const) {
  describe.skipIf(kind === 'postgres' && (url === undefined || url === ''))(
    `agreements race on ${kind}`,
    () => {
      it('sells an exclusive buyout to exactly one of concurrent buyers', async () => {
        const s = await open(kind)
        try {
          const { assetId, buyer } = await setup(s, exclusiveOffer(), 11)
          const buyers = await Promise.all(Array.from({ length: 8 }, (_, i) => buyer(i)))
          const outcomes = await Promise.all(
            buyers.map((b) => s.licences.createAgreement(b, assetId, { action: 'reproduce' })),
          )
          const agreed = outcomes.filter((o) => o.kind === 'agreed')
          expect(agreed).toHaveLength(1)
          for (const o of outcomes)
            if (o.kind === 'refused') expect(o.decision.outcome).toBe('deny')
          const studioId = buyers[0]?.studioId ?? ''
          const holder = await s.store.agreements.exclusiveHolder(studioId, assetId)
          expect(holder?.agreementId).toBe(
            agreed[0]?.kind === 'agreed' ? agreed[0].agreementId : '',
          )
        } finally {
          await s.close()
        }
      })

      it('prices concurrent threshold purchases as if made one after another', async () => {
        const s = await open(kind)
        try {
          const { assetId, buyer } = await setup(s, knownAnswerPolicy(), 12)
          const b = await buyer(99)
          const request = { action: 'reproduce', purpose: 'slv:commercialPrint', units: 4000 }
          const outcomes = await Promise.all(
            Array.from({ length: 4 }, () => s.licences.createAgreement(b, assetId, request)),
          )
          // 4 × 4,000 units against a 10,000-unit threshold: 6,000 units are charged at 0.02 EUR.
          let feeMinor = 0
          for (const o of outcomes) {
            expect(o.kind).toBe('agreed')
            for (const d of o.decision.duties) feeMinor += d.amount?.minor ?? 0
          }
          expect(feeMinor).toBe(12_000)
        } finally {
          await s.close()
        }
      })
    },
  )
}

import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildRepeat } from '../../src/core/repeat/index.js'
import { createApi } from '../../src/http/server.js'
import { encode, flatTile, noiseImage, pngWithClaimedSize } from '../support/images.js'
import { multipartBody } from '../support/multipart.js'
import { listFiles, tempSelvedge } from '../support/temp-selvedge.js'

const INKS: [number, number, number][] = [
  [0x1f, 0x3a, 0x5f],
  [0xe8, 0xd8, 0xb0],
  [0xc4, 0x5a, 0x2c],
]

let env: Awaited<ReturnType<typeof tempSelvedge>>
let app: FastifyInstance
let owner: string
let repeatPng: Buffer

beforeAll(async () => {
  env = await tempSelvedge()
  app = await createApi(env.selvedge)
  owner = (await env.selvedge.studios.init()).ownerKey
  repeatPng = await encode(buildRepeat(flatTile(90, 70, INKS), 'block', 450, 350))
})
afterAll(async () => {
  await app.close()
  await env.dispose()
})

const auth = (key: string) => ({ authorization: `Bearer ${key}` })

async function upload(key: string, file: Buffer, metadata?: unknown, filename = 'pattern.png') {
  const body = multipartBody([
    { name: 'file', filename, data: file },
    ...(metadata === undefined ? [] : [{ name: 'metadata', value: JSON.stringify(metadata) }]),
  ])
  return app.inject({
    method: 'POST',
    url: '/v1/assets',
    payload: body.payload,
    headers: { ...body.headers, ...auth(key) },
  })
}

async function counts() {
  const assets = await env.selvedge.store.assets.list(
    (await env.selvedge.store.studios.first())!.id,
    {},
    { limit: 200 },
  )
  return { assets: assets.items.length, blobs: (await listFiles(`${env.dir}/blobs/sha256`)).length }
}

describe('HTTP API', () => {
  it('answers health and serves an OpenAPI 3.1 document and docs', async () => {
    const health = await app.inject('/healthz')
    expect(health.statusCode).toBe(200)
    expect(health.json()).toEqual({ status: 'ok', database: 'sqlite' })
    const doc = (await app.inject('/openapi.json')).json()
    expect(doc.openapi).toBe('3.1.0')
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/v1/assets',
        '/v1/assets/{id}',
        '/v1/assets/{id}/file',
        '/v1/assets/{id}/similar',
        '/v1/keys',
        '/v1/keys/{id}',
      ]),
    )
    const docs = await app.inject('/docs/')
    expect([200, 302]).toContain(docs.statusCode)
  })

  it('refuses /v1 without a key or with a wrong key', async () => {
    const none = await app.inject('/v1/assets')
    expect(none.statusCode).toBe(401)
    expect(none.json().error.code).toBe('AUTH_KEY_MISSING')
    const wrong = await app.inject({ url: '/v1/assets', headers: auth('slv_not-a-key') })
    expect(wrong.statusCode).toBe(401)
    expect(wrong.json().error.code).toBe('AUTH_KEY_INVALID')
  })

  it('rejects bad files with stable codes and writes nothing', async () => {
    const before = await counts()
    const cases: [Buffer, number, string][] = [
      [Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1'), 415, 'IMAGE_UNSUPPORTED_TYPE'],
      [Buffer.from('just some text, not an image'), 415, 'IMAGE_UNSUPPORTED_TYPE'],
      [repeatPng.subarray(0, Math.floor(repeatPng.length / 2)), 422, 'IMAGE_UNREADABLE'],
      [Buffer.concat([repeatPng.subarray(0, 8), Buffer.alloc(64, 7)]), 422, 'IMAGE_UNREADABLE'],
      [pngWithClaimedSize(20_000, 20_000), 413, 'IMAGE_TOO_LARGE'],
      [pngWithClaimedSize(10_001, 10_000), 413, 'IMAGE_TOO_LARGE'],
    ]
    const jpeg = await encode(noiseImage(64, 64, 3), 'jpeg')
    cases.push([jpeg.subarray(0, jpeg.length - 200), 422, 'IMAGE_UNREADABLE'])
    for (const [bytes, status, code] of cases) {
      const r = await upload(owner, bytes)
      expect({ status: r.statusCode, code: r.json().error?.code }).toEqual({ status, code })
      expect(r.json().error.message).toEqual(expect.any(String))
    }
    expect(await counts()).toEqual(before)
  })

  it('stores a pattern once, with metadata, analysis and its file', async () => {
    const created = await upload(owner, repeatPng, {
      title: 'Harbour Bands',
      tags: ['Geometric', 'stripe'],
      motifs: ['dot'],
      designers: [
        { name: 'Ada Weaver', shareBps: 6000 },
        { name: 'Ben Loom', shareBps: 4000 },
      ],
      collection: 'Coastal',
      print: { dpi: 150 },
      construction: { maxScreens: 3, jacquardEnds: 2400, jacquardPicks: 3000 },
    })
    expect(created.statusCode).toBe(201)
    const asset = created.json()
    expect(asset).toMatchObject({
      title: 'Harbour Bands',
      tags: ['geometric', 'stripe'],
      visibility: 'private',
      collection: { name: 'Coastal' },
      repeat: { type: 'block', tileWidthPx: 90, tileHeightPx: 70 },
      print: { dpi: 150, widthCm: 7.62, heightCm: 5.93 },
      construction: { maxScreens: 3, jacquardEnds: 2400, jacquardPicks: 3000 },
    })
    expect(asset.designers.map((d: { shareBps: number }) => d.shareBps)).toEqual([6000, 4000])
    expect(asset.palette).toHaveLength(3)

    const again = await upload(owner, repeatPng)
    expect(again.statusCode).toBe(200)
    expect(again.json().id).toBe(asset.id)

    const file = await app.inject({ url: `/v1/assets/${asset.id}/file`, headers: auth(owner) })
    expect(file.statusCode).toBe(200)
    expect(file.headers['content-type']).toBe('image/png')
    expect(Buffer.compare(file.rawPayload, repeatPng)).toBe(0)

    const full = await app.inject({
      url: `/v1/assets/${asset.id}?versions=true`,
      headers: auth(owner),
    })
    expect(full.json().versions[0].analysis.repeat).toMatchObject({
      type: 'block',
      tileWidth: 90,
      tileHeight: 70,
    })
  })

  it('validates metadata and lineage atomically', async () => {
    const before = await counts()
    const bad = await upload(owner, await encode(noiseImage(80, 80, 11)), {
      title: 'x',
      colour: 'red',
    })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().error.code).toBe('ASSET_METADATA_INVALID')
    const badLineage = await upload(owner, await encode(noiseImage(80, 80, 12)), {
      lineage: [{ relation: 'colourwayOf', assetId: 'ast_missing' }],
    })
    expect(badLineage.statusCode).toBe(422)
    expect(badLineage.json().error.code).toBe('ASSET_LINEAGE_INVALID')
    expect(await counts()).toEqual(before)
  })

  it('lists with filters and cursor pagination, and edits metadata', async () => {
    const ids: string[] = []
    for (let i = 0; i < 5; i++) {
      const r = await upload(owner, await encode(noiseImage(64, 64, 100 + i)), {
        title: `Noise ${i}`,
        tags: i % 2 ? ['odd'] : ['even'],
      })
      expect(r.statusCode).toBe(201)
      ids.push(r.json().id)
    }
    const seen: string[] = []
    let cursor: string | null = null
    do {
      const url: string = `/v1/assets?limit=2${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`
      const page = (await app.inject({ url, headers: auth(owner) })).json()
      expect(page.items.length).toBeLessThanOrEqual(2)
      seen.push(...page.items.map((a: { id: string }) => a.id))
      cursor = page.nextCursor
    } while (cursor !== null)
    expect(new Set(seen).size).toBe(seen.length)
    for (const id of ids) expect(seen).toContain(id)

    const odd = (await app.inject({ url: '/v1/assets?tag=odd', headers: auth(owner) })).json()
    expect(odd.items.map((a: { title: string }) => a.title).sort()).toEqual(['Noise 1', 'Noise 3'])
    const blockOnly = (
      await app.inject({ url: '/v1/assets?repeat=block', headers: auth(owner) })
    ).json()
    expect(
      blockOnly.items.every((a: { repeat: { type: string } }) => a.repeat.type === 'block'),
    ).toBe(true)
    const navy = (
      await app.inject({ url: '/v1/assets?colour=%231f3a5f', headers: auth(owner) })
    ).json()
    expect(navy.items.map((a: { title: string }) => a.title)).toEqual(['Harbour Bands'])

    const patched = await app.inject({
      method: 'PATCH',
      url: `/v1/assets/${ids[0]}`,
      headers: auth(owner),
      payload: {
        title: 'Renamed',
        visibility: 'published',
        lineage: [{ relation: 'variantOf', assetId: ids[1] }],
      },
    })
    expect(patched.statusCode).toBe(200)
    expect(patched.json()).toMatchObject({
      title: 'Renamed',
      visibility: 'published',
      tags: ['even'],
    })
    const badPatch = await app.inject({
      method: 'PATCH',
      url: `/v1/assets/${ids[0]}`,
      headers: auth(owner),
      payload: { title: 'Nope', lineage: [{ relation: 'variantOf', assetId: ids[0] }] },
    })
    expect(badPatch.statusCode).toBe(422)
    const still = (await app.inject({ url: `/v1/assets/${ids[0]}`, headers: auth(owner) })).json()
    expect(still.title).toBe('Renamed')
  })

  it('adds versions: the new file becomes current, the old one stays readable', async () => {
    const first = await upload(owner, await encode(noiseImage(96, 64, 700)), { title: 'Versioned' })
    expect(first.statusCode).toBe(201)
    const id = first.json().id
    const v2bytes = await encode(buildRepeat(flatTile(48, 32, INKS), 'half-brick', 96, 64))
    const send = async (bytes: Buffer, target = id) => {
      const body = multipartBody([{ name: 'file', filename: 'v.png', data: bytes }])
      return app.inject({
        method: 'POST',
        url: `/v1/assets/${target}/versions`,
        payload: body.payload,
        headers: { ...body.headers, ...auth(owner) },
      })
    }
    const v2 = await send(v2bytes)
    expect(v2.statusCode).toBe(201)
    expect(v2.json()).toMatchObject({ id, currentVersion: 2, title: 'Versioned' })
    expect(v2.json().palette).toHaveLength(3)
    expect((await send(v2bytes)).statusCode).toBe(200)
    const inUse = await send(repeatPng)
    expect(inUse.statusCode).toBe(409)
    expect(inUse.json().error.code).toBe('ASSET_FILE_IN_USE')
    expect((await send(v2bytes, 'ast_nope')).statusCode).toBe(404)
    const bad = await send(Buffer.from('nope'))
    expect(bad.statusCode).toBe(415)
    const full = (
      await app.inject({ url: `/v1/assets/${id}?versions=true`, headers: auth(owner) })
    ).json()
    expect(full.versions.map((v: { version: number }) => v.version)).toEqual([1, 2])
    const old = await app.inject({ url: `/v1/assets/${id}/file?version=1`, headers: auth(owner) })
    expect(old.statusCode).toBe(200)
    const current = await app.inject({ url: `/v1/assets/${id}/file`, headers: auth(owner) })
    expect(Buffer.compare(current.rawPayload, v2bytes)).toBe(0)
    const missing = await app.inject({
      url: `/v1/assets/${id}/file?version=3`,
      headers: auth(owner),
    })
    expect(missing.json().error.code).toBe('ASSET_VERSION_NOT_FOUND')
  })

  it('finds near-duplicates by PDQ', async () => {
    const list = (await app.inject({ url: '/v1/assets?q=harbour', headers: auth(owner) })).json()
    const original = list.items[0].id
    const jpeg = await encode(buildRepeat(flatTile(90, 70, INKS), 'block', 450, 350), 'jpeg')
    const copy = await upload(owner, jpeg, { title: 'Harbour Bands (JPEG)' })
    expect(copy.statusCode).toBe(201)
    const similar = (
      await app.inject({ url: `/v1/assets/${original}/similar`, headers: auth(owner) })
    ).json()
    expect(similar.items[0]).toMatchObject({ assetId: copy.json().id })
    expect(similar.items[0].distance).toBeLessThanOrEqual(31)
    expect(similar.items.map((h: { assetId: string }) => h.assetId)).not.toContain(original)
  })

  it('scopes keys by role and revokes them at once', async () => {
    const created = await app.inject({
      method: 'POST',
      url: '/v1/keys',
      headers: auth(owner),
      payload: { role: 'licensee', party: 'https://acme.example/licensing', name: 'Acme' },
    })
    expect(created.statusCode).toBe(201)
    const licensee = created.json()
    expect(licensee).toMatchObject({ role: 'licensee', party: 'https://acme.example/licensing' })
    expect(licensee.key).toMatch(/^slv_[A-Za-z0-9_-]{43}$/)

    const seen = (
      await app.inject({ url: '/v1/assets?limit=200', headers: auth(licensee.key) })
    ).json()
    expect(seen.items.length).toBeGreaterThan(0)
    expect(seen.items.every((a: { visibility: string }) => a.visibility === 'published')).toBe(true)
    expect(seen.items.every((a: { lineage: unknown[] }) => a.lineage.length === 0)).toBe(true)
    const privateOne = (
      await app.inject({ url: '/v1/assets?q=noise%201', headers: auth(owner) })
    ).json().items[0]
    expect(
      (await app.inject({ url: `/v1/assets/${privateOne.id}`, headers: auth(licensee.key) }))
        .statusCode,
    ).toBe(404)

    const forbidden = await upload(licensee.key, await encode(noiseImage(32, 32, 999)))
    expect(forbidden.statusCode).toBe(403)
    const noKeys = await app.inject({
      method: 'POST',
      url: '/v1/keys',
      headers: auth(licensee.key),
      payload: { role: 'owner' },
    })
    expect(noKeys.statusCode).toBe(403)
    const badIri = await app.inject({
      method: 'POST',
      url: '/v1/keys',
      headers: auth(owner),
      payload: { role: 'agent', party: 'not an iri' },
    })
    expect(badIri.statusCode).toBe(400)

    const listed = (await app.inject({ url: '/v1/keys', headers: auth(owner) })).json()
    expect(JSON.stringify(listed)).not.toContain(licensee.key)
    const revoked = await app.inject({
      method: 'DELETE',
      url: `/v1/keys/${licensee.id}`,
      headers: auth(owner),
    })
    expect(revoked.statusCode).toBe(204)
    const after = await app.inject({ url: '/v1/assets', headers: auth(licensee.key) })
    expect(after.statusCode).toBe(401)
  })

  it('never shows another studio’s assets', async () => {
    {
      // Same database, second studio: created directly through the store and key service.
      const store = env.selvedge.store
      await store.studios.create({
        id: 'std_other',
        name: 'Other',
        createdAt: new Date().toISOString(),
      })
      const key = await env.selvedge.keys.mint(store, 'std_other', { role: 'owner' })
      const mine = (await app.inject({ url: '/v1/assets?limit=1', headers: auth(owner) })).json()
        .items[0]
      const r = await app.inject({ url: `/v1/assets/${mine.id}`, headers: auth(key.key) })
      expect(r.statusCode).toBe(404)
      expect(r.json().error.code).toBe('ASSET_NOT_FOUND')
      const list = (await app.inject({ url: '/v1/assets', headers: auth(key.key) })).json()
      expect(list.items).toEqual([])
      const file = await app.inject({ url: `/v1/assets/${mine.id}/file`, headers: auth(key.key) })
      expect(file.statusCode).toBe(404)
    }
  })
})

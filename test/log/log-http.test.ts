import { createHash } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  decodeEntryBundle,
  leafHash,
  openNote,
  parseCheckpoint,
  verifyConsistency,
  verifyProofFile,
} from '../../src/core/tlog/index.js'
import { createApi } from '../../src/http/server.js'
import { encode, noiseImage } from '../support/images.js'
import { multipartBody } from '../support/multipart.js'
import { tempSelvedge } from '../support/temp-selvedge.js'

let env: Awaited<ReturnType<typeof tempSelvedge>>
let app: FastifyInstance
let owner: string

beforeAll(async () => {
  env = await tempSelvedge()
  app = await createApi(env.selvedge)
  owner = (await env.selvedge.studios.init()).ownerKey
})
afterAll(async () => {
  await app.close()
  await env.dispose()
})

const entry = (i: number) => ({
  type: 'test.http',
  studio: 'std_http',
  time: '2026-01-01T00:00:00Z',
  i,
})

describe('/log over HTTP', () => {
  it('answers an asset upload with its log index, provable from the public routes alone', async () => {
    const png = await encode(noiseImage(64, 48, 11))
    const body = multipartBody([
      { name: 'file', filename: 'noise.png', contentType: 'image/png', data: png },
    ])
    const upload = await app.inject({
      method: 'POST',
      url: '/v1/assets',
      payload: body.payload,
      headers: { ...body.headers, authorization: `Bearer ${owner}` },
    })
    expect(upload.statusCode).toBe(201)
    const asset = upload.json()
    expect(Number.isInteger(asset.logIndex)).toBe(true)

    // Everything below is public: no Authorization header.
    const vkey = (await app.inject('/log/vkey')).body.trim()
    const proof = await app.inject(`/log/proof?index=${asset.logIndex}`)
    expect(proof.statusCode).toBe(200)
    expect(proof.headers['content-type']).toBe('text/plain; charset=utf-8')
    const bundle = await app.inject(`/log/tile/entries/000.p/${asset.logIndex + 1}`)
    const logged = decodeEntryBundle(bundle.rawPayload)[asset.logIndex] as Uint8Array
    const fact = JSON.parse(new TextDecoder().decode(logged))
    expect(fact).toMatchObject({
      type: 'asset.registered',
      studio: asset.studioId,
      asset: asset.id,
      sha256: createHash('sha256').update(png).digest('hex'),
    })
    expect(fact.metadataSha256).toMatch(/^[0-9a-f]{64}$/)
    expect(verifyProofFile({ vkey, proofFile: proof.body, entry: logged })).toMatchObject({
      ok: true,
      index: asset.logIndex,
    })

    // The same file again is `existing`: nothing new is logged.
    const again = await app.inject({
      method: 'POST',
      url: '/v1/assets',
      payload: body.payload,
      headers: { ...body.headers, authorization: `Bearer ${owner}` },
    })
    expect(again.statusCode).toBe(200)
    expect(again.json().logIndex).toBeUndefined()
  })

  it('serves the checkpoint, tiles and bundles with the tlog-tiles layout and cache headers', async () => {
    await env.selvedge.log.append(Array.from({ length: 300 }, (_, i) => entry(i)))
    const cp = await app.inject('/log/checkpoint')
    expect(cp.statusCode).toBe(200)
    expect(cp.headers['content-type']).toBe('text/plain; charset=utf-8')
    expect(cp.headers['cache-control']).toBe('no-cache')
    const vkey = (await app.inject('/log/vkey')).body
    expect(vkey).toMatch(/^selvedge\.local\/log\+[0-9a-f]{8}\+\S+\n$/)
    const { size, rootHash } = parseCheckpoint(openNote(cp.body, [vkey.trim()]).text)
    expect(size).toBeGreaterThanOrEqual(301)

    const full = await app.inject('/log/tile/0/000')
    expect(full.statusCode).toBe(200)
    expect(full.headers['content-type']).toBe('application/octet-stream')
    expect(full.headers['cache-control']).toBe('public, max-age=31536000, immutable')
    expect(full.rawPayload.length).toBe(8192)
    const bundle = await app.inject('/log/tile/entries/000')
    expect(bundle.headers['cache-control']).toBe('public, max-age=31536000, immutable')
    const entries = decodeEntryBundle(bundle.rawPayload)
    expect(entries).toHaveLength(256)
    for (const [i, e] of entries.entries()) {
      expect(Buffer.from(leafHash(e))).toEqual(full.rawPayload.subarray(i * 32, i * 32 + 32))
    }
    const width = size % 256
    const partial = await app.inject(`/log/tile/0/001.p/${width}`)
    expect(partial.statusCode).toBe(200)
    expect(partial.headers['cache-control']).toBe('public, max-age=10')
    expect(partial.rawPayload.length).toBe(width * 32)
    const level1 = await app.inject('/log/tile/1/000.p/1')
    expect(level1.statusCode).toBe(200)
    expect(level1.rawPayload.length).toBe(32)

    const consistency = await app.inject(`/log/consistency?old=1&new=${size}`)
    expect(consistency.statusCode).toBe(200)
    const proof = consistency.body
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => new Uint8Array(Buffer.from(l, 'base64')))
    const first = new Uint8Array(leafHash(entries[0] as Uint8Array))
    expect(verifyConsistency(1, size, first, rootHash, proof)).toBe(true)
    const toLatest = await app.inject('/log/consistency?old=1')
    expect(toLatest.body).toBe(consistency.body)
  })

  it('refuses bad requests with clear 4xx codes', async () => {
    const cases: [string, number, string][] = [
      ['/log/tile/0/0001', 400, 'LOG_TILE_PATH_INVALID'],
      ['/log/tile/0/001.p/256', 400, 'LOG_TILE_PATH_INVALID'],
      ['/log/tile/0/001.p/0', 400, 'LOG_TILE_PATH_INVALID'],
      ['/log/tile/0/1', 400, 'LOG_TILE_PATH_INVALID'],
      ['/log/tile/64/000', 400, 'LOG_TILE_PATH_INVALID'],
      ['/log/tile/entries/../000', 400, 'LOG_TILE_PATH_INVALID'],
      ['/log/tile/0/x001/000', 404, 'LOG_INDEX_OUT_OF_RANGE'],
      ['/log/tile/entries/x999/999', 404, 'LOG_INDEX_OUT_OF_RANGE'],
      ['/log/proof?index=999999', 404, 'LOG_INDEX_OUT_OF_RANGE'],
      ['/log/proof?index=-1', 400, 'REQUEST_INVALID'],
      ['/log/proof', 400, 'REQUEST_INVALID'],
      ['/log/consistency?old=5&new=2', 400, 'LOG_SIZE_INVALID'],
      ['/log/consistency?old=1&new=999999', 404, 'LOG_INDEX_OUT_OF_RANGE'],
    ]
    for (const [url, status, code] of cases) {
      const r = await app.inject(url)
      expect([url, r.statusCode, r.json().error.code]).toEqual([url, status, code])
    }
  })

  it('lists the log routes in the OpenAPI document without security', async () => {
    const doc = (await app.inject('/openapi.json')).json()
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/log/checkpoint', '/log/vkey', '/log/proof', '/log/consistency']),
    )
    expect(doc.paths['/log/checkpoint'].get.security).toEqual([])
  })
})

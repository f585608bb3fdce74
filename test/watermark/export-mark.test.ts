import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildRepeat } from '../../src/core/repeat/index.js'
import { createApi } from '../../src/http/server.js'
import { knownAnswerPolicy } from '../licence/policies.js'
import { encode, flatTile } from '../support/images.js'
import { multipartBody } from '../support/multipart.js'
import { tempSelvedge } from '../support/temp-selvedge.js'

let env: Awaited<ReturnType<typeof tempSelvedge>>
let app: FastifyInstance
let owner: string
const auth = (key: string) => ({ authorization: `Bearer ${key}` })

beforeAll(async () => {
  env = await tempSelvedge()
  app = await createApi(env.selvedge)
  owner = (await env.selvedge.studios.init()).ownerKey
})
afterAll(async () => {
  await app.close()
  await env.dispose()
})

describe('export under a grant', () => {
  it('carries the grant id as a watermark that survives the XMP write', async () => {
    const inks: [number, number, number][] = [
      [0x1f, 0x3a, 0x5f],
      [0xe8, 0xd8, 0xb0],
      [0xc4, 0x5a, 0x2c],
    ]
    const png = await encode(buildRepeat(flatTile(90, 70, inks), 'half-brick', 400, 360))
    const body = multipartBody([
      { name: 'file', filename: 'bands.png', data: png },
      { name: 'metadata', value: JSON.stringify({ title: 'Marked', visibility: 'published' }) },
    ])
    const created = await app.inject({
      method: 'POST',
      url: '/v1/assets',
      payload: body.payload,
      headers: { ...body.headers, ...auth(owner) },
    })
    expect(created.statusCode).toBe(201)
    const id = created.json().id as string
    const attached = await app.inject({
      method: 'PUT',
      url: `/v1/assets/${id}/licence`,
      payload: JSON.stringify(knownAnswerPolicy('https://example.com/policies/marked')),
      headers: { ...auth(owner), 'content-type': 'application/json' },
    })
    expect(attached.statusCode).toBeLessThan(300)
    const licensee = (
      await app.inject({
        method: 'POST',
        url: '/v1/keys',
        payload: { role: 'licensee', party: 'https://mill.example/' },
        headers: auth(owner),
      })
    ).json().key as string
    const agreed = await app.inject({
      method: 'POST',
      url: '/v1/agreements',
      payload: {
        assetId: id,
        request: { action: 'reproduce', purpose: 'slv:commercialPrint', units: 100 },
      },
      headers: auth(licensee),
    })
    expect(agreed.statusCode).toBe(201)
    const { grant, grantId } = agreed.json() as { grant: string; grantId: string }

    for (const format of ['png', 'jpeg'] as const) {
      const exported = await app.inject({
        url: `/v1/assets/${id}/export?format=${format}`,
        headers: auth(grant),
      })
      expect(exported.statusCode).toBe(200)
      const image = await env.selvedge.codec.decode(exported.rawPayload)
      const studioId = created.json().studioId as string
      const found = await env.selvedge.watermark.detectPixels(studioId, image)
      expect(found).toMatchObject({ found: true, payload: grantId })
    }

    // A studio member's own copy carries no mark.
    const own = await app.inject({ url: `/v1/assets/${id}/export`, headers: auth(owner) })
    const ownImage = await env.selvedge.codec.decode(own.rawPayload)
    const studioId = created.json().studioId as string
    expect((await env.selvedge.watermark.detectPixels(studioId, ownImage)).found).toBe(false)
  })
})

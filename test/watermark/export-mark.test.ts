import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApi } from '../../src/http/server.js'
import { buyPrintGrant, uploadMarkablePattern } from '../support/licensed-asset.js'
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
    const { assetId: id, studioId } = await uploadMarkablePattern(app, owner, 'Marked')
    const { grant, grantId } = await buyPrintGrant(app, owner, id, {
      party: 'https://mill.example/',
      policyUid: 'https://example.com/policies/marked',
    })

    for (const format of ['png', 'jpeg'] as const) {
      const exported = await app.inject({
        url: `/v1/assets/${id}/export?format=${format}`,
        headers: auth(grant),
      })
      expect(exported.statusCode).toBe(200)
      const image = await env.selvedge.codec.decode(exported.rawPayload)
      const found = await env.selvedge.watermark.detectPixels(studioId, image)
      expect(found).toMatchObject({ found: true, payload: grantId })
    }

    // A studio member's own copy carries no mark.
    const own = await app.inject({ url: `/v1/assets/${id}/export`, headers: auth(owner) })
    const ownImage = await env.selvedge.codec.decode(own.rawPayload)
    expect((await env.selvedge.watermark.detectPixels(studioId, ownImage)).found).toBe(false)
  })
})

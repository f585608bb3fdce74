import type { FastifyInstance } from 'fastify'
import { expect } from 'vitest'
import { buildRepeat } from '../../src/core/repeat/index.js'
import { knownAnswerPolicy } from '../licence/policies.js'
import { encode, flatTile } from './images.js'
import { multipartBody } from './multipart.js'

const auth = (key: string) => ({ authorization: `Bearer ${key}` })

const INKS: [number, number, number][] = [
  [0x1f, 0x3a, 0x5f],
  [0xe8, 0xd8, 0xb0],
  [0xc4, 0x5a, 0x2c],
]

/** Uploads a published 400×360 three-ink half-brick pattern, large enough to carry a watermark. */
export async function uploadMarkablePattern(
  app: FastifyInstance,
  ownerKey: string,
  title: string,
): Promise<{ assetId: string; studioId: string; png: Buffer }> {
  const png = await encode(buildRepeat(flatTile(90, 70, INKS), 'half-brick', 400, 360))
  const body = multipartBody([
    { name: 'file', filename: 'bands.png', data: png },
    { name: 'metadata', value: JSON.stringify({ title, visibility: 'published' }) },
  ])
  const created = await app.inject({
    method: 'POST',
    url: '/v1/assets',
    payload: body.payload,
    headers: { ...body.headers, ...auth(ownerKey) },
  })
  expect(created.statusCode).toBe(201)
  return { assetId: created.json().id, studioId: created.json().studioId, png }
}

/**
 * Attaches the known-answer policy to the asset and buys 100 units of commercial print
 * for a new licensee `party`; returns the grant token, its id and the agreement.
 */
export async function buyPrintGrant(
  app: FastifyInstance,
  ownerKey: string,
  assetId: string,
  opts: { party: string; policyUid: string },
): Promise<{ grant: string; grantId: string; agreementId: string }> {
  const attached = await app.inject({
    method: 'PUT',
    url: `/v1/assets/${assetId}/licence`,
    payload: JSON.stringify(knownAnswerPolicy(opts.policyUid)),
    headers: { ...auth(ownerKey), 'content-type': 'application/json' },
  })
  expect(attached.statusCode).toBeLessThan(300)
  const licensee = (
    await app.inject({
      method: 'POST',
      url: '/v1/keys',
      payload: { role: 'licensee', party: opts.party },
      headers: auth(ownerKey),
    })
  ).json().key as string
  const agreed = await app.inject({
    method: 'POST',
    url: '/v1/agreements',
    payload: {
      assetId,
      request: { action: 'reproduce', purpose: 'slv:commercialPrint', units: 100 },
    },
    headers: auth(licensee),
  })
  expect(agreed.statusCode).toBe(201)
  return agreed.json() as { grant: string; grantId: string; agreementId: string }
}

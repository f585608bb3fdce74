import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import { calculateJwkThumbprint, createLocalJWKSet, type JWK, jwtVerify } from 'jose'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parsePolicy } from '../../src/core/policy/index.js'
import { createApi } from '../../src/http/server.js'
import { exiftool } from '../support/exiftool.js'
import { encode, noiseImage } from '../support/images.js'
import { multipartBody } from '../support/multipart.js'
import { tempSelvedge } from '../support/temp-selvedge.js'
import { exclusiveOffer, knownAnswerPolicy, TRAINING_LICENCE, trainingOffer } from './policies.js'

let env: Awaited<ReturnType<typeof tempSelvedge>>
let app: FastifyInstance
let owner: string
let outDir: string
const licensee = { key: '', party: 'https://buyer.example/acme' }
const agent = { key: '', party: 'https://agents.example/bot-7' }

const auth = (key: string) => ({ authorization: `Bearer ${key}` })

async function upload(seed: number): Promise<string> {
  const body = multipartBody([
    { name: 'file', filename: `p${seed}.png`, data: await encode(noiseImage(48, 40, seed)) },
    {
      name: 'metadata',
      value: JSON.stringify({
        title: `Pattern ${seed}`,
        visibility: 'published',
        designers: [{ name: 'Ada Weaver', shareBps: 10000 }],
      }),
    },
  ])
  const r = await app.inject({
    method: 'POST',
    url: '/v1/assets',
    payload: body.payload,
    headers: { ...body.headers, ...auth(owner) },
  })
  expect(r.statusCode).toBe(201)
  return r.json().id as string
}

async function attach(id: string, payload: unknown, contentType = 'application/json') {
  return app.inject({
    method: 'PUT',
    url: `/v1/assets/${id}/licence`,
    payload: JSON.stringify(payload),
    headers: { ...auth(owner), 'content-type': contentType },
  })
}

async function newKey(role: string, party: string): Promise<string> {
  const r = await app.inject({
    method: 'POST',
    url: '/v1/keys',
    payload: { role, party },
    headers: auth(owner),
  })
  expect(r.statusCode).toBe(201)
  return r.json().key as string
}

const decideAs = (key: string, assetId: string, request: unknown) =>
  app.inject({
    method: 'POST',
    url: '/v1/decisions',
    payload: { assetId, request },
    headers: auth(key),
  })
const agreeAs = (key: string, assetId: string, request: unknown) =>
  app.inject({
    method: 'POST',
    url: '/v1/agreements',
    payload: { assetId, request },
    headers: auth(key),
  })

beforeAll(async () => {
  env = await tempSelvedge()
  app = await createApi(env.selvedge)
  owner = (await env.selvedge.studios.init()).ownerKey
  licensee.key = await newKey('licensee', licensee.party)
  agent.key = await newKey('agent', agent.party)
  outDir = await mkdtemp(join(tmpdir(), 'selvedge-export-'))
})
afterAll(async () => {
  await app.close()
  await env.dispose()
  await rm(outDir, { recursive: true, force: true })
})

describe('licences', () => {
  it('attaches templates and policies as new versions; a bad policy changes nothing', async () => {
    const id = await upload(1)
    const none = await app.inject({ url: `/v1/assets/${id}/licence`, headers: auth(owner) })
    expect(none.statusCode).toBe(404)
    expect(none.json().error.code).toBe('LICENCE_NOT_FOUND')

    const first = await attach(id, { template: 'standard', params: { unitCap: 2000 } })
    expect(first.statusCode).toBe(201)
    expect(first.json()).toMatchObject({ assetId: id, version: 1, source: 'template:standard' })
    expect(first.json().policy['@type']).toBe('Offer')

    const bad = await attach(id, {
      '@context': 'http://www.w3.org/ns/odrl.jsonld',
      '@type': 'Offer',
      uid: 'https://example.com/p/bad',
      permission: [
        { action: 'slv:teleport' },
        {
          action: 'reproduce',
          constraint: [{ leftOperand: 'count', operator: 'lteq', rightOperand: 'many' }],
        },
        { action: 'display', duty: [{ attributedParty: 'https://example.com/x' }] },
      ],
    })
    expect(bad.statusCode).toBe(400)
    const error = bad.json().error
    expect(error.code).toBe('POLICY_INVALID')
    const paths = (error.problems as { path: string }[]).map((p) => p.path)
    expect(paths.some((p) => p.startsWith('$.permission[0]'))).toBe(true)
    expect(paths.some((p) => p.startsWith('$.permission[1].constraint[0]'))).toBe(true)
    expect(paths.some((p) => p.startsWith('$.permission[2].duty[0]'))).toBe(true)

    const notJsonLd = await attach(id, { permission: [{ action: 'use' }], '@type': 'Offer' })
    expect(notJsonLd.statusCode).toBe(400)
    const badParam = await attach(id, { template: 'standard', params: { unitCap: 'lots' } })
    expect(badParam.statusCode).toBe(400)
    expect(badParam.json().error.problems[0].path).toBe('params.unitCap')

    const current = await app.inject({ url: `/v1/assets/${id}/licence`, headers: auth(owner) })
    expect(current.json().version).toBe(1)

    const second = await attach(id, knownAnswerPolicy(), 'application/ld+json')
    expect(second.statusCode).toBe(201)
    expect(second.json()).toMatchObject({ version: 2, source: 'policy' })
    const view = (
      await app.inject({ url: `/v1/assets/${id}/licence`, headers: auth(licensee.key) })
    ).json()
    expect(view.version).toBe(2)
    // A policy naming no target applies to the asset it is attached to.
    expect(view.policy).toEqual({ ...knownAnswerPolicy(), target: `urn:selvedge:asset:${id}` })
    expect(view.description).toEqual(expect.any(String))
    expect(view.description.length).toBeGreaterThan(20)
    const history = await app.inject({
      url: `/v1/assets/${id}/licence/versions`,
      headers: auth(owner),
    })
    expect(history.json().items.map((v: { version: number }) => v.version)).toEqual([1, 2])
    const forbidden = await app.inject({
      url: `/v1/assets/${id}/licence/versions`,
      headers: auth(licensee.key),
    })
    expect(forbidden.statusCode).toBe(403)
  })

  it('answers the issue’s known-answer requests from stored agreements', async () => {
    const training = await upload(2)
    expect((await attach(training, trainingOffer())).statusCode).toBe(201)
    const id = await upload(3)
    expect((await attach(id, knownAnswerPolicy())).statusCode).toBe(201)
    const print = (units: number) => ({
      action: 'reproduce',
      purpose: 'slv:commercialPrint',
      units,
    })

    const first = await decideAs(licensee.key, id, print(5000))
    expect(first.statusCode).toBe(200)
    expect(first.json()).toMatchObject({
      outcome: 'permit',
      duties: [{ action: 'attribute', attributedParty: 'https://example.com/studio' }],
    })
    // 7,000 units bought so far: then 5,000 more cross the 10,000 threshold by 2,000.
    const bought = await agreeAs(licensee.key, id, print(7000))
    expect(bought.statusCode).toBe(201)
    const second = (await decideAs(licensee.key, id, print(5000))).json()
    expect(second.outcome).toBe('permit')
    expect(second.duties).toEqual(
      expect.arrayContaining([
        { action: 'attribute', attributedParty: 'https://example.com/studio' },
        { action: 'compensate', amount: { minor: 4000, currency: 'EUR' }, settlement: 'postpaid' },
      ]),
    )
    const train = { action: 'slv:aiTraining' }
    expect((await decideAs(licensee.key, id, train)).json().outcome).toBe('deny')
    // Buying the training licence makes TRAINING_LICENCE a held licence.
    const licence = await agreeAs(licensee.key, training, { action: 'slv:fineTune' })
    expect(licence.statusCode).toBe(201)
    expect(licence.json().agreement['dct:source']).toBe(TRAINING_LICENCE)
    expect((await decideAs(licensee.key, id, train)).json().outcome).toBe('permit')
    // Another party holds nothing.
    expect((await decideAs(agent.key, id, train)).json().outcome).toBe('deny')
    expect((await decideAs(owner, id, { ...train, assignee: licensee.party })).json().outcome).toBe(
      'permit',
    )
  })

  it('refuses malformed decision requests naming the field', async () => {
    const id = await upload(4)
    await attach(id, { template: 'standard' })
    const cases: [unknown, RegExp][] = [
      [{ action: 'reproduce', units: -1 }, /units/],
      [{ action: 'reproduce', units: 'ten' }, /units/],
      [{ units: 5 }, /action/],
      [{ action: 'reproduce', colour: 'red' }, /colour/],
      [{ action: 'reproduce', assignee: 'https://someone.else/x' }, /assignee/],
    ]
    for (const [request, field] of cases) {
      const r = await decideAs(licensee.key, id, request)
      expect(r.statusCode).toBe(400)
      expect(r.json().error.message).toMatch(field)
    }
    const missing = await app.inject({
      method: 'POST',
      url: '/v1/decisions',
      payload: { request: { action: 'use' } },
      headers: auth(licensee.key),
    })
    expect(missing.statusCode).toBe(400)
    expect(missing.json().error.message).toMatch(/assetId/)
    const unknown = await decideAs(licensee.key, 'ast_nope', { action: 'use' })
    expect(unknown.statusCode).toBe(404)
    expect(unknown.json().error.code).toBe('ASSET_NOT_FOUND')
  })
})

describe('agreements and grants', () => {
  it('mints an ODRL Agreement and an EdDSA grant any JOSE library verifies with the JWKS', async () => {
    const id = await upload(5)
    await attach(id, { template: 'standard', params: { unitCap: 3000, territory: 'FR,DE' } })
    const r = await agreeAs(agent.key, id, {
      action: 'reproduce',
      purpose: 'slv:commercialPrint',
      units: 1200,
      spatial: 'FR',
    })
    expect(r.statusCode).toBe(201)
    const body = r.json()
    expect(body.decision.outcome).toBe('permit')
    expect(body.grantId).toMatch(/^[0-9a-f]{16}$/)
    const agreement = body.agreement
    expect(agreement['@type']).toBe('Agreement')
    expect(agreement.assignee).toBe(agent.party)
    const compiled = parsePolicy(agreement)
    expect(compiled.type).toBe('Agreement')
    const constraints = JSON.stringify(agreement.permission[0].constraint)
    expect(constraints).toContain('"count"')
    expect(constraints).toContain('1200')
    expect(constraints).toContain('"FR"')

    const jwksResponse = await app.inject('/.well-known/jwks.json')
    expect(jwksResponse.statusCode).toBe(200)
    const jwks = jwksResponse.json() as { keys: JWK[] }
    expect(jwks.keys).toHaveLength(1)
    const [jwk] = jwks.keys
    expect(jwk).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA' })
    expect(jwk?.kid).toBe(await calculateJwkThumbprint(jwk as JWK))
    const { payload, protectedHeader } = await jwtVerify(body.grant, createLocalJWKSet(jwks), {
      algorithms: ['EdDSA'],
    })
    expect(protectedHeader).toMatchObject({ alg: 'EdDSA', kid: jwk?.kid })
    expect(payload).toMatchObject({
      sub: agent.party,
      agreement: agreement.uid,
      assets: [id],
      actions: ['http://www.w3.org/ns/odrl/2/reproduce'],
      units: 1200,
      jti: body.grantId,
    })
    expect(payload.iss).toMatch(/^urn:selvedge:studio:/)
    expect(payload.exp).toBeGreaterThan(Date.now() / 1000)

    const fetched = await app.inject({
      url: `/v1/agreements/${body.agreementId}`,
      headers: auth(agent.key),
    })
    expect(fetched.json()).toMatchObject({
      assignee: agent.party,
      units: 1200,
      grantId: body.grantId,
    })
    const other = await app.inject({
      url: `/v1/agreements/${body.agreementId}`,
      headers: auth(licensee.key),
    })
    expect(other.statusCode).toBe(404)
  })

  it('answers 402 with the quote when a prepaid payment gates the permission, 403 on deny', async () => {
    const id = await upload(6)
    await attach(id, { template: 'standard', params: { price: '25.00' } })
    const paid = await agreeAs(licensee.key, id, {
      action: 'reproduce',
      purpose: 'slv:commercialPrint',
      units: 10,
    })
    expect(paid.statusCode).toBe(402)
    expect(paid.json().error.code).toBe('LICENCE_PAYMENT_REQUIRED')
    expect(paid.json().decision.duties).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          action: 'compensate',
          amount: { minor: 2500, currency: 'EUR' },
          settlement: 'prepaid',
        }),
      ]),
    )
    const denied = await agreeAs(licensee.key, id, { action: 'slv:aiTraining' })
    expect(denied.statusCode).toBe(403)
    expect(denied.json().error.code).toBe('LICENCE_DENIED')
    expect(denied.json().decision.outcome).toBe('deny')
  })

  it('sells an exclusive buyout to exactly one of many concurrent buyers', async () => {
    const id = await upload(7)
    await attach(id, exclusiveOffer())
    const buyers = await Promise.all(
      Array.from({ length: 6 }, (_, i) => newKey('licensee', `https://buyer.example/b${i}`)),
    )
    const results = await Promise.all(buyers.map((k) => agreeAs(k, id, { action: 'reproduce' })))
    const statuses = results.map((r) => r.statusCode).sort()
    expect(statuses).toEqual([201, 403, 403, 403, 403, 403])
    const winner = results.find((r) => r.statusCode === 201)?.json()
    expect(winner.agreement.assignee).toMatch(/^https:\/\/buyer\.example\/b\d$/)
    // The winner may use it again; everyone else is refused from now on.
    const again = await decideAs(owner, id, {
      action: 'reproduce',
      assignee: winner.agreement.assignee,
    })
    expect(again.json().outcome).toBe('permit')
    expect((await decideAs(licensee.key, id, { action: 'display' })).json().outcome).toBe('deny')
  })
})

describe('export with the licence inside the file', () => {
  let id: string
  let grant: string
  let agreementUid: string
  let original: Buffer

  beforeAll(async () => {
    const noise = noiseImage(48, 40, 8)
    original = await encode(noise)
    const body = multipartBody([
      { name: 'file', filename: 'x.png', data: original },
      { name: 'metadata', value: JSON.stringify({ title: 'Export me', visibility: 'published' }) },
    ])
    const r = await app.inject({
      method: 'POST',
      url: '/v1/assets',
      payload: body.payload,
      headers: { ...body.headers, ...auth(owner) },
    })
    id = r.json().id
    await attach(id, knownAnswerPolicy('https://example.com/policies/export'))
    const agreed = (
      await agreeAs(licensee.key, id, {
        action: 'reproduce',
        purpose: 'slv:commercialPrint',
        units: 50,
      })
    ).json()
    grant = agreed.grant
    agreementUid = agreed.agreement.uid
  })

  async function fields(bytes: Buffer, ext: string) {
    const path = join(outDir, `${Math.random().toString(36).slice(2)}.${ext}`)
    await writeFile(path, bytes)
    return exiftool(path)
  }

  async function pixels(bytes: Uint8Array): Promise<Buffer> {
    return sharp(bytes).removeAlpha().raw().toBuffer()
  }

  it('writes the XMP licence into a PNG for a grant holder, pixels untouched', async () => {
    const r = await app.inject({ url: `/v1/assets/${id}/export?format=png`, headers: auth(grant) })
    expect(r.statusCode).toBe(200)
    expect(r.headers['content-type']).toBe('image/png')
    const meta = await fields(r.rawPayload, 'png')
    expect(meta['XMP-plus:LicenseID']).toBe(agreementUid)
    // This licensee bought the training licence above, so training is permitted to them.
    expect(meta['XMP-plus:DataMining']).toBe('http://ns.useplus.org/ldf/vocab/DMI-ALLOWED')
    expect(meta['XMP-xmpRights:WebStatement']).toBe(`http://localhost:80/licences/${id}`)
    expect(meta['XMP-dc:Creator']).toEqual(expect.any(Array))
    expect(String(meta['XMP-dc:Rights'])).toContain('©')
    expect(meta['XMP-xmpRights:UsageTerms']).toEqual(expect.any(String))
    expect(meta['XMP-plus:Licensor']).toEqual([
      expect.objectContaining({ LicensorName: expect.any(String) }),
    ])
    expect(meta['XMP-plus:CopyrightOwner']).toEqual([
      expect.objectContaining({ CopyrightOwnerName: expect.any(String) }),
    ])
    const [expr] = meta['XMP-iptcExt:EmbdEncRightsExpr'] as Record<string, string>[]
    expect(expr?.['RightsExprEncType']).toBe('application/ld+json')
    expect(expr?.['RightsExprLangId']).toBe('http://www.w3.org/ns/odrl/2/')
    expect(JSON.parse(expr?.['EncRightsExpr'] ?? '')).toEqual({
      ...knownAnswerPolicy('https://example.com/policies/export'),
      target: `urn:selvedge:asset:${id}`,
    })
    expect((await pixels(r.rawPayload)).equals(await pixels(original))).toBe(true)
  })

  it('writes it into a JPEG through ?grant=, with the pixels of the settled JPEG', async () => {
    const r = await app.inject({ url: `/v1/assets/${id}/export?format=jpeg&grant=${grant}` })
    expect(r.statusCode).toBe(200)
    expect(r.headers['content-type']).toBe('image/jpeg')
    const meta = await fields(r.rawPayload, 'jpg')
    expect(meta['XMP-plus:LicenseID']).toBe(agreementUid)
    const settled = await env.selvedge.exports.settle(original, 'jpeg', {
      studioId: '',
      assetId: id,
      grantId: null,
    })
    expect((await pixels(r.rawPayload)).equals(await pixels(settled))).toBe(true)
  })

  it('lets studio members export without a grant and refuses everyone else', async () => {
    const own = await app.inject({ url: `/v1/assets/${id}/export`, headers: auth(owner) })
    expect(own.statusCode).toBe(200)
    const ownMeta = await fields(own.rawPayload, 'png')
    expect(ownMeta['XMP-plus:LicenseID']).toBeUndefined()
    // Training needs a licence, so for the world at large it is reserved.
    expect(ownMeta['XMP-plus:DataMining']).toBe(
      'http://ns.useplus.org/ldf/vocab/DMI-PROHIBITED-AIMLTRAINING',
    )
    const key = await app.inject({ url: `/v1/assets/${id}/export`, headers: auth(licensee.key) })
    expect(key.statusCode).toBe(403)
    const nothing = await app.inject({ url: `/v1/assets/${id}/export` })
    expect(nothing.statusCode).toBe(401)
  })

  it('states the provenance tier as IPTC DigitalSourceType once the journal has one', async () => {
    const before = await fields(
      (await app.inject({ url: `/v1/assets/${id}/export`, headers: auth(owner) })).rawPayload,
      'png',
    )
    expect(before['XMP-iptcExt:DigitalSourceType']).toBeUndefined()
    const step = await app.inject({
      method: 'POST',
      url: `/v1/assets/${id}/authorship`,
      headers: auth(owner),
      payload: {
        actor: { kind: 'human', name: 'Ada Weaver' },
        action: 'c2pa.drawing',
        digitalSourceType: 'digitalCreation',
      },
    })
    expect(step.statusCode).toBe(201)
    const after = await fields(
      (await app.inject({ url: `/v1/assets/${id}/export`, headers: auth(owner) })).rawPayload,
      'png',
    )
    expect(after['XMP-iptcExt:DigitalSourceType']).toBe(
      'http://cv.iptc.org/newscodes/digitalsourcetype/digitalCreation',
    )
  })

  it('refuses forged, expired and misdirected grants', async () => {
    const [h, p, s] = grant.split('.') as [string, string, string]
    const flipped = `${s.slice(0, 10)}${s[10] === 'A' ? 'B' : 'A'}${s.slice(11)}`
    const tamperedPayload = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(p, 'base64url').toString()), units: 10 ** 9 }),
    ).toString('base64url')
    const studioId = (await env.selvedge.store.studios.first())?.id ?? ''
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString())
    const expired = await env.selvedge.grants.sign(studioId, {
      ...claims,
      exp: Math.floor(Date.now() / 1000) - 60,
    })
    for (const bad of [`${h}.${p}.${flipped}`, `${h}.${tamperedPayload}.${s}`, expired]) {
      const r = await app.inject({ url: `/v1/assets/${id}/export`, headers: auth(bad) })
      expect(r.statusCode).toBe(401)
      expect(r.json().error.code).toBe('GRANT_INVALID')
    }
    const other = await upload(9)
    await attach(other, { template: 'standard' })
    const r = await app.inject({ url: `/v1/assets/${other}/export`, headers: auth(grant) })
    expect(r.statusCode).toBe(403)
    expect(r.json().error.code).toBe('GRANT_NOT_COVERED')
  })
})

describe('public documents', () => {
  it('publishes TDMRep rules and the licence of each published asset', async () => {
    const r = await app.inject('/.well-known/tdmrep.json')
    expect(r.statusCode).toBe(200)
    const rules = r.json() as {
      location: string
      'tdm-reservation': number
      'tdm-policy'?: string
    }[]
    expect(rules.length).toBeGreaterThan(3)
    for (const rule of rules) {
      expect(rule.location).toMatch(/^\/v1\/assets\/[^/]+\/\*$/)
      expect(rule['tdm-reservation']).toBe(1)
      expect(rule['tdm-policy']).toMatch(/^http:\/\/localhost:80\/licences\//)
    }
    const path = new URL(rules[0]?.['tdm-policy'] ?? '').pathname
    const offer = await app.inject(path)
    expect(offer.statusCode).toBe(200)
    expect(offer.headers['content-type']).toContain('application/ld+json')
    expect(offer.json()['@type']).toBe('Offer')
  })
})

import { createHash } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { canonicalJsonBytes } from '../../src/core/canonical-json/index.js'
import { createApi } from '../../src/http/server.js'
import { encode, noiseImage } from '../support/images.js'
import { multipartBody } from '../support/multipart.js'
import { tempSelvedge } from '../support/temp-selvedge.js'

let env: Awaited<ReturnType<typeof tempSelvedge>>
let app: FastifyInstance
let owner: string
let licensee: string

const auth = (key: string) => ({ authorization: `Bearer ${key}` })
const IPTC = 'http://cv.iptc.org/newscodes/digitalsourcetype/'

async function upload(seed: number, visibility: 'published' | 'private') {
  const body = multipartBody([
    { name: 'file', filename: `p${seed}.png`, data: await encode(noiseImage(40, 32, seed)) },
    {
      name: 'metadata',
      value: JSON.stringify({
        title: `Pattern ${seed}`,
        visibility,
        designers: [{ name: 'Ada Weaver' }],
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
  return r.json() as { id: string; sha256: string; tier: string }
}

const post = (id: string, step: unknown, key = owner) =>
  app.inject({
    method: 'POST',
    url: `/v1/assets/${id}/authorship`,
    payload: step as Record<string, unknown>,
    headers: auth(key),
  })
const get = (url: string, key = owner) => app.inject({ method: 'GET', url, headers: auth(key) })

const AI_STEP = {
  actor: {
    kind: 'ai',
    name: 'SDXL',
    model: { name: 'stable-diffusion-xl', version: '1.0', loras: [{ id: 'paisley', weight: 0.7 }] },
    backend: 'comfyui',
  },
  action: 'c2pa.created',
  digitalSourceType: 'trainedAlgorithmicMedia',
  parameters: { prompt: 'paisley on indigo', seed: 42 },
  selection: { chosen: ['a'.repeat(64)], rejected: ['b'.repeat(64), 'c'.repeat(64)] },
}

beforeAll(async () => {
  env = await tempSelvedge()
  app = await createApi(env.selvedge)
  owner = (await env.selvedge.studios.init()).ownerKey
  const r = await app.inject({
    method: 'POST',
    url: '/v1/keys',
    payload: { role: 'licensee', party: 'https://buyer.example/acme' },
    headers: auth(owner),
  })
  licensee = r.json().key as string
})
afterAll(async () => {
  await app.close()
  await env.dispose()
})

describe('authorship journal over HTTP', () => {
  it('records steps, logs each, derives the tier and shows it on the asset', async () => {
    const a = await upload(1, 'published')
    expect(a.tier).toBe('unknown')

    const first = await post(a.id, AI_STEP)
    expect(first.statusCode).toBe(201)
    const one = first.json()
    expect(one).toMatchObject({ seq: 1, tier: 'synthetic', action: 'c2pa.created' })
    expect(one.digitalSourceType).toBe(`${IPTC}trainedAlgorithmicMedia`)
    expect(typeof one.logIndex).toBe('number')
    expect((await get(`/v1/assets/${a.id}`)).json().tier).toBe('synthetic')

    const selected = await post(a.id, {
      actor: { kind: 'human', name: 'Ada Weaver' },
      action: 'slv.selected',
      selection: { chosen: ['a'.repeat(64)], rejected: ['b'.repeat(64)] },
      rationale: 'the warmest indigo',
    })
    expect(selected.json()).toMatchObject({ seq: 2, tier: 'synthetic' })
    const placed = await post(a.id, {
      actor: { kind: 'human', name: 'Ada Weaver', tool: { name: 'Photoshop', version: '26' } },
      action: 'c2pa.placed',
      digitalSourceType: `${IPTC}humanEdits`,
      inputs: [{ assetId: a.id, sha256: a.sha256, relationship: 'parentOf' }],
      outputSha256: a.sha256.toUpperCase(),
    })
    expect(placed.statusCode).toBe(201)
    expect(placed.json()).toMatchObject({ seq: 3, tier: 'human-directed', outputSha256: a.sha256 })

    const journal = (await get(`/v1/assets/${a.id}/authorship`)).json()
    expect(journal.tier).toBe('human-directed')
    expect(journal.steps.map((s: { seq: number }) => s.seq)).toEqual([1, 2, 3])
    expect(journal.steps[0].parameters).toEqual({ prompt: 'paisley on indigo', seed: 42 })
    expect(journal.steps[0].actor.model.loras).toEqual([{ id: 'paisley', weight: 0.7 }])

    // The log holds hashes only: the entry's stepSha256 is the canonical step's hash.
    const entry = JSON.parse(
      Buffer.from(await env.selvedge.log.entry(one.logIndex as number)).toString('utf8'),
    )
    expect(entry).toMatchObject({ type: 'authorship.step', asset: a.id, seq: 1 })
    expect(Object.keys(entry).sort()).toEqual([
      'asset',
      'seq',
      'stepSha256',
      'studio',
      'time',
      'type',
    ])
    const { seq, stepSha256, logIndex, recordedAt, ...step } = journal.steps[0]
    void seq
    void logIndex
    void recordedAt
    expect(stepSha256).toBe(createHash('sha256').update(canonicalJsonBytes(step)).digest('hex'))
    expect(entry.stepSha256).toBe(stepSha256)

    const listed = (await get('/v1/assets?tier=human-directed')).json()
    expect(listed.items.map((x: { id: string }) => x.id)).toEqual([a.id])
  })

  it('refuses steps that are malformed or contradict the archive, writing nothing', async () => {
    const a = await upload(2, 'published')
    const b = await upload(3, 'private')
    const bad = await post(a.id, { actor: { kind: 'robot', name: 'x' }, action: 'c2pa.created' })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().error.code).toBe('AUTHORSHIP_STEP_INVALID')
    expect(bad.json().error.message).toContain('actor.kind')

    const mismatch = await post(a.id, { ...AI_STEP, outputSha256: 'd'.repeat(64) })
    expect(mismatch.statusCode).toBe(422)
    expect(mismatch.json().error.code).toBe('AUTHORSHIP_OUTPUT_MISMATCH')

    const early = await post(a.id, {
      actor: { kind: 'human', name: 'Ada' },
      action: 'c2pa.edited',
      when: '2001-01-01T00:00:00Z',
      inputs: [{ assetId: b.id, sha256: b.sha256, relationship: 'componentOf' }],
    })
    expect(early.statusCode).toBe(422)
    expect(early.json().error.code).toBe('AUTHORSHIP_ORDER')

    const unknown = await post(a.id, {
      actor: { kind: 'human', name: 'Ada' },
      action: 'c2pa.edited',
      inputs: [{ assetId: 'ast_nope', sha256: b.sha256, relationship: 'componentOf' }],
    })
    expect(unknown.json().error.code).toBe('AUTHORSHIP_INPUT_UNKNOWN')

    expect((await post(a.id, { ...AI_STEP, when: '2100-01-01T00:00:00Z' })).statusCode).toBe(201)
    const backwards = await post(a.id, { ...AI_STEP, when: '2099-01-01T00:00:00Z' })
    expect(backwards.json().error.code).toBe('AUTHORSHIP_ORDER')

    const journal = (await get(`/v1/assets/${a.id}/authorship`)).json()
    expect(journal.steps.length).toBe(1)
    expect((await get(`/v1/assets/${b.id}/authorship`)).json()).toEqual({
      assetId: b.id,
      tier: 'unknown',
      steps: [],
    })
    expect((await post('ast_missing', AI_STEP)).statusCode).toBe(404)
  })

  it('lets outside parties read published journals only, and write none', async () => {
    const a = await upload(4, 'published')
    const b = await upload(5, 'private')
    expect((await post(a.id, AI_STEP, licensee)).statusCode).toBe(403)
    expect((await get(`/v1/assets/${a.id}/authorship`, licensee)).statusCode).toBe(200)
    expect((await get(`/v1/assets/${b.id}/authorship`, licensee)).statusCode).toBe(404)
    expect((await get(`/v1/assets/${b.id}/authorship/statement`, licensee)).statusCode).toBe(404)
  })

  it('filters the catalogue by tier', async () => {
    const a = await upload(6, 'published')
    await post(a.id, { actor: { kind: 'human', name: 'Ada' }, action: 'c2pa.drawing' })
    const made = (await get('/v1/assets?tier=human-made')).json()
    expect(made.items.map((x: { id: string }) => x.id)).toEqual([a.id])
    expect(made.items[0].tier).toBe('human-made')
    const unknown = (await get('/v1/assets?tier=unknown&limit=200')).json()
    expect(unknown.items.every((x: { tier: string }) => x.tier === 'unknown')).toBe(true)
    expect(unknown.items.length).toBeGreaterThan(0)
    expect((await get('/v1/assets?tier=certified')).statusCode).toBe(400)
  })

  it('drafts the disclosure statement as Markdown and refuses unknown formats', async () => {
    const a = await upload(7, 'published')
    await post(a.id, AI_STEP)
    await post(a.id, {
      actor: { kind: 'human', name: 'Ada Weaver' },
      action: 'c2pa.color_adjustments',
      outputSha256: a.sha256,
      rationale: 'three colourways',
    })
    const r = await get(`/v1/assets/${a.id}/authorship/statement?format=md`)
    expect(r.statusCode).toBe(200)
    expect(r.headers['content-type']).toContain('text/markdown')
    expect(r.body).toContain('# Copyright disclosure statement: Pattern 7')
    expect(r.body).toContain('## Proposed "Author Created"')
    expect(r.body).toContain('Colourways and colour adjustments')
    expect(r.body).toContain('AI-generated material produced by stable-diffusion-xl 1.0')
    expect(r.body).toContain(a.sha256)
    expect(r.body).toContain('DRAFT FOR COUNSEL')
    expect((await get(`/v1/assets/${a.id}/authorship/statement`)).statusCode).toBe(200)
    const docx = await get(`/v1/assets/${a.id}/authorship/statement?format=docx`)
    expect(docx.statusCode).toBe(406)
    expect(docx.json().error.code).toBe('AUTHORSHIP_FORMAT_UNSUPPORTED')
  })
})

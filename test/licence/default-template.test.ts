import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  DEFAULT_TEMPLATE,
  defaultTemplateFor,
  POLICY_TEMPLATES,
} from '../../src/core/policy/index.js'
import { PROVENANCE_TIERS } from '../../src/core/provenance/index.js'
import { createApi } from '../../src/http/server.js'
import { encode, noiseImage } from '../support/images.js'
import { multipartBody } from '../support/multipart.js'
import { runCli } from '../support/run-cli.js'
import { tempSelvedge } from '../support/temp-selvedge.js'

const AI = {
  actor: { kind: 'ai', name: 'SDXL', model: { name: 'sdxl' } },
  action: 'c2pa.created',
  digitalSourceType: 'trainedAlgorithmicMedia',
}
const EDIT = { actor: { kind: 'human', name: 'Ada Weaver' }, action: 'c2pa.edited' }

describe('defaultTemplateFor', () => {
  it('gives synthetic work the synthetic template and every other tier the standard one', () => {
    expect(DEFAULT_TEMPLATE).toBe('default')
    expect((POLICY_TEMPLATES as readonly string[]).includes(DEFAULT_TEMPLATE)).toBe(false)
    for (const tier of PROVENANCE_TIERS) {
      expect(defaultTemplateFor(tier)).toBe(tier === 'synthetic' ? 'synthetic' : 'standard')
    }
  })
})

describe('attaching the default template', () => {
  let env: Awaited<ReturnType<typeof tempSelvedge>>
  let app: FastifyInstance
  let owner: string
  const auth = (key: string) => ({ authorization: `Bearer ${key}` })

  async function asset(seed: number, steps: unknown[]): Promise<string> {
    const body = multipartBody([
      { name: 'file', filename: `p${seed}.png`, data: await encode(noiseImage(40, 32, seed)) },
    ])
    const r = await app.inject({
      method: 'POST',
      url: '/v1/assets',
      payload: body.payload,
      headers: { ...body.headers, ...auth(owner) },
    })
    const id = r.json().id as string
    for (const step of steps) {
      const s = await app.inject({
        method: 'POST',
        url: `/v1/assets/${id}/authorship`,
        payload: step as Record<string, unknown>,
        headers: auth(owner),
      })
      expect(s.statusCode).toBe(201)
    }
    return id
  }

  const attach = (id: string, payload: unknown) =>
    app.inject({
      method: 'PUT',
      url: `/v1/assets/${id}/licence`,
      payload: JSON.stringify(payload),
      headers: { ...auth(owner), 'content-type': 'application/json' },
    })

  beforeAll(async () => {
    env = await tempSelvedge()
    app = await createApi(env.selvedge)
    owner = (await env.selvedge.studios.init()).ownerKey
  })
  afterAll(async () => {
    await app.close()
    await env.dispose()
  })

  it('resolves `default` from the tier, and records the template it used', async () => {
    const synthetic = await asset(1, [AI])
    const directed = await asset(2, [AI, EDIT])
    const unknown = await asset(3, [])

    const s = await attach(synthetic, { template: 'default', params: { unitCap: '200' } })
    expect(s.statusCode).toBeLessThan(300)
    expect(s.json()).toMatchObject({ source: 'template:synthetic', version: 1 })
    const actions = JSON.stringify(s.json().policy)
    expect(actions).toContain('derive')

    for (const id of [directed, unknown]) {
      const r = await attach(id, { template: 'default' })
      expect(r.statusCode).toBeLessThan(300)
      expect(r.json().source).toBe('template:standard')
    }

    // Leaving the template out is the same as naming `default`.
    const omitted = await attach(synthetic, {})
    expect(omitted.json()).toMatchObject({ source: 'template:synthetic', version: 2 })

    // A template named outright is used as named, whatever the tier.
    const named = await attach(synthetic, { template: 'standard' })
    expect(named.json()).toMatchObject({ source: 'template:standard', version: 3 })

    // Parameters are checked against the template chosen.
    const bad = await attach(unknown, { template: 'default', params: { unitPrice: '0.05' } })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().error.code).toBe('POLICY_INVALID')
  })

  it('selvedge licence attach --template default', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'selvedge-default-template-'))
    try {
      const cli = (...args: string[]) => runCli(args, { dataDir: join(dir, 'data'), cwd: dir })
      const png = join(dir, 'p.png')
      await writeFile(png, await encode(noiseImage(40, 32, 4)))
      const id = (JSON.parse((await cli('ingest', png, '--json')).stdout)[0] as { id: string }).id
      const step = join(dir, 'ai.json')
      await writeFile(step, JSON.stringify(AI))
      expect((await cli('authorship', 'add', id, '--step', step)).code).toBe(0)
      const r = await cli('licence', 'attach', id, '--template', 'default', '--json')
      expect(r.code).toBe(0)
      expect(JSON.parse(r.stdout).source).toBe('template:synthetic')
      const bare = await cli('licence', 'attach', id, '--json')
      expect(bare.code).toBe(0)
      expect(JSON.parse(bare.stdout)).toMatchObject({ source: 'template:synthetic', version: 2 })
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  }, 120_000)
})

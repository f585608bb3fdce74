import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AssetService } from '../../src/app/asset-service.js'
import { SimilarityIndex } from '../../src/app/similarity-index.js'
import { createApi } from '../../src/http/server.js'
import { encode, noiseImage } from '../support/images.js'
import { multipartBody } from '../support/multipart.js'
import { runCli } from '../support/run-cli.js'
import { tempSelvedge } from '../support/temp-selvedge.js'

let env: Awaited<ReturnType<typeof tempSelvedge>>
let app: FastifyInstance
let owner: string
const auth = (key: string) => ({ authorization: `Bearer ${key}` })

const AI = {
  actor: { kind: 'ai', name: 'SDXL', model: { name: 'sdxl', version: '1.0' } },
  action: 'c2pa.created',
  digitalSourceType: 'trainedAlgorithmicMedia',
}
const EDIT = { actor: { kind: 'human', name: 'Ada Weaver' }, action: 'c2pa.edited' }

async function upload(seed: number) {
  const body = multipartBody([
    { name: 'file', filename: `p${seed}.png`, data: await encode(noiseImage(40, 32, seed)) },
  ])
  const r = await app.inject({
    method: 'POST',
    url: '/v1/assets',
    payload: body.payload,
    headers: { ...body.headers, ...auth(owner) },
  })
  expect(r.statusCode).toBe(201)
  return r.json() as { id: string; sha256: string }
}

async function postVersion(id: string, seed: number, steps?: string) {
  const file = await encode(noiseImage(40, 32, seed))
  const body = multipartBody([
    { name: 'file', filename: `v${seed}.png`, data: file },
    ...(steps === undefined ? [] : [{ name: 'steps', value: steps }]),
  ])
  return app.inject({
    method: 'POST',
    url: `/v1/assets/${id}/versions`,
    payload: body.payload,
    headers: { ...body.headers, ...auth(owner) },
  })
}

const get = (url: string) => app.inject({ method: 'GET', url, headers: auth(owner) })
const journal = async (id: string) =>
  (await get(`/v1/assets/${id}/authorship`)).json() as {
    tier: string
    steps: {
      seq: number
      when: string
      outputSha256?: string
      logIndex: number | null
      action: string
    }[]
  }
const versionCount = async (id: string) =>
  ((await get(`/v1/assets/${id}?versions=true`)).json().versions as unknown[]).length

beforeAll(async () => {
  env = await tempSelvedge()
  app = await createApi(env.selvedge)
  owner = (await env.selvedge.studios.init()).ownerKey
})
afterAll(async () => {
  await app.close()
  await env.dispose()
})

describe('POST /v1/assets/:id/versions with steps', () => {
  it('stores the version and its steps together; a step without output gets the new hash', async () => {
    const a = await upload(1)
    const r = await postVersion(
      a.id,
      2,
      JSON.stringify([
        { ...AI, outputSha256: a.sha256, when: '2020-01-01T00:00:00Z' },
        { ...EDIT, inputs: [{ assetId: a.id, sha256: a.sha256, relationship: 'parentOf' }] },
      ]),
    )
    expect(r.statusCode).toBe(201)
    const asset = r.json() as { sha256: string; currentVersion: number; tier: string }
    expect(asset.currentVersion).toBe(2)
    expect(asset.tier).toBe('human-directed')
    const j = await journal(a.id)
    expect(j.tier).toBe('human-directed')
    expect(j.steps.map((s) => [s.seq, s.action])).toEqual([
      [1, 'c2pa.created'],
      [2, 'c2pa.edited'],
    ])
    expect(j.steps[0]?.outputSha256).toBe(a.sha256)
    expect(j.steps[1]?.outputSha256).toBe(asset.sha256)
    const v2 = (await get(`/v1/assets/${a.id}?versions=true`)).json().versions[1]
    expect(j.steps[1]?.when).toBe(v2.createdAt)
    expect(j.steps.every((s) => typeof s.logIndex === 'number')).toBe(true)

    // The same file again is the existing version: 200, and no steps are added.
    const again = await postVersion(a.id, 2, JSON.stringify([EDIT]))
    expect(again.statusCode).toBe(200)
    expect((await journal(a.id)).steps.length).toBe(2)
  })

  it('refuses the version when any step is refused, writing neither', async () => {
    const a = await upload(3)
    const first = await app.inject({
      method: 'POST',
      url: `/v1/assets/${a.id}/authorship`,
      payload: { ...EDIT, when: '2099-01-01T00:00:00Z' },
      headers: auth(owner),
    })
    expect(first.statusCode).toBe(201)

    const cases: [string, number, string, string][] = [
      // Dated (by default: the version's time) before the journal's last step.
      [JSON.stringify([EDIT]), 422, 'AUTHORSHIP_ORDER', 'steps[0]'],
      [
        JSON.stringify([
          { ...EDIT, when: '2099-02-01T00:00:00Z' },
          { ...EDIT, when: '2099-03-01T00:00:00Z', outputSha256: 'd'.repeat(64) },
        ]),
        422,
        'AUTHORSHIP_OUTPUT_MISMATCH',
        'steps[1]',
      ],
      [
        JSON.stringify([
          { ...EDIT, when: '2099-03-01T00:00:00Z' },
          { ...EDIT, when: '2099-02-01T00:00:00Z' },
        ]),
        422,
        'AUTHORSHIP_ORDER',
        'steps[1]',
      ],
      [
        JSON.stringify([
          {
            ...EDIT,
            when: '2099-02-01T00:00:00Z',
            inputs: [{ assetId: 'ast_nope', sha256: a.sha256, relationship: 'parentOf' }],
          },
        ]),
        422,
        'AUTHORSHIP_INPUT_UNKNOWN',
        'steps[0]',
      ],
      [
        JSON.stringify([{ actor: { kind: 'robot', name: 'x' } }]),
        400,
        'AUTHORSHIP_STEP_INVALID',
        'steps[0]',
      ],
      [JSON.stringify({ ...EDIT }), 400, 'AUTHORSHIP_STEP_INVALID', 'steps'],
      ['[{', 400, 'REQUEST_INVALID', 'steps'],
    ]
    for (const [steps, status, code, where] of cases) {
      const r = await postVersion(a.id, 4, steps)
      expect(r.statusCode, steps).toBe(status)
      expect(r.json().error.code, steps).toBe(code)
      expect(r.json().error.message, steps).toContain(where)
    }
    expect(await versionCount(a.id)).toBe(1)
    expect((await journal(a.id)).steps.length).toBe(1)

    // The file itself was fine: with valid steps it becomes version 2.
    const ok = await postVersion(
      a.id,
      4,
      JSON.stringify([{ ...EDIT, when: '2099-02-01T00:00:00Z' }]),
    )
    expect(ok.statusCode).toBe(201)
    expect(await versionCount(a.id)).toBe(2)
    const j = await journal(a.id)
    expect(j.steps.map((s) => s.seq)).toEqual([1, 2])
    expect(j.steps[1]?.outputSha256).toBe(ok.json().sha256)
  })

  it('takes steps on versions only', async () => {
    const body = multipartBody([
      { name: 'file', filename: 'x.png', data: await encode(noiseImage(40, 32, 5)) },
      { name: 'steps', value: JSON.stringify([EDIT]) },
    ])
    const r = await app.inject({
      method: 'POST',
      url: '/v1/assets',
      payload: body.payload,
      headers: { ...body.headers, ...auth(owner) },
    })
    expect(r.statusCode).toBe(400)
    expect(r.json().error.code).toBe('REQUEST_INVALID')
  })

  it('rolls the version back when writing its steps fails inside the transaction', async () => {
    const s = env.selvedge
    const caller = await s.keys.authenticate(owner)
    const { asset } = await s.assets.ingest(caller, { bytes: await encode(noiseImage(40, 32, 6)) })
    const failing = new AssetService({
      store: s.store,
      blobs: s.blobs,
      codec: s.codec,
      ids: s.ids,
      clock: s.clock,
      similarity: new SimilarityIndex(s.store),
      versionSteps: {
        prepareVersionSteps: async (c, version, raw) => {
          const real = await s.provenance.prepareVersionSteps(c, version, raw)
          return {
            count: real.count,
            write: async (tx) => {
              await real.write(tx)
              throw new Error('disk full')
            },
            settle: () => real.settle(),
          }
        },
      },
    })
    await expect(
      failing.addVersion(caller, asset.id, await encode(noiseImage(40, 32, 7)), {
        steps: [EDIT],
      }),
    ).rejects.toThrow('disk full')
    expect((await s.store.assets.versions(caller.studioId, asset.id)).length).toBe(1)
    expect(await s.store.authorship.steps(caller.studioId, asset.id)).toEqual([])
    expect((await s.store.assets.get(caller.studioId, asset.id))?.currentVersion).toBe(1)
  })
})

describe('selvedge ingest --version-of --steps', () => {
  it('adds the version with its steps, and refuses both on a bad step', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'selvedge-version-steps-'))
    const data = join(dir, 'data')
    try {
      const cli = (...args: string[]) => runCli(args, { dataDir: data, cwd: dir })
      const write = async (name: string, value: unknown) => {
        const path = join(dir, name)
        await writeFile(path, typeof value === 'string' ? value : JSON.stringify(value))
        return path
      }
      const v1 = await write('v1.png', '')
      await writeFile(v1, await encode(noiseImage(40, 32, 8)))
      const v2 = join(dir, 'v2.png')
      await writeFile(v2, await encode(noiseImage(40, 32, 9)))
      const asset = JSON.parse((await cli('ingest', v1, '--json')).stdout)[0] as {
        id: string
        sha256: string
      }

      const bad = await write('bad.json', [{ ...EDIT, outputSha256: 'c'.repeat(64) }])
      const refused = await cli('ingest', v2, '--version-of', asset.id, '--steps', bad, '--json')
      expect(refused.code).toBe(5)
      expect(JSON.parse(refused.stdout)[0].error.code).toBe('AUTHORSHIP_OUTPUT_MISMATCH')
      const shown = JSON.parse((await cli('authorship', 'show', asset.id, '--json')).stdout)
      expect(shown.steps).toEqual([])

      const good = await write('good.json', [
        { ...EDIT, inputs: [{ sha256: asset.sha256, relationship: 'parentOf' }] },
      ])
      const added = await cli('ingest', v2, '--version-of', asset.id, '--steps', good, '--json')
      expect(added.code).toBe(0)
      const row = JSON.parse(added.stdout)[0]
      expect(row).toMatchObject({ id: asset.id, status: 'created', tier: 'human-made' })
      const after = JSON.parse((await cli('authorship', 'show', asset.id, '--json')).stdout)
      expect(after.steps.length).toBe(1)
      expect(after.steps[0].outputSha256).toBe(row.sha256)

      expect((await cli('ingest', v2, '--steps', good)).code).toBe(2)
      const notJson = await write('not.json', '{')
      expect((await cli('ingest', v2, '--version-of', asset.id, '--steps', notJson)).code).toBe(4)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  }, 120_000)
})

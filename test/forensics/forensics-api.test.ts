import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { main } from '../../src/cli/main.js'
import { createApi } from '../../src/http/server.js'
import { encode, noiseImage, pngWithClaimedSize } from '../support/images.js'
import { buyPrintGrant, uploadMarkablePattern } from '../support/licensed-asset.js'
import { multipartBody } from '../support/multipart.js'
import { tempSelvedge } from '../support/temp-selvedge.js'

let env: Awaited<ReturnType<typeof tempSelvedge>>
let app: FastifyInstance
let owner: string
let assetId: string
let assetPng: Buffer
const auth = (key: string) => ({ authorization: `Bearer ${key}` })

async function scan(bytes: Buffer, key = owner) {
  const body = multipartBody([{ name: 'file', filename: 'scan.bin', data: bytes }])
  return app.inject({
    method: 'POST',
    url: '/v1/forensics/scan',
    payload: body.payload,
    headers: { ...body.headers, ...auth(key) },
  })
}

async function findings(): Promise<{ id: string; kind: string; logIndex: number | null }[]> {
  const res = await app.inject({ url: '/v1/findings?limit=200', headers: auth(owner) })
  expect(res.statusCode).toBe(200)
  return res.json().items
}

beforeAll(async () => {
  env = await tempSelvedge()
  app = await createApi(env.selvedge)
  owner = (await env.selvedge.studios.init()).ownerKey
  const uploaded = await uploadMarkablePattern(app, owner, 'Traced')
  assetId = uploaded.assetId
  assetPng = uploaded.png
})
afterAll(async () => {
  await app.close()
  await env.dispose()
})

describe('forensics scan', () => {
  it('traces an export under a grant to its grant and assignee: licensed', async () => {
    const { grant, grantId, agreementId } = await buyPrintGrant(app, owner, assetId, {
      party: 'https://mill.example/',
      policyUid: 'https://example.com/policies/traced',
    })
    const exported = await app.inject({
      url: `/v1/assets/${assetId}/export?format=jpeg`,
      headers: auth(grant),
    })
    expect(exported.statusCode).toBe(200)

    const res = await scan(exported.rawPayload)
    expect(res.statusCode, res.body).toBe(201)
    const report = res.json()
    expect(report.watermark).toMatchObject({ found: true, payload: grantId })
    expect(report.grant).toMatchObject({
      id: grantId,
      assignee: 'https://mill.example/',
      agreement: agreementId,
      units: 100,
    })
    expect(report.grant.actions).toHaveLength(1)
    expect(report.similar.map((s: { assetId: string }) => s.assetId)).toContain(assetId)
    expect(report.finding.kind).toBe('licensed')
    expect(report.finding.id).toMatch(/^fnd_/)
    expect(Number.isInteger(report.logIndex)).toBe(true)

    const listed = (await findings()).find((f) => f.id === report.finding.id)
    expect(listed).toMatchObject({ kind: 'licensed', logIndex: report.logIndex })
  })

  it('calls a copy marked under an expired agreement over-use', async () => {
    const caller = await env.selvedge.keys.authenticate(owner)
    const grantId = '00ff00ff00ff00ff'
    await env.selvedge.store.agreements.create({
      id: 'agr_expired',
      studioId: caller.studioId,
      assetId,
      licenceVersion: 1,
      assignee: 'https://late.example/',
      action: 'http://www.w3.org/ns/odrl/2/reproduce',
      units: 5,
      grantId,
      licenceIds: [],
      exclusive: false,
      agreement: {},
      createdAt: '2020-01-01T00:00:00.000Z',
      expiresAt: '2020-02-01T00:00:00.000Z',
    })
    const { image } = await env.selvedge.watermark.embed(caller, assetPng, grantId)
    const res = await scan(await env.selvedge.codec.encodePng(image))
    expect(res.statusCode, res.body).toBe(201)
    expect(res.json()).toMatchObject({
      watermark: { found: true, payload: grantId },
      grant: { id: grantId, assignee: 'https://late.example/', agreement: 'agr_expired' },
      finding: { kind: 'over-use' },
    })
  })

  it('finds an unmarked JPEG copy of an asset: unlicensed-copy', async () => {
    const copy = await env.selvedge.codec.encodeJpeg(await env.selvedge.codec.decode(assetPng), 80)
    const res = await scan(copy)
    expect(res.statusCode, res.body).toBe(201)
    const report = res.json()
    expect(report.watermark.found).toBe(false)
    expect(report.grant).toBeNull()
    expect(report.similar).toContainEqual({ assetId, distance: expect.any(Number) })
    expect(report.finding.kind).toBe('unlicensed-copy')
    const listed = (await findings()).find((f) => f.id === report.finding.id)
    expect(listed?.kind).toBe('unlicensed-copy')
    expect(Number.isInteger(listed?.logIndex)).toBe(true)
  })

  it('calls an unrelated image unknown, and skips the mark on tiny images', async () => {
    const res = await scan(await encode(noiseImage(300, 260, 7)))
    expect(res.statusCode, res.body).toBe(201)
    expect(res.json()).toMatchObject({ grant: null, similar: [], finding: { kind: 'unknown' } })

    const tiny = await scan(await encode(noiseImage(64, 64, 8)))
    expect(tiny.statusCode, tiny.body).toBe(201)
    expect(tiny.json().watermark).toEqual({ found: false, payload: null, score: 0 })
    expect(tiny.json().finding.kind).toBe('unknown')
  })

  it('refuses bad files with the image codes and writes no finding', async () => {
    const before = (await findings()).length
    const garbage = await scan(Buffer.from('this is not an image at all'))
    expect(garbage.statusCode).toBe(415)
    expect(garbage.json().error.code).toBe('IMAGE_UNSUPPORTED_TYPE')
    const truncated = await scan(assetPng.subarray(0, 200))
    expect(truncated.statusCode).toBe(422)
    expect(truncated.json().error.code).toBe('IMAGE_UNREADABLE')
    const bomb = await scan(pngWithClaimedSize(100_000, 100_000))
    expect(bomb.statusCode).toBe(413)
    expect((await findings()).length).toBe(before)
  })

  it('lets auditors scan and refuses licensees', async () => {
    const key = async (role: string) =>
      (
        await app.inject({
          method: 'POST',
          url: '/v1/keys',
          payload: { role, party: `https://${role}.example/` },
          headers: auth(owner),
        })
      ).json().key as string
    const auditor = await key('auditor')
    expect((await scan(await encode(noiseImage(200, 200, 9)), auditor)).statusCode).toBe(201)
    const licensee = await key('licensee')
    const refused = await scan(await encode(noiseImage(200, 200, 10)), licensee)
    expect(refused.statusCode).toBe(403)
    const list = await app.inject({ url: '/v1/findings', headers: auth(licensee) })
    expect(list.statusCode).toBe(403)
  })

  it('pages the findings with a cursor', async () => {
    const first = await app.inject({ url: '/v1/findings?limit=1', headers: auth(owner) })
    const { items, nextCursor } = first.json()
    expect(items).toHaveLength(1)
    expect(typeof nextCursor).toBe('string')
    const second = await app.inject({
      url: `/v1/findings?limit=1&cursor=${nextCursor}`,
      headers: auth(owner),
    })
    expect(second.json().items[0].id).not.toBe(items[0].id)
  })
})

describe('selvedge forensics scan', () => {
  it('prints exactly watermark, grant, similar and finding', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'selvedge-forensics-'))
    try {
      const file = join(dir, 'noise.png')
      await writeFile(file, await encode(noiseImage(200, 200, 11)))
      let out = ''
      let err = ''
      const code = await main(['forensics', 'scan', file, '--data', join(dir, 'data'), '--json'], {
        stdout: (s) => (out += s),
        stderr: (s) => (err += s),
        env: {},
      })
      expect(code, err).toBe(0)
      const report = JSON.parse(out)
      expect(Object.keys(report).sort()).toEqual(['finding', 'grant', 'similar', 'watermark'])
      expect(report).toMatchObject({ grant: null, similar: [], finding: { kind: 'unknown' } })
      expect(Object.keys(report.finding).sort()).toEqual(['id', 'kind'])
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})

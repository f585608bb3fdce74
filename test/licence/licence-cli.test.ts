import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createLocalJWKSet, jwtVerify } from 'jose'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openSelvedge } from '../../src/compose.js'
import { createApi } from '../../src/http/server.js'
import { exiftool } from '../support/exiftool.js'
import { encode, noiseImage } from '../support/images.js'
import { runCli } from '../support/run-cli.js'
import { exclusiveOffer, knownAnswerPolicy } from './policies.js'

let dir: string
let data: string

function selvedge(...args: string[]) {
  return runCli(args, { dataDir: data, cwd: dir })
}

async function ingest(seed: number): Promise<string> {
  const file = join(dir, `p${seed}.png`)
  await writeFile(file, await encode(noiseImage(40, 32, seed)))
  const r = await selvedge('ingest', file, '--publish', '--json')
  expect(r.code).toBe(0)
  return (JSON.parse(r.stdout) as { id: string }[])[0]?.id as string
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'selvedge-licence-cli-'))
  data = join(dir, 'data')
  expect((await selvedge('init', '--json')).code).toBe(0)
}, 120_000)
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('selvedge licence, agreement, grant, export', () => {
  it('attaches templates and policies, refusing an invalid one with its JSON paths', async () => {
    const id = await ingest(1)
    const t = await selvedge(
      'licence',
      'attach',
      id,
      '--template',
      'extended',
      '--param',
      'unitCap=500',
      '--param',
      'unitPrice=0.05',
      '--json',
    )
    expect(t.code).toBe(0)
    expect(JSON.parse(t.stdout)).toMatchObject({
      assetId: id,
      version: 1,
      source: 'template:extended',
    })

    await writeFile(
      join(dir, 'bad.jsonld'),
      JSON.stringify({ '@type': 'Offer', permission: [{ action: 'fly' }] }),
    )
    const bad = await selvedge(
      'licence',
      'attach',
      id,
      '--policy',
      join(dir, 'bad.jsonld'),
      '--json',
    )
    expect(bad.code).toBe(4)
    const error = JSON.parse(bad.stdout).error
    expect(error.code).toBe('POLICY_INVALID')
    expect(error.problems.map((p: { path: string }) => p.path)).toEqual(
      expect.arrayContaining(["$['@context']"]),
    )

    await writeFile(join(dir, 'ka.jsonld'), JSON.stringify(knownAnswerPolicy()))
    const p = await selvedge('licence', 'attach', id, '--policy', join(dir, 'ka.jsonld'), '--json')
    expect(p.code).toBe(0)
    expect(JSON.parse(p.stdout).version).toBe(2)
    const shown = JSON.parse((await selvedge('licence', 'show', id, '--json')).stdout)
    expect(shown.version).toBe(2)
    const history = JSON.parse((await selvedge('licence', 'history', id, '--json')).stdout)
    expect(history.map((v: { source: string }) => v.source)).toEqual([
      'template:extended',
      'policy',
    ])
    // A template and a policy at once is a usage error (neither means the default template).
    const usage = await selvedge(
      'licence',
      'attach',
      id,
      '--template',
      'standard',
      '--policy',
      join(dir, 'ka.jsonld'),
      '--json',
    )
    expect(usage.code).toBe(2)
  })

  it('creates an agreement whose grant verifies offline, and exports with it', async () => {
    const id = await ingest(2)
    await writeFile(
      join(dir, 'ka2.jsonld'),
      JSON.stringify(knownAnswerPolicy('https://example.com/p/cli')),
    )
    expect(
      (await selvedge('licence', 'attach', id, '--policy', join(dir, 'ka2.jsonld'))).code,
    ).toBe(0)
    await writeFile(
      join(dir, 'request.json'),
      JSON.stringify({
        assignee: 'https://buyer.example/cli',
        action: 'reproduce',
        purpose: 'slv:commercialPrint',
        units: 300,
      }),
    )
    const r = await selvedge(
      'agreement',
      'create',
      id,
      '--request',
      join(dir, 'request.json'),
      '--json',
    )
    expect(r.code).toBe(0)
    const out = JSON.parse(r.stdout)
    expect(Object.keys(out).sort()).toEqual(['agreement', 'decision', 'grant', 'grantId'])
    expect(out.decision.outcome).toBe('permit')
    expect(out.grantId).toMatch(/^[0-9a-f]{16}$/)

    // The JWKS as the server publishes it.
    const s = await openSelvedge({ dataDir: data })
    const studioId = (await s.store.studios.first())?.id ?? ''
    const jwks = await s.grants.jwks(studioId)
    await s.close()
    await writeFile(join(dir, 'jwks.json'), JSON.stringify(jwks))
    const { payload } = await jwtVerify(out.grant, createLocalJWKSet({ keys: [...jwks.keys] }))
    expect(payload.jti).toBe(out.grantId)

    const v = await selvedge(
      'grant',
      'verify',
      out.grant,
      '--jwks',
      join(dir, 'jwks.json'),
      '--json',
    )
    expect(v.code).toBe(0)
    expect(JSON.parse(v.stdout)).toMatchObject({
      valid: true,
      claims: { sub: 'https://buyer.example/cli', jti: out.grantId, assets: [id], units: 300 },
    })
    // The same check against the JWKS a running server publishes.
    const served = await openSelvedge({ dataDir: data })
    const api = await createApi(served)
    try {
      const base = await api.listen({ port: 0, host: '127.0.0.1' })
      const u = await selvedge(
        'grant',
        'verify',
        out.grant,
        '--jwks',
        `${base}/.well-known/jwks.json`,
        '--json',
      )
      expect(u.code).toBe(0)
      expect(JSON.parse(u.stdout).claims.jti).toBe(out.grantId)
    } finally {
      await api.close()
      await served.close()
    }
    const forged = `${out.grant.slice(0, -4)}${out.grant.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`
    const f = await selvedge('grant', 'verify', forged, '--jwks', join(dir, 'jwks.json'), '--json')
    expect(f.code).toBe(8)
    expect(JSON.parse(f.stdout).error.code).toBe('GRANT_INVALID')

    const file = join(dir, 'out.jpg')
    const e = await selvedge('export', id, '--out', file, '--grant', out.grant, '--json')
    expect(e.code).toBe(0)
    expect(JSON.parse(e.stdout)).toMatchObject({ format: 'jpeg', licenseId: out.agreement.uid })
    const meta = await exiftool(file)
    expect(meta['XMP-plus:LicenseID']).toBe(out.agreement.uid)
    expect(meta['XMP-xmpRights:WebStatement']).toBe(`http://127.0.0.1:8787/licences/${id}`)
    const bytes = await readFile(file)
    expect((await sharp(bytes).metadata()).format).toBe('jpeg')

    const png = join(dir, 'own.png')
    const o = await selvedge('export', id, '--out', png, '--format', 'png', '--json')
    expect(o.code).toBe(0)
    expect(JSON.parse(o.stdout).licenseId).toBeNull()
    expect((await exiftool(png))['XMP-plus:DataMining']).toBe(
      'http://ns.useplus.org/ldf/vocab/DMI-PROHIBITED-AIMLTRAINING',
    )
  })

  it('refuses an agreement that is not a permit, printing the decision', async () => {
    const id = await ingest(3)
    await writeFile(join(dir, 'ex.jsonld'), JSON.stringify(exclusiveOffer()))
    expect((await selvedge('licence', 'attach', id, '--policy', join(dir, 'ex.jsonld'))).code).toBe(
      0,
    )
    await writeFile(
      join(dir, 'r1.json'),
      JSON.stringify({ assignee: 'https://a.example/1', action: 'use' }),
    )
    await writeFile(
      join(dir, 'r2.json'),
      JSON.stringify({ assignee: 'https://b.example/2', action: 'use' }),
    )
    expect(
      (await selvedge('agreement', 'create', id, '--request', join(dir, 'r1.json'))).code,
    ).toBe(0)
    const second = await selvedge(
      'agreement',
      'create',
      id,
      '--request',
      join(dir, 'r2.json'),
      '--json',
    )
    expect(second.code).toBe(9)
    const body = JSON.parse(second.stdout)
    expect(body.error.code).toBe('LICENCE_DENIED')
    expect(body.decision.outcome).toBe('deny')
  })
})

import { readFile, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { verifyStandalone } from '../../src/compose.js'
import { createApi } from '../../src/http/server.js'
import { encode, noiseImage } from '../support/images.js'
import { multipartBody } from '../support/multipart.js'
import { runCli } from '../support/run-cli.js'
import { tempSelvedge } from '../support/temp-selvedge.js'

const FIXTURES = resolve(import.meta.dirname, '../fixtures/c2pa')
const fixture = (name: string) => readFile(join(FIXTURES, name))

describe('published C2PA test files (c2pa-rs sdk/tests/fixtures)', () => {
  it('reads CA.jpg as Valid: well signed, by a signer on no trust list', async () => {
    const report = await verifyStandalone(await fixture('CA.jpg'), null)
    expect(report.c2pa).toEqual({ state: 'Valid', failures: [] })
  })

  it('reads XCA.jpg as Invalid with assertion.dataHash.mismatch', async () => {
    const report = await verifyStandalone(await fixture('XCA.jpg'), null)
    expect(report.c2pa.state).toBe('Invalid')
    expect(report.c2pa.failures).toContain('assertion.dataHash.mismatch')
  })

  it('reads no_manifest.jpg as absent', async () => {
    const report = await verifyStandalone(await fixture('no_manifest.jpg'), null)
    expect(report.c2pa).toEqual({ state: 'absent', failures: [] })
    expect(report.log).toEqual({ included: false })
  })
})

describe('POST /v1/verify', () => {
  let env: Awaited<ReturnType<typeof tempSelvedge>>
  let app: FastifyInstance

  beforeAll(async () => {
    env = await tempSelvedge()
    app = await createApi(env.selvedge)
  })
  afterAll(async () => {
    await app.close()
    await env.dispose()
  })

  const verify = (data: Uint8Array, filename = 'found.jpg') => {
    const body = multipartBody([{ name: 'file', filename, data }])
    return app.inject({
      method: 'POST',
      url: '/v1/verify',
      payload: body.payload,
      headers: body.headers,
    })
  }

  it('verifies an export for anyone, without a key, against the studio root', async () => {
    const { selvedge } = env
    const { ownerKey } = await selvedge.studios.init()
    const owner = await selvedge.keys.authenticate(ownerKey)
    const { asset } = await selvedge.assets.ingest(owner, {
      bytes: await encode(noiseImage(96, 80, 21)),
      metadata: { title: 'Lattice', visibility: 'published' },
    })
    await selvedge.licences.attach(owner, asset.id, {
      kind: 'template',
      template: 'standard',
      params: {},
    })
    const exported = await selvedge.exports.export({ caller: owner }, asset.id, {
      format: 'jpeg',
      baseUrl: 'https://studio.example',
    })
    const res = await verify(exported.bytes)
    expect(res.statusCode).toBe(200)
    const body = res.json()
    expect(body.c2pa).toEqual({ state: 'Trusted', failures: [] })
    expect(body.tier).toBe('unknown')
    expect(body.licence.webStatement).toBe(`https://studio.example/licences/${asset.id}`)
    expect(body.log).toMatchObject({ included: true, index: exported.credential?.logIndex })
    expect(body.log.checkpoint.note).toContain('selvedge.local/log')
  })

  it('answers 422 IMAGE_UNREADABLE for a file that is not an image', async () => {
    const res = await verify(new TextEncoder().encode('not an image at all'), 'notes.txt')
    expect(res.statusCode).toBe(422)
    expect(res.json()).toEqual({
      error: { code: 'IMAGE_UNREADABLE', message: expect.any(String) },
    })
  })

  it('reads a known-invalid public test file as Invalid', async () => {
    const res = await verify(await fixture('XCA.jpg'))
    expect(res.statusCode).toBe(200)
    expect(res.json().c2pa.state).toBe('Invalid')
    expect(res.json().c2pa.failures).toContain('assertion.dataHash.mismatch')
  })
})

describe('selvedge verify and credentials', () => {
  let env: Awaited<ReturnType<typeof tempSelvedge>>
  let data: string
  let cwd: string

  beforeAll(async () => {
    env = await tempSelvedge()
    await env.selvedge.close()
    cwd = env.dir
    data = join(env.dir, 'data')
  })
  afterAll(async () => {
    await env.dispose().catch(() => undefined)
  })

  const cli = (...args: string[]) => runCli(args, { dataDir: data, cwd })

  it('creates the PKI at init, exports, verifies, and refuses what is not an image', async () => {
    expect((await cli('init', '--json')).code).toBe(0)
    const root = await cli('credentials', 'root')
    expect(root.code).toBe(0)
    expect(root.stdout).toMatch(/^-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----\n$/)
    const rootPath = join(cwd, 'root.pem')
    await writeFile(rootPath, root.stdout)

    const png = join(cwd, 'tile.png')
    await writeFile(png, await encode(noiseImage(80, 64, 5)))
    const ingested = await cli('ingest', png, '--json')
    expect(ingested.code).toBe(0)
    const [{ id }] = JSON.parse(ingested.stdout) as [{ id: string }]
    expect((await cli('licence', 'attach', id, '--template', 'standard', '--json')).code).toBe(0)
    const out = join(cwd, 'tile.jpg')
    expect((await cli('export', id, '--out', out, '--json')).code).toBe(0)

    const verified = await cli('verify', out, '--json')
    expect(verified.code).toBe(0)
    const report = JSON.parse(verified.stdout)
    expect(report.c2pa).toEqual({ state: 'Trusted', failures: [] })
    expect(report.log.included).toBe(true)
    expect(report.licence.webStatement).toMatch(/\/licences\//)

    // --trust replaces the local root; outside any data folder nothing is trusted by default.
    const trusted = await runCli(['verify', out, '--trust', rootPath, '--json'], {
      dataDir: join(cwd, 'nowhere'),
      cwd,
    })
    expect(JSON.parse(trusted.stdout).c2pa.state).toBe('Trusted')
    expect(JSON.parse(trusted.stdout).log).toEqual({ included: false })
    const untrusted = await runCli(['verify', out, '--json'], {
      dataDir: join(cwd, 'nowhere'),
      cwd,
    })
    expect(JSON.parse(untrusted.stdout).c2pa.state).toBe('Valid')

    const text = join(cwd, 'notes.txt')
    await writeFile(text, 'hello')
    const refused = await cli('verify', text, '--json')
    expect(refused.code).toBe(5)
    expect(JSON.parse(refused.stdout).error.code).toBe('IMAGE_UNREADABLE')

    const tampered = Buffer.from(await readFile(out))
    tampered[tampered.length - 40] = (tampered[tampered.length - 40] ?? 0) ^ 0x01
    await writeFile(out, tampered)
    const invalid = await cli('verify', out, '--json')
    expect(invalid.code).toBe(8)
    expect(JSON.parse(invalid.stdout).c2pa.failures).toContain('assertion.dataHash.mismatch')
  }, 120_000)
})

import { randomBytes, X509Certificate } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { openSelvedge } from '../../src/compose.js'
import { encode, noiseImage } from '../support/images.js'

const dirs: string[] = []
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })))
})

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'selvedge-pki-'))
  dirs.push(dir)
  return dir
}

function certificates(pem: string): X509Certificate[] {
  return (pem.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? []).map(
    (block) => new X509Certificate(block),
  )
}

describe("the studio's signing PKI", () => {
  it('is a root, an intermediate and a claim-signing leaf, created once by racing processes', async () => {
    const dir = await tempDir()
    const masterKey = randomBytes(32).toString('base64')
    const a = await openSelvedge({ dataDir: dir, masterKey })
    const b = await openSelvedge({ dataDir: dir, masterKey })
    try {
      const { studioId } = await a.studios.init({ name: 'Atelier, "Nord"' })
      const [fromA, fromB] = await Promise.all([
        a.credentials.ensureSigner(studioId),
        b.credentials.ensureSigner(studioId),
      ])
      expect(fromA.id).toBe(fromB.id)
      expect(fromA).toMatchObject({ source: 'generated', algorithm: 'es256' })

      const [root] = certificates(fromA.rootPem ?? '')
      const [leaf, intermediate, ...rest] = certificates(fromA.chainPem)
      expect(rest).toEqual([])
      if (root === undefined || leaf === undefined || intermediate === undefined) return
      expect(root.ca).toBe(true)
      expect(root.verify(root.publicKey)).toBe(true)
      expect(intermediate.ca).toBe(true)
      expect(intermediate.verify(root.publicKey)).toBe(true)
      expect(leaf.ca).toBe(false)
      expect(leaf.verify(intermediate.publicKey)).toBe(true)
      // Node lists the extended key usages as `keyUsage`.
      expect([...(leaf.keyUsage ?? [])].sort()).toEqual([
        '1.3.6.1.4.1.62558.2.1',
        '1.3.6.1.5.5.7.3.4',
      ])
      // Node escapes RFC 4514 specials in `subject`; the name itself is kept whole.
      expect(leaf.subject.replace(/\\/g, '')).toContain(
        'CN=Atelier, "Nord" Content Credentials Claim Signer',
      )
      expect(leaf.publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1')
    } finally {
      await a.close()
      await b.close()
    }
  })

  it('keeps private keys sealed: another master key cannot sign with them', async () => {
    const dir = await tempDir()
    const first = await openSelvedge({
      dataDir: dir,
      masterKey: randomBytes(32).toString('base64'),
    })
    let studioId: string
    let ownerKey: string
    let assetId: string
    try {
      ;({ studioId, ownerKey } = await first.studios.init())
      const signer = await first.credentials.ensureSigner(studioId)
      const stored = await first.store.credentials.activeSigner(studioId)
      expect(stored?.id).toBe(signer.id)
      // PKCS#8 DER of an EC key starts 30 81 87 02 01 00 30 13 06 07 2a 86 48 ce 3d 02 01.
      const sealed = Buffer.from(stored?.privateKeySealed ?? '', 'base64')
      expect(sealed.includes(Buffer.from('2a8648ce3d0201', 'hex'))).toBe(false)
      expect(stored?.caKeysSealed).toEqual(expect.stringContaining('"intermediate"'))
      const owner = await first.keys.authenticate(ownerKey)
      const { asset } = await first.assets.ingest(owner, {
        bytes: await encode(noiseImage(48, 40, 9)),
      })
      assetId = asset.id
      await first.licences.attach(owner, assetId, {
        kind: 'template',
        template: 'standard',
        params: {},
      })
    } finally {
      await first.close()
    }
    const other = await openSelvedge({
      dataDir: dir,
      masterKey: randomBytes(32).toString('base64'),
    })
    try {
      const owner = await other.keys.authenticate(ownerKey)
      await expect(
        other.exports.export({ caller: owner }, assetId, {
          format: 'png',
          baseUrl: 'https://s.example',
        }),
      ).rejects.toThrow(/cannot be unsealed/)
    } finally {
      await other.close()
    }
  })
})

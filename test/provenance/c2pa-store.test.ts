import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { CredentialSignerRecord, IssuedCredentialRecord, Store } from '../../src/app/ports.js'
import { describeOnEveryStore } from '../support/each-store.js'

const STUDIO = { id: 'std_c2pa', name: 'Atelier', createdAt: '2025-01-01T00:00:00.000Z' }

function signer(id: string, over: Partial<CredentialSignerRecord> = {}): CredentialSignerRecord {
  return {
    id,
    studioId: STUDIO.id,
    source: 'generated',
    algorithm: 'es256',
    chainPem: `chain of ${id}`,
    rootPem: `root of ${id}`,
    privateKeySealed: `sealed ${id}`,
    caKeysSealed: null,
    notAfter: '2027-01-01T00:00:00.000Z',
    createdAt: '2025-01-02T00:00:00.000Z',
    ...over,
  }
}

function issued(manifestSha256: string, signerId: string): IssuedCredentialRecord {
  return {
    manifestSha256,
    studioId: STUDIO.id,
    assetId: 'ast_1',
    signerId,
    format: 'image/jpeg',
    fileSha256: 'f'.repeat(64),
    createdAt: '2025-01-03T00:00:00.000Z',
    logSubmission: null,
  }
}

describeOnEveryStore((name, open) => {
  describe(`CredentialRepository on ${name}`, () => {
    let store: Store
    beforeEach(async () => {
      store = await open()
      await store.studios.create(STUDIO)
    })
    afterEach(async () => {
      await store.close()
    })

    it('keeps one first signer, and the newest replacement active', async () => {
      expect(await store.credentials.activeSigner(STUDIO.id)).toBeNull()
      await store.credentials.addSigner(signer('crs_1'), { replace: false })
      await expect(
        store.credentials.addSigner(signer('crs_2'), { replace: false }),
      ).rejects.toMatchObject({ code: 'STORAGE_CONFLICT' })
      expect(await store.credentials.activeSigner(STUDIO.id)).toEqual(signer('crs_1'))
      const imported = signer('crs_3', { source: 'imported', rootPem: null, algorithm: 'ps256' })
      await store.credentials.addSigner(imported, { replace: true })
      expect(await store.credentials.activeSigner(STUDIO.id)).toEqual(imported)
    })

    it('finds an issued manifest by its hash and refuses a repeat', async () => {
      await store.credentials.addSigner(signer('crs_1'), { replace: false })
      const record = issued('a'.repeat(64), 'crs_1')
      await store.credentials.recordIssued(record)
      expect(await store.credentials.issuedByManifest('a'.repeat(64))).toEqual(record)
      expect(await store.credentials.issuedByManifest('b'.repeat(64))).toBeNull()
      await expect(store.credentials.recordIssued(record)).rejects.toMatchObject({
        code: 'STORAGE_CONFLICT',
      })
    })
  })
})

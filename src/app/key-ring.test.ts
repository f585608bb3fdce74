import { createPublicKey, verify } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { NodeIdSource, systemClock } from '../adapters/node-runtime/index.js'
import { openSqliteStore } from '../adapters/sqlite/index.js'
import { KeyRing } from './key-ring.js'
import type { Store } from './ports.js'

let dir: string
let store: Store
const ids = new NodeIdSource()
const masterKey = new Uint8Array(32).fill(7)

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'selvedge-keyring-'))
  store = await openSqliteStore(join(dir, 'db.sqlite'))
})
afterAll(async () => {
  await store.close()
  await rm(dir, { recursive: true, force: true })
})

function verifies(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  const spki = Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), publicKey])
  return verify(
    null,
    message,
    createPublicKey({ key: spki, format: 'der', type: 'spki' }),
    signature,
  )
}

describe('KeyRing', () => {
  it('creates one Ed25519 key per purpose and reuses it across instances', async () => {
    const ring = new KeyRing({ store, ids, clock: systemClock, masterKey })
    const signer = await ring.signer('std_a', 'grant')
    const msg = new TextEncoder().encode('hello')
    const sig = signer.sign(msg)
    expect(sig.length).toBe(64)
    expect(verifies(signer.publicKey, msg, sig)).toBe(true)

    const again = await new KeyRing({ store, ids, clock: systemClock, masterKey }).signer(
      'std_a',
      'grant',
    )
    expect(again.id).toBe(signer.id)
    expect(Buffer.from(again.sign(msg))).toEqual(Buffer.from(sig))
    const other = await ring.signer('std_a', 'credential')
    expect(other.id).not.toBe(signer.id)
    const log = await ring.signer(null, 'log')
    expect((await ring.publicKeys(null, 'log')).map((k) => k.id)).toEqual([log.id])
  })

  it('never stores the private key in the clear and refuses a wrong master key', async () => {
    const ring = new KeyRing({ store, ids, clock: systemClock, masterKey })
    const signer = await ring.signer('std_b', 'grant')
    const rows = await store.signingKeys.list('std_b', 'grant')
    expect(rows).toHaveLength(1)
    expect(rows[0]?.privateKeySealed).not.toContain('MC4CAQAwBQYDK2Vw') // PKCS#8 Ed25519 prefix, base64
    const wrong = new KeyRing({
      store,
      ids,
      clock: systemClock,
      masterKey: new Uint8Array(32).fill(9),
    })
    await expect(wrong.signer('std_b', 'grant')).rejects.toThrow(/wrong master key/)
    expect(signer.id).toBe(rows[0]?.id)
  })
})

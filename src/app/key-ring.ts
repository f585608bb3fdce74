import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  sign,
} from 'node:crypto'
import type { Clock, IdSource, SigningKeyRecord, Store } from './ports.js'
import { SEAL_NONCE_BYTES, sealSecret, unsealSecret } from './sealed-secret.js'

/** What a key signs. One active key per purpose per studio (or per instance for `log`). */
export type KeyPurpose = 'log' | 'grant' | 'credential' | 'witness' | 'watermark'

/** An Ed25519 signing key, usable without seeing its private half. */
export interface Signer {
  readonly id: string
  /** Raw 32-byte Ed25519 public key. */
  readonly publicKey: Uint8Array
  /** Ed25519 signature (64 bytes) over `message`. Deterministic (RFC 8032). */
  sign(message: Uint8Array): Uint8Array
}

export interface PublicKeyInfo {
  readonly id: string
  readonly publicKey: Uint8Array
  readonly active: boolean
  readonly createdAt: string
}

const ALGORITHM = 'Ed25519'
const MASTER_KEY_BYTES = 32
// SubjectPublicKeyInfo DER prefix for an Ed25519 key (RFC 8410): 12 bytes, then the raw 32.
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex')

/**
 * Ed25519 signing keys, generated on first use and stored with the private key sealed by
 * AES-256-GCM under the instance master key (the sealed blob is bound to the key's id and
 * purpose, so rows cannot be swapped). Signing happens in this process; private keys never leave
 * it. When two processes race to create the first key of a purpose, both keys are kept and the
 * oldest is the active one everywhere.
 */
export class KeyRing {
  private readonly cache = new Map<string, Promise<Signer>>()

  constructor(
    private readonly deps: { store: Store; ids: IdSource; clock: Clock; masterKey: Uint8Array },
  ) {
    if (deps.masterKey.length !== MASTER_KEY_BYTES) {
      throw new RangeError(`the master key must be ${MASTER_KEY_BYTES} bytes`)
    }
  }

  /** The active signer for a purpose, created on first use. */
  signer(studioId: string | null, purpose: KeyPurpose): Promise<Signer> {
    const cacheKey = `${studioId ?? ''}\u0000${purpose}`
    let p = this.cache.get(cacheKey)
    if (p === undefined) {
      p = this.loadOrCreate(studioId, purpose).catch((err: unknown) => {
        this.cache.delete(cacheKey)
        throw err
      })
      this.cache.set(cacheKey, p)
    }
    return p
  }

  /** Every public key of a purpose (for JWKS and verifier keys), oldest first. */
  async publicKeys(studioId: string | null, purpose: KeyPurpose): Promise<PublicKeyInfo[]> {
    const rows = await this.deps.store.signingKeys.list(studioId, purpose)
    return rows.map((r) => ({
      id: r.id,
      publicKey: new Uint8Array(Buffer.from(r.publicKey, 'base64')),
      active: r.active,
      createdAt: r.createdAt,
    }))
  }

  private async loadOrCreate(studioId: string | null, purpose: KeyPurpose): Promise<Signer> {
    const existing = (await this.deps.store.signingKeys.list(studioId, purpose)).find(
      (k) => k.active,
    )
    if (existing !== undefined) return this.open(existing)
    const { privateKey, publicKey } = generateKeyPairSync('ed25519')
    const id = this.deps.ids.next('sgk')
    const raw = rawPublicKey(publicKey)
    const record: SigningKeyRecord = {
      id,
      studioId,
      purpose,
      algorithm: ALGORITHM,
      publicKey: Buffer.from(raw).toString('base64'),
      privateKeySealed: this.seal(id, purpose, privateKey.export({ format: 'der', type: 'pkcs8' })),
      createdAt: this.deps.clock.nowIso(),
      active: true,
    }
    await this.deps.store.signingKeys.create(record)
    const oldest = (await this.deps.store.signingKeys.list(studioId, purpose)).find((k) => k.active)
    return this.open(oldest ?? record)
  }

  private open(record: SigningKeyRecord): Signer {
    const der = this.unseal(record.id, record.purpose, record.privateKeySealed)
    const key = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' })
    const publicKey = rawPublicKey(createPublicKey(key))
    if (Buffer.from(publicKey).toString('base64') !== record.publicKey) {
      throw new Error(
        `signing key ${record.id}: the sealed private key does not match its public key`,
      )
    }
    return {
      id: record.id,
      publicKey,
      sign: (message) => new Uint8Array(sign(null, message, key)),
    }
  }

  private seal(id: string, purpose: string, plaintext: Buffer): string {
    const nonce = this.deps.ids.randomBytes(SEAL_NONCE_BYTES)
    return sealSecret(this.deps.masterKey, nonce, signingKeyAad(id, purpose), plaintext)
  }

  private unseal(id: string, purpose: string, sealed: string): Buffer {
    try {
      return unsealSecret(this.deps.masterKey, signingKeyAad(id, purpose), sealed)
    } catch (cause) {
      throw new Error(`signing key ${id} cannot be unsealed: wrong master key?`, { cause })
    }
  }
}

function signingKeyAad(id: string, purpose: string): string {
  return `selvedge-signing-key\u0000${id}\u0000${purpose}`
}

function rawPublicKey(key: KeyObject): Uint8Array {
  const der = key.export({ format: 'der', type: 'spki' })
  if (der.length !== 44 || !der.subarray(0, 12).equals(ED25519_SPKI_PREFIX)) {
    throw new Error('not an Ed25519 public key')
  }
  return new Uint8Array(der.subarray(12))
}

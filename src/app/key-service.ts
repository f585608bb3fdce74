import { createHash } from 'node:crypto'
import { AccessError, type Caller, isAbsoluteIri, requirePermission } from '../core/access/index.js'
import { type ApiKeyRecord, ROLES, type Role } from '../core/archive/index.js'
import type { Clock, IdSource, Store } from './ports.js'

/** A key as shown once to its creator; `key` is the secret and is never stored. */
export interface CreatedKey {
  readonly id: string
  readonly key: string
  readonly role: Role
  readonly party: string
  readonly name: string
}

/** A key as listed later: everything but the secret. */
export type KeySummary = Omit<ApiKeyRecord, 'secretSha256'>

const SECRET_PREFIX = 'slv_'
const SECRET_BYTES = 32

/**
 * API keys: 256-bit random secrets shown once and stored only as SHA-256 (a fast hash is right
 * for high-entropy secrets: there is nothing to brute-force).
 */
export class KeyService {
  constructor(private readonly deps: { store: Store; ids: IdSource; clock: Clock }) {}

  /** Creates a key for `role` in `studioId` without a permission check (for `init`). */
  async mint(
    store: Store,
    studioId: string,
    input: { role: Role; party?: string | undefined; name?: string | undefined },
  ): Promise<CreatedKey> {
    const id = this.deps.ids.next('key')
    const secret = `${SECRET_PREFIX}${Buffer.from(this.deps.ids.randomBytes(SECRET_BYTES)).toString('base64url')}`
    const party = input.party ?? `urn:selvedge:party:${id}`
    const name = input.name ?? `${input.role} key`
    await store.keys.create({
      id,
      studioId,
      role: input.role,
      party,
      name,
      secretSha256: hashSecret(secret),
      createdAt: this.deps.clock.nowIso(),
      revokedAt: null,
    })
    return { id, key: secret, role: input.role, party, name }
  }

  /** Owner only. Throws `KEY_INPUT_INVALID` for an unknown role or a party that is not an IRI. */
  async create(caller: Caller, input: { role: unknown; party?: unknown; name?: unknown }) {
    requirePermission(caller, 'key.manage')
    const role = input.role
    if (typeof role !== 'string' || !(ROLES as readonly string[]).includes(role)) {
      throw new AccessError('KEY_INPUT_INVALID', `role must be one of ${ROLES.join(', ')}`)
    }
    if (
      input.party !== undefined &&
      (typeof input.party !== 'string' || !isAbsoluteIri(input.party))
    ) {
      throw new AccessError(
        'KEY_INPUT_INVALID',
        'party must be an absolute IRI, e.g. https://example.com/acme or urn:…',
      )
    }
    if (
      input.name !== undefined &&
      (typeof input.name !== 'string' || input.name.length === 0 || input.name.length > 200)
    ) {
      throw new AccessError('KEY_INPUT_INVALID', 'name must be a string of 1..200 characters')
    }
    return this.mint(this.deps.store, caller.studioId, {
      role: role as Role,
      party: input.party as string | undefined,
      name: input.name as string | undefined,
    })
  }

  /**
   * Resolves a bearer secret to its caller. Throws `AUTH_KEY_MISSING` without a secret and
   * `AUTH_KEY_INVALID` for an unknown or revoked key; both messages are the same for every
   * unknown key so they reveal nothing.
   */
  async authenticate(secret: string | undefined): Promise<Caller> {
    if (secret === undefined || secret === '') {
      throw new AccessError('AUTH_KEY_MISSING', 'send an API key as "Authorization: Bearer <key>"')
    }
    const record = await this.deps.store.keys.findBySecretSha256(hashSecret(secret))
    if (record === null || record.revokedAt !== null) {
      throw new AccessError('AUTH_KEY_INVALID', 'the API key is not valid')
    }
    return { studioId: record.studioId, keyId: record.id, role: record.role, party: record.party }
  }

  /** Owner only; takes effect for the next request. Throws `KEY_NOT_FOUND`. */
  async revoke(caller: Caller, id: string): Promise<void> {
    requirePermission(caller, 'key.manage')
    const ok = await this.deps.store.keys.revoke(caller.studioId, id, this.deps.clock.nowIso())
    if (!ok) throw new AccessError('KEY_NOT_FOUND', `no key ${id} in this studio`)
  }

  async list(caller: Caller): Promise<KeySummary[]> {
    requirePermission(caller, 'key.manage')
    const keys = await this.deps.store.keys.list(caller.studioId)
    return keys.map(({ secretSha256: _omit, ...rest }) => rest)
  }
}

/** SHA-256 hex of a key secret, the only form in which keys are stored. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex')
}

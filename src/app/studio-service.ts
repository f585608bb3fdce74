import type { KeyService } from './key-service.js'
import type { Clock, IdSource, Store } from './ports.js'

/** Where the embedded default keeps the owner's key for the local operator (mode 0600). */
export interface LocalCredentials {
  read(): Promise<string | null>
  write(ownerKey: string): Promise<void>
}

export interface InitResult {
  readonly studioId: string
  readonly ownerKey: string
  readonly created: boolean
}

/** Creates the studio on first run; later runs return the same studio and owner key. */
export class StudioService {
  constructor(
    private readonly deps: {
      store: Store
      ids: IdSource
      clock: Clock
      keys: KeyService
      credentials: LocalCredentials
    },
  ) {}

  /**
   * Idempotent. The first run creates the studio and an owner key atomically and saves the key
   * in the local credentials file; a later run keeps the studio and returns the saved key while
   * it still authenticates, otherwise mints and saves a fresh owner key.
   */
  async init(opts: { name?: string } = {}): Promise<InitResult> {
    const existing = await this.deps.store.studios.first()
    if (existing !== null) {
      const saved = await this.deps.credentials.read()
      if (saved !== null) {
        const caller = await this.deps.keys.authenticate(saved).catch(() => null)
        if (caller !== null && caller.studioId === existing.id && caller.role === 'owner') {
          return { studioId: existing.id, ownerKey: saved, created: false }
        }
      }
      const key = await this.deps.keys.mint(this.deps.store, existing.id, {
        role: 'owner',
        name: 'owner key',
      })
      await this.deps.credentials.write(key.key)
      return { studioId: existing.id, ownerKey: key.key, created: false }
    }
    const studioId = this.deps.ids.next('std')
    const key = await this.deps.store.transaction(async (tx) => {
      await tx.studios.create({
        id: studioId,
        name: opts.name ?? 'Demo Studio',
        createdAt: this.deps.clock.nowIso(),
      })
      return this.deps.keys.mint(tx, studioId, {
        role: 'owner',
        party: `urn:selvedge:studio:${studioId}:owner`,
        name: 'owner key',
      })
    })
    await this.deps.credentials.write(key.key)
    return { studioId, ownerKey: key.key, created: true }
  }
}

import type { Kysely } from 'kysely'
import type {
  AgreementRepository,
  AssetRepository,
  AuthorshipRepository,
  BillingRepository,
  CollectionRepository,
  CredentialRepository,
  DesignerRepository,
  FindingRepository,
  KeyRepository,
  LeaderLock,
  LedgerRepository,
  LicenceRepository,
  LogRepository,
  PaymentRepository,
  PricePlanRepository,
  SigningKeyRepository,
  Store,
  StudioRepository,
  UsageRepository,
  WitnessRepository,
} from '../../app/ports.js'
import { StorageError } from '../../app/storage-error.js'
import { KyselyAssetRepository } from './asset-repository.js'
import { KyselyBillingRepository } from './billing-repository.js'
import { KyselyCollectionRepository } from './collection-repository.js'
import { KyselyCredentialRepository } from './credential-repository.js'
import { KyselyDesignerRepository } from './designer-repository.js'
import type { DialectTraits } from './dialect-traits.js'
import { KyselyFindingRepository } from './finding-repository.js'
import { KyselyKeyRepository } from './key-repository.js'
import { KyselyLedgerRepository } from './ledger-repository.js'
import { KyselyAgreementRepository } from './licence-agreement-repository.js'
import { KyselyLicenceRepository } from './licence-repository.js'
import { ProcessLeaderLock } from './log-leader-lock.js'
import { KyselyLogRepository } from './log-repository.js'
import { KyselyWitnessRepository } from './log-witness-repository.js'
import { KyselyPaymentRepository } from './payment-repository.js'
import { KyselyPricePlanRepository } from './price-plan-repository.js'
import { KyselyAuthorshipRepository } from './provenance-repository.js'
import type { Database } from './schema.js'
import { KyselySigningKeyRepository } from './signing-key-repository.js'
import { SqlSession } from './sql-session.js'
import { KyselyStudioRepository } from './studio-repository.js'
import { KyselyUsageRepository } from './usage-repository.js'

/**
 * The relational store over Kysely, shared by the SQLite and PostgreSQL adapters.
 *
 * `transaction(fn)` hands `fn` a store bound to one transaction; calling `transaction` on that
 * store runs in the same transaction. Inside `fn`, use only the store passed in: the root store
 * throws `StorageError('STORAGE_FAILURE')` there rather than deadlock (SQLite has one
 * connection) or write outside the transaction. Writes on the bound store run in savepoints, so
 * a write that fails and is caught leaves the transaction usable and without partial rows.
 */
export class KyselyStore implements Store {
  readonly studios: StudioRepository
  readonly keys: KeyRepository
  readonly designers: DesignerRepository
  readonly collections: CollectionRepository
  readonly assets: AssetRepository
  readonly signingKeys: SigningKeyRepository
  readonly licences: LicenceRepository
  readonly agreements: AgreementRepository
  readonly log: LogRepository
  readonly witness: WitnessRepository
  readonly authorship: AuthorshipRepository
  readonly findings: FindingRepository
  readonly credentials: CredentialRepository
  readonly usage: UsageRepository
  readonly ledger: LedgerRepository
  readonly payments: PaymentRepository
  readonly prices: PricePlanRepository
  readonly billing: BillingRepository
  readonly dialect: 'sqlite' | 'postgres'

  private constructor(
    private readonly session: SqlSession,
    private readonly shutdown: (() => Promise<void>) | null,
    readonly leaderLock: LeaderLock,
  ) {
    this.studios = new KyselyStudioRepository(session)
    this.keys = new KyselyKeyRepository(session)
    this.designers = new KyselyDesignerRepository(session)
    this.collections = new KyselyCollectionRepository(session)
    this.assets = new KyselyAssetRepository(session)
    this.signingKeys = new KyselySigningKeyRepository(session)
    this.licences = new KyselyLicenceRepository(session)
    this.agreements = new KyselyAgreementRepository(session)
    this.log = new KyselyLogRepository(session)
    this.witness = new KyselyWitnessRepository(session)
    this.authorship = new KyselyAuthorshipRepository(session)
    this.findings = new KyselyFindingRepository(session)
    this.credentials = new KyselyCredentialRepository(session)
    this.usage = new KyselyUsageRepository(session)
    this.ledger = new KyselyLedgerRepository(session)
    this.payments = new KyselyPaymentRepository(session)
    this.prices = new KyselyPricePlanRepository(session)
    this.billing = new KyselyBillingRepository(session)
    this.dialect = session.traits.name
  }

  /**
   * A store over `db`, whose schema is already migrated. `close` closes `leaderLock` (when it
   * has a `close`) and destroys `db` (once; later calls resolve at once). Without a leader lock,
   * a per-process one.
   */
  static over(
    db: Kysely<Database>,
    traits: DialectTraits,
    opts: { readonly leaderLock?: LeaderLock & { close?(): Promise<void> } } = {},
  ): KyselyStore {
    const leaderLock = opts.leaderLock ?? new ProcessLeaderLock()
    let closing: Promise<void> | null = null
    const shutdown = (): Promise<void> => {
      closing ??= (async () => {
        try {
          await opts.leaderLock?.close?.()
        } finally {
          await db.destroy()
        }
      })()
      return closing
    }
    return new KyselyStore(SqlSession.root(db, traits), shutdown, leaderLock)
  }

  transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T> {
    if (this.session.isTransaction) return this.session.transaction(() => fn(this))
    return this.session.transaction((session) =>
      fn(new KyselyStore(session, null, this.leaderLock)),
    )
  }

  savepoint<T>(fn: (tx: Store) => Promise<T>): Promise<T> {
    if (!this.session.isTransaction) return this.transaction(fn)
    return this.session.savepoint(() => fn(this))
  }

  /** Closes the connections; throws `STORAGE_FAILURE` on a store bound to a transaction. */
  async close(): Promise<void> {
    if (this.shutdown === null) {
      throw new StorageError('STORAGE_FAILURE', 'close the root store, not a transaction')
    }
    try {
      await this.shutdown()
    } catch (error) {
      throw new StorageError('STORAGE_FAILURE', 'closing the store failed', { cause: error })
    }
  }
}

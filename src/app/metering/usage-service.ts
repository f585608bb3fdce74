import { AccessError, type Caller, requirePermission } from '../../core/access/index.js'
import { ArchiveError, type Asset } from '../../core/archive/index.js'
import { isPeriod, nextPeriod, periodOf } from '../../core/billing/index.js'
import { canonicalJson } from '../../core/canonical-json/index.js'
import {
  accounts,
  chargeTransaction,
  checkEventAgainstGrant,
  incrementalChargeMinor,
  isUsageBodyProblem,
  type LedgerTransaction,
  MAX_USAGE_BATCH,
  merkleRoot,
  type PreparedEvent,
  type PreparedUsage,
  preparedLeaf,
  prepareUsage,
  prepareUsageJson,
  type UsageBodyProblem,
  type UsageRejectCode,
} from '../../core/metering/index.js'
import type { CompiledPolicy } from '../../core/policy/index.js'
import type { Hash } from '../../core/tlog/index.js'
import { GroupCommit } from '../group-commit.js'
import type { EventLog } from '../log/index.js'
import type {
  AgreementRecord,
  Clock,
  IdSource,
  LedgerTransactionRecord,
  Store,
  UsageEventRecord,
  UsagePreparer,
} from '../ports.js'
import { BillingError, type BillingErrorCode } from './billing-error.js'
import { type MeterPrice, meterPrice, type RoyaltySettings, splitCharge } from './meter-price.js'

export { MAX_USAGE_BATCH }

// Requests of at most this many events share transactions with others of their studio that
// arrive meanwhile: a single-event request then costs a savepoint rather than a commit, a log
// append and a signed checkpoint of its own.
const GROUP_COMMIT_MAX_EVENTS = 100

// Bodies at least this long are prepared by the `UsagePreparer` (a worker thread), shorter ones
// in line: below it, handing the text over costs more than the work it saves.
const PREPARE_ELSEWHERE_FROM_CHARS = 32_768

// Compiled licence policies kept across requests: a licence version is never changed once
// stored, so its compiled form stays valid; the bound only caps memory.
const POLICY_CACHE_ENTRIES = 256

/** Who reports usage: an API key, or a grant token (usage under that grant only). */
export interface UsageAccess {
  readonly caller?: Caller
  /** A verified grant's studio and id (`jti`). */
  readonly grant?: { readonly studioId: string; readonly grantId: string }
}

export interface UsageRejection {
  /** Position of the event in the request. */
  readonly index: number
  readonly code: string
  readonly message: string
}

/** A prepaid or postpaid fee raised by usage crossing a price threshold. */
export interface UsageCharge {
  readonly grantId: string
  readonly kind: string
  readonly amountMinor: number
  readonly currency: string
  readonly settlement: 'prepaid' | 'postpaid'
}

export interface UsageReport {
  readonly accepted: number
  readonly duplicates: number
  readonly rejected: readonly UsageRejection[]
  /** The batch the accepted events were stored in; null when none was accepted. */
  readonly batchId: string | null
  /** The `usage.batch` log entry's index once sequenced; null without a batch or a log. */
  readonly logIndex: number | null
  /** Prepaid fees debited from wallets by this batch. */
  readonly charges: readonly UsageCharge[]
  /** Per held grant, the prepaid fee of the usage refused for want of payment. */
  readonly quotes: readonly {
    readonly grantId: string
    readonly amountMinor: number
    readonly currency: string
  }[]
}

interface Candidate {
  readonly index: number
  readonly event: PreparedEvent
  readonly key: string
  readonly agreement: AgreementRecord
  /** The Merkle leaf hash of the event's canonical form. */
  readonly leaf: Hash
}

/**
 * Usage ingest: CloudEvents in, idempotent on (`source`, `id`) forever, each accepted batch
 * committed with its `usage.batch` log entry (the Merkle root of its canonical events) and any
 * prepaid fees all or nothing: in a transaction of its own, or, for a small request, in a
 * savepoint of a transaction it shares with the other small requests of its studio that arrive
 * at the same time (group commit). Fees accrue from the price that applies to each grant and
 * kind (see {@link meterPrice}): prepaid fees are debited from the licensee's wallet at once, and
 * usage the wallet cannot cover is refused with a quote (and the grant is held: exports under it
 * are refused until the usage is paid for); postpaid fees are invoiced when the period closes.
 */
export class UsageService {
  private readonly policyCache = new Map<string, CompiledPolicy>()
  private readonly groupCommit: GroupCommit

  constructor(
    private readonly deps: {
      readonly store: Store
      readonly clock: Clock
      readonly ids: IdSource
      readonly royalties: RoyaltySettings
      readonly log?: EventLog
      /** Validates and hashes large bodies off the main thread; absent, all is done in line. */
      readonly preparer?: UsagePreparer
    },
  ) {
    this.groupCommit = new GroupCommit(deps.store, {
      // A unit takes 3–4 savepoints (subtransactions); PostgreSQL caches 64 per transaction
      // and, past that, makes every snapshot in the cluster slower while the transaction runs.
      maxUnits: deps.store.dialect === 'postgres' ? 12 : 64,
      // A bounded share of work per transaction: SQLite runs it without yielding to I/O.
      maxWeight: 1_000,
    })
  }

  /**
   * Ingests one event or an array of events. With `atomic`, any rejected event rejects the whole
   * request (`USAGE_BATCH_REJECTED`, or `USAGE_PAYMENT_REQUIRED` when only payment is missing)
   * and nothing is written. Without it, valid events are accepted and the others listed.
   */
  async ingest(
    access: UsageAccess,
    body: unknown,
    opts: { readonly atomic?: boolean } = {},
  ): Promise<UsageReport> {
    const studioId = this.studioOf(access)
    return this.ingestPrepared(access, studioId, prepared(prepareUsage(body)), opts)
  }

  /**
   * {@link ingest} of a request body as JSON text: large bodies are parsed, validated and hashed
   * by the `UsagePreparer` (another thread) while this one writes. Text that is not JSON throws
   * `USAGE_BODY_INVALID`.
   */
  async ingestJson(
    access: UsageAccess,
    text: string,
    opts: { readonly atomic?: boolean } = {},
  ): Promise<UsageReport> {
    const studioId = this.studioOf(access)
    const { preparer } = this.deps
    const outcome =
      preparer === undefined || text.length < PREPARE_ELSEWHERE_FROM_CHARS
        ? prepareUsageJson(text)
        : // Preparing is pure: if the thread is lost, the work is simply done here instead.
          await preparer.prepare(text).catch(() => prepareUsageJson(text))
    return this.ingestPrepared(access, studioId, prepared(outcome), opts)
  }

  private async ingestPrepared(
    access: UsageAccess,
    studioId: string,
    request: PreparedUsage,
    opts: { readonly atomic?: boolean },
  ): Promise<UsageReport> {
    const now = this.deps.clock.nowIso()
    const rejected: UsageRejection[] = [...request.rejected]
    const { store } = this.deps
    // Small requests of a studio share transactions (group commit); a large batch has its own.
    const inTransaction = <T>(work: (tx: Store) => Promise<T>): Promise<T> =>
      request.count <= GROUP_COMMIT_MAX_EVENTS
        ? this.groupCommit.run(studioId, work, request.count)
        : store.transaction(work)
    const outcome = await inTransaction(async (tx) => {
      await tx.usage.lockStudio(studioId)
      // Read in the transaction: one turn at the connection rather than one per grant lookup,
      // which under many concurrent single-event requests is what decides the wait.
      const candidates = await this.checkGrants(tx, access, studioId, request, now, rejected)
      const existing = await tx.usage.existingKeys(
        studioId,
        candidates.map((c) => c.key),
      )
      // A key stored before is a duplicate. A key repeated within this request shares the fate
      // of its first copy: a duplicate if that is accepted, rejected alike if it is not.
      const firstIndex = new Map<string, number>()
      const copies: Candidate[] = []
      let duplicates = 0
      const fresh: Candidate[] = []
      for (const c of candidates) {
        if (existing.has(c.key)) duplicates++
        else if (firstIndex.has(c.key)) copies.push(c)
        else {
          firstIndex.set(c.key, c.index)
          fresh.push(c)
        }
      }
      const openFrom = await this.firstOpenPeriod(tx, studioId)
      // Usage of a closed period is invoiced in the first open one, as a late line.
      const billingPeriod = (time: string): string => {
        const period = periodOf(time)
        return openFrom !== null && period < openFrom ? openFrom : period
      }
      const priced = await this.price(tx, studioId, fresh, now, rejected, billingPeriod)
      if (copies.length > 0) {
        const acceptedKeys = new Set(priced.accepted.map((c) => c.key))
        for (const c of copies) {
          if (acceptedKeys.has(c.key)) {
            duplicates++
            continue
          }
          const first = rejected.find((r) => r.index === firstIndex.get(c.key))
          rejected.push({
            index: c.index,
            code: first?.code ?? 'USAGE_PAYMENT_REQUIRED',
            message: first?.message ?? 'the first copy of this event was refused',
          })
        }
      }
      rejected.sort((a, b) => a.index - b.index)
      if (opts.atomic === true && rejected.length > 0) {
        const onlyPayment = rejected.every((r) => r.code === 'USAGE_PAYMENT_REQUIRED')
        throw new BillingError(
          onlyPayment ? 'USAGE_PAYMENT_REQUIRED' : 'USAGE_BATCH_REJECTED',
          onlyPayment
            ? 'the wallet does not cover the fees this batch raises; nothing was accepted'
            : `${rejected.length} of ${request.count} events were rejected; nothing was accepted`,
          { rejected, ...(onlyPayment ? { quote: priced.quotes } : {}) },
        )
      }
      for (const q of priced.quotes) {
        await tx.usage.holdGrant(studioId, q.grantId, q, now)
      }
      for (const grantId of priced.paidGrants) await tx.usage.releaseGrant(studioId, grantId)
      if (priced.accepted.length === 0) {
        return {
          duplicates,
          batchId: null,
          submission: null,
          charges: priced.charges,
          quotes: priced.quotes,
        }
      }
      const batchId = this.deps.ids.next('ubt')
      const events = priced.accepted
      // Every prepared event accepted, in order: the tree is the one prepared with them.
      const allPrepared =
        events.length === request.events.length &&
        events.every((c, i) => c.index === request.events[i]?.index)
      const root = Buffer.from(
        allPrepared ? request.root : merkleRoot(events.map((c) => c.leaf)),
      ).toString('hex')
      let units = 0
      for (const c of events) units += c.event.units
      const logEntry = {
        type: 'usage.batch',
        studio: studioId,
        time: now,
        batch: batchId,
        events: events.length,
        units,
        merkleRoot: root,
      }
      const submission =
        this.deps.log === undefined
          ? null
          : ((await this.deps.log.queue(tx, [logEntry]))[0] ?? null)
      const records: UsageEventRecord[] = events.map((c, seq) => {
        return {
          studioId,
          key: c.key,
          source: c.event.source,
          eventId: c.event.id,
          batchId,
          seq,
          grantId: c.agreement.grantId,
          agreementId: c.agreement.id,
          assetId: c.agreement.assetId,
          assignee: c.agreement.assignee,
          kind: c.event.kind,
          units: c.event.units,
          time: c.event.time,
          period: billingPeriod(c.event.time),
          canonical: c.event.canonical,
          receivedAt: now,
        }
      })
      await tx.usage.insertBatch(
        {
          id: batchId,
          studioId,
          createdAt: now,
          createdBy: access.caller?.keyId ?? `grant:${access.grant?.grantId ?? ''}`,
          eventCount: events.length,
          units,
          merkleRoot: root,
          logEntry: canonicalJson(logEntry),
          logSubmission: submission,
        },
        records,
      )
      const ledger: LedgerTransactionRecord[] = priced.transactions.map((t) => ({
        studioId,
        period: t.period,
        tx: { ...t.tx, refs: { ...t.tx.refs, batch: batchId } },
      }))
      await tx.ledger.append(ledger)
      return { duplicates, batchId, submission, charges: priced.charges, quotes: priced.quotes }
    })
    let logIndex: number | null = null
    if (outcome.submission !== null && this.deps.log !== undefined) {
      logIndex = (await this.deps.log.waitFor([outcome.submission]))[0] ?? null
    }
    const accepted = request.count - rejected.length - outcome.duplicates
    if (accepted === 0 && outcome.duplicates === 0 && rejected.length > 0 && request.count === 1) {
      // A single event answers with its own code, as any other bad input does.
      const only = rejected[0] as UsageRejection
      throw new BillingError(only.code as BillingErrorCode, only.message, {
        rejected,
        ...(only.code === 'USAGE_PAYMENT_REQUIRED' ? { quote: outcome.quotes } : {}),
      })
    }
    return {
      accepted,
      duplicates: outcome.duplicates,
      rejected,
      batchId: outcome.batchId,
      logIndex,
      charges: outcome.charges,
      quotes: outcome.quotes,
    }
  }

  /** The unpaid quote holding a grant's exports, or null. */
  async hold(
    studioId: string,
    grantId: string,
  ): Promise<{ readonly amountMinor: number; readonly currency: string } | null> {
    return this.deps.store.usage.hold(studioId, grantId)
  }

  private studioOf(access: UsageAccess): string {
    if (access.caller !== undefined) {
      requirePermission(access.caller, 'usage.report')
      return access.caller.studioId
    }
    if (access.grant !== undefined) return access.grant.studioId
    throw new AccessError('AUTH_KEY_MISSING', 'report usage with an API key or a grant token')
  }

  // Each event must name a grant of this studio the reporter holds, in its window.
  private async checkGrants(
    store: Store,
    access: UsageAccess,
    studioId: string,
    request: PreparedUsage,
    now: string,
    rejected: UsageRejection[],
  ): Promise<Candidate[]> {
    const agreements = new Map<string, AgreementRecord | null>()
    const revoked = new Map<string, string | null>()
    for (const event of request.events) {
      if (!agreements.has(event.subject)) {
        const a = await store.agreements.findByGrantId(event.subject)
        agreements.set(event.subject, a)
        if (a !== null) {
          revoked.set(a.grantId, await store.agreements.revokedAt(a.studioId, a.id))
        }
      }
    }
    const caller = access.caller
    const out: Candidate[] = []
    for (let i = 0; i < request.events.length; i++) {
      const event = request.events[i] as PreparedEvent
      const index = event.index
      let agreement = agreements.get(event.subject) ?? null
      const mayReport =
        agreement !== null &&
        agreement.studioId === studioId &&
        (caller === undefined
          ? access.grant?.grantId === agreement.grantId
          : caller.role === 'owner' || caller.party === agreement.assignee)
      if (!mayReport) agreement = null
      const code = checkEventAgainstGrant(
        event,
        agreement === null
          ? null
          : {
              studioId: agreement.studioId,
              notBefore: agreement.createdAt,
              expiresAt: agreement.expiresAt,
              revokedAt: revoked.get(agreement.grantId) ?? null,
            },
        studioId,
        now,
      )
      if (code !== null) {
        rejected.push({ index, code, message: REJECT_MESSAGES[code] })
        continue
      }
      const a = agreement as AgreementRecord
      if (event.assetId !== undefined && event.assetId !== a.assetId) {
        rejected.push({
          index,
          code: 'USAGE_ASSET_NOT_COVERED',
          message: `the grant covers asset ${a.assetId}, not ${event.assetId}`,
        })
        continue
      }
      out.push({ index, event, key: event.key, agreement: a, leaf: preparedLeaf(request, i) })
    }
    return out
  }

  // The compiled policies of the licence versions these candidates were agreed under, as
  // `meterPrice` keys them (`assetId/version`), from the cache.
  private cachedPolicies(
    studioId: string,
    candidates: readonly Candidate[],
  ): Map<string, CompiledPolicy> {
    const out = new Map<string, CompiledPolicy>()
    const agreements = new Set<AgreementRecord>()
    for (const c of candidates) agreements.add(c.agreement)
    for (const a of agreements) {
      const key = `${a.assetId}/${a.licenceVersion}`
      const policy = this.policyCache.get(`${studioId}/${key}`)
      if (policy !== undefined) out.set(key, policy)
    }
    return out
  }

  private keepPolicies(studioId: string, policies: ReadonlyMap<string, CompiledPolicy>): void {
    for (const [key, policy] of policies) {
      const cacheKey = `${studioId}/${key}`
      if (this.policyCache.has(cacheKey)) continue
      if (this.policyCache.size >= POLICY_CACHE_ENTRIES) {
        const oldest = this.policyCache.keys().next().value
        if (oldest !== undefined) this.policyCache.delete(oldest)
      }
      this.policyCache.set(cacheKey, policy)
    }
  }

  private async firstOpenPeriod(tx: Store, studioId: string): Promise<string | null> {
    const closed = await tx.billing.closedPeriods(studioId)
    const last = closed.at(-1)
    return last === undefined || !isPeriod(last) ? null : nextPeriod(last)
  }

  // Walks the fresh events in order per grant and kind, raising fees as cumulative usage
  // crosses the price's thresholds. Prepaid fees must fit the wallet: the first event that does
  // not fit, and every later one of that grant and kind, is refused with a quote.
  private async price(
    tx: Store,
    studioId: string,
    fresh: readonly Candidate[],
    now: string,
    rejected: UsageRejection[],
    billingPeriod: (time: string) => string,
  ): Promise<{
    accepted: Candidate[]
    charges: UsageCharge[]
    transactions: { period: string; tx: LedgerTransaction }[]
    quotes: { grantId: string; amountMinor: number; currency: string }[]
    paidGrants: string[]
  }> {
    const meters = await tx.usage.meters(
      studioId,
      fresh.map((c) => c.agreement.grantId),
    )
    const policies = this.cachedPolicies(studioId, fresh)
    const prices = new Map<string, MeterPrice | null>()
    const running = new Map<string, number>()
    const owed = new Map<string, number>()
    const refused = new Set<string>()
    const wallets = new Map<string, number>()
    const accepted: Candidate[] = []
    const quotes = new Map<string, { grantId: string; amountMinor: number; currency: string }>()
    for (const c of fresh) {
      const meterKey = `${c.agreement.grantId}/${c.event.kind}`
      if (refused.has(meterKey)) {
        // Later usage of a refused meter is refused too, and its fee joins the quote.
        const price = prices.get(meterKey) ?? null
        const prior = running.get(meterKey) ?? meters.get(meterKey) ?? 0
        const q = quotes.get(meterKey)
        if (price !== null && q !== undefined) {
          q.amountMinor += incrementalChargeMinor(price.model, prior, c.event.units)
        }
        running.set(meterKey, prior + c.event.units)
        rejected.push(paymentRejection(c.index))
        continue
      }
      if (!prices.has(meterKey)) {
        prices.set(meterKey, await meterPrice(tx, c.agreement, c.event.kind, policies))
      }
      const price = prices.get(meterKey) ?? null
      const prior = running.get(meterKey) ?? meters.get(meterKey) ?? 0
      const fee =
        price?.source === 'licence' && price.settlement === 'prepaid'
          ? incrementalChargeMinor(price.model, prior, c.event.units)
          : 0
      if (fee > 0 && price !== null) {
        const walletKey = `${c.agreement.assignee}/${price.model.currency}`
        let available = wallets.get(walletKey)
        if (available === undefined) {
          const account = accounts.wallet(c.agreement.assignee)
          await tx.ledger.lockAccount(studioId, account)
          // A wallet is credit-normal: its balance is minus the sum of its entries.
          available = 0 - (await tx.ledger.sum(studioId, account, price.model.currency))
        }
        if (fee > available) {
          refused.add(meterKey)
          running.set(meterKey, prior + c.event.units)
          const q = quotes.get(meterKey)
          quotes.set(meterKey, {
            grantId: c.agreement.grantId,
            amountMinor: (q?.amountMinor ?? 0) + fee,
            currency: price.model.currency,
          })
          rejected.push(paymentRejection(c.index))
          continue
        }
        wallets.set(walletKey, available - fee)
        // Fees are booked in the billing period of the usage that raised them.
        const owedKey = `${meterKey}|${billingPeriod(c.event.time)}`
        owed.set(owedKey, (owed.get(owedKey) ?? 0) + fee)
      }
      running.set(meterKey, prior + c.event.units)
      accepted.push(c)
    }
    const charges: UsageCharge[] = []
    const transactions: { period: string; tx: LedgerTransaction }[] = []
    const assets = new Map<string, Asset>()
    for (const [owedKey, amountMinor] of owed) {
      const [meterKey = '', period = ''] = owedKey.split('|')
      const c = accepted.find((a) => `${a.agreement.grantId}/${a.event.kind}` === meterKey)
      const price = prices.get(meterKey)
      if (c === undefined || price === undefined || price === null) continue
      let asset = assets.get(c.agreement.assetId)
      if (asset === undefined) {
        const found = await tx.assets.get(studioId, c.agreement.assetId)
        if (found === null) throw new ArchiveError('ASSET_NOT_FOUND', c.agreement.assetId)
        asset = found
        assets.set(found.id, found)
      }
      const split = await splitCharge(tx, asset, amountMinor, this.deps.royalties)
      transactions.push({
        period,
        tx: chargeTransaction({
          id: this.deps.ids.next('ltx'),
          createdAt: now,
          party: c.agreement.assignee,
          currency: price.model.currency,
          settlement: 'prepaid',
          split,
          refs: {
            grant: c.agreement.grantId,
            agreement: c.agreement.id,
            asset: c.agreement.assetId,
            kind: c.event.kind,
          },
          memo: `prepaid usage fee (${c.event.kind})`,
        }),
      })
      charges.push({
        grantId: c.agreement.grantId,
        kind: c.event.kind,
        amountMinor,
        currency: price.model.currency,
        settlement: 'prepaid',
      })
    }
    this.keepPolicies(studioId, policies)
    // A grant with accepted usage and no new quote has paid its way: lift any earlier hold.
    const quoted = new Set([...quotes.values()].map((q) => q.grantId))
    const paidGrants = [...new Set(accepted.map((c) => c.agreement.grantId))].filter(
      (g) => !quoted.has(g),
    )
    return { accepted, charges, transactions, quotes: [...quotes.values()], paidGrants }
  }
}

// The prepared events, or the request's problem as an error.
function prepared(outcome: PreparedUsage | UsageBodyProblem): PreparedUsage {
  if (isUsageBodyProblem(outcome)) throw new BillingError(outcome.code, outcome.message)
  return outcome
}

function paymentRejection(index: number): UsageRejection {
  return {
    index,
    code: 'USAGE_PAYMENT_REQUIRED',
    message: 'the prepaid fee this usage raises exceeds the wallet balance; top up and resend',
  }
}

const REJECT_MESSAGES: Record<UsageRejectCode, string> = {
  USAGE_GRANT_UNKNOWN: 'the subject names no grant of yours in this studio',
  USAGE_GRANT_REVOKED: 'the grant was revoked',
  USAGE_GRANT_EXPIRED: 'the grant has expired',
  USAGE_TIME_OUTSIDE_GRANT: "the event's time is outside the grant's period",
  USAGE_TIME_TOO_OLD: 'the event is more than 35 days old',
  USAGE_TIME_IN_FUTURE: "the event's time is in the future",
}

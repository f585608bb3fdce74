import { type Caller, isAbsoluteIri, requirePermission } from '../../core/access/index.js'
import { periodOf } from '../../core/billing/index.js'
import {
  accounts,
  chargeTransaction,
  type RevenueSplit,
  topUpTransaction,
} from '../../core/metering/index.js'
import type { Clock, IdSource, PaymentRecord, Store } from '../ports.js'
import { BillingError } from './billing-error.js'

/** The largest single top-up, in minor units: a typo guard, not a business rule. */
export const MAX_TOP_UP_MINOR = 1_000_000_000_00

const CURRENCIES = new Set(Intl.supportedValuesOf('currency'))

/** A wallet's balance in one currency. */
export interface WalletBalance {
  readonly party: string
  readonly currency: string
  readonly balanceMinor: number
}

/**
 * Prepaid wallets. A top-up goes through a payments provider: the built-in `manual` provider
 * records the request and a studio owner confirms that the money arrived, which posts the
 * ledger transaction (clearing → wallet). Balances are always derived from ledger entries.
 * Debits lock the wallet's account for their transaction, so concurrent debits can never take
 * a balance below zero.
 */
export class WalletService {
  constructor(
    private readonly deps: { readonly store: Store; readonly clock: Clock; readonly ids: IdSource },
  ) {}

  /**
   * Asks for a top-up. Outside parties top up their own wallet; owners may name any party and
   * `confirm` at once (money received out of band). Throws `PAYMENT_INVALID` for a bad amount,
   * currency or party.
   */
  async requestTopUp(
    caller: Caller,
    input: { party?: string; currency: string; amountMinor: number; confirm?: boolean },
  ): Promise<PaymentRecord> {
    requirePermission(caller, 'wallet.topUp')
    const party = input.party ?? caller.party
    if (caller.role !== 'owner' && party !== caller.party) {
      throw new BillingError(
        'PAYMENT_INVALID',
        `you may top up only your own wallet (${caller.party})`,
      )
    }
    if (!isAbsoluteIri(party))
      throw new BillingError('PAYMENT_INVALID', 'party must be an absolute IRI')
    if (!/^[A-Z]{3}$/.test(input.currency) || !CURRENCIES.has(input.currency)) {
      throw new BillingError('PAYMENT_INVALID', 'currency must be an ISO 4217 code such as EUR')
    }
    if (
      !Number.isSafeInteger(input.amountMinor) ||
      input.amountMinor <= 0 ||
      input.amountMinor > MAX_TOP_UP_MINOR
    ) {
      throw new BillingError(
        'PAYMENT_INVALID',
        `amountMinor must be a positive integer of minor units, at most ${MAX_TOP_UP_MINOR}`,
      )
    }
    if (input.confirm === true) requirePermission(caller, 'billing.manage')
    const now = this.deps.clock.nowIso()
    const record: PaymentRecord = {
      id: this.deps.ids.next('pay'),
      studioId: caller.studioId,
      party,
      currency: input.currency,
      amountMinor: input.amountMinor,
      provider: 'manual',
      status: 'pending',
      createdAt: now,
      createdBy: caller.keyId,
      confirmedAt: null,
      confirmedBy: null,
    }
    if (input.confirm !== true) {
      await this.deps.store.payments.create(record)
      return record
    }
    return this.deps.store.transaction(async (tx) => {
      await tx.payments.create(record)
      return this.confirmIn(tx, caller, record.id)
    })
  }

  /** Confirms a pending top-up (owners): the wallet is credited. */
  async confirm(caller: Caller, paymentId: string): Promise<PaymentRecord> {
    requirePermission(caller, 'billing.manage')
    return this.deps.store.transaction((tx) => this.confirmIn(tx, caller, paymentId))
  }

  /** Balances of a party's wallets (own wallet for outside parties; any for owners/auditors). */
  async balances(caller: Caller, party?: string): Promise<WalletBalance[]> {
    const who = party ?? caller.party
    if (who !== caller.party) requirePermission(caller, 'billing.read')
    const account = accounts.wallet(who)
    const sums = await this.deps.store.ledger.sums(caller.studioId)
    return sums
      .filter((s) => s.account === account)
      .map((s) => ({ party: who, currency: s.currency, balanceMinor: 0 - s.sum }))
  }

  /** A party's payments (own for outside parties). */
  async payments(caller: Caller, party?: string): Promise<readonly PaymentRecord[]> {
    const who =
      party ?? (caller.role === 'owner' || caller.role === 'auditor' ? undefined : caller.party)
    if (who !== caller.party) requirePermission(caller, 'billing.read')
    return this.deps.store.payments.list(caller.studioId, who)
  }

  /**
   * Inside `tx`: debits `split.totalMinor` from the party's wallet as a prepaid charge, or
   * throws `WALLET_INSUFFICIENT` (with the shortfall) changing nothing. The wallet account is
   * locked until `tx` ends.
   */
  async debit(
    tx: Store,
    p: {
      studioId: string
      party: string
      currency: string
      split: RevenueSplit
      refs: Readonly<Record<string, string>>
      memo: string
    },
  ): Promise<string> {
    const account = accounts.wallet(p.party)
    await tx.ledger.lockAccount(p.studioId, account)
    const available = 0 - (await tx.ledger.sum(p.studioId, account, p.currency))
    if (available < p.split.totalMinor) {
      throw new BillingError(
        'WALLET_INSUFFICIENT',
        `the wallet holds ${available} minor units of ${p.currency}; ${p.split.totalMinor} are needed`,
        {
          quote: {
            amountMinor: p.split.totalMinor,
            currency: p.currency,
            balanceMinor: available,
            shortfallMinor: p.split.totalMinor - available,
          },
        },
      )
    }
    const now = this.deps.clock.nowIso()
    const id = this.deps.ids.next('ltx')
    await tx.ledger.append([
      {
        studioId: p.studioId,
        period: periodOf(now),
        tx: chargeTransaction({
          id,
          createdAt: now,
          party: p.party,
          currency: p.currency,
          settlement: 'prepaid',
          split: p.split,
          refs: p.refs,
          memo: p.memo,
        }),
      },
    ])
    return id
  }

  private async confirmIn(tx: Store, caller: Caller, paymentId: string): Promise<PaymentRecord> {
    const payment = await tx.payments.get(caller.studioId, paymentId)
    if (payment === null) throw new BillingError('PAYMENT_NOT_FOUND', `no payment ${paymentId}`)
    const now = this.deps.clock.nowIso()
    if (!(await tx.payments.confirm(caller.studioId, paymentId, now, caller.keyId))) {
      throw new BillingError(
        'PAYMENT_NOT_PENDING',
        `payment ${paymentId} is already ${payment.status}`,
      )
    }
    await tx.ledger.append([
      {
        studioId: caller.studioId,
        period: periodOf(now),
        tx: topUpTransaction({
          id: this.deps.ids.next('ltx'),
          createdAt: now,
          party: payment.party,
          currency: payment.currency,
          amountMinor: payment.amountMinor,
          provider: payment.provider,
          refs: { payment: payment.id },
        }),
      },
    ])
    return { ...payment, status: 'confirmed', confirmedAt: now, confirmedBy: caller.keyId }
  }
}

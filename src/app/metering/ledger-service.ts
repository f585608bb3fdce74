import { type Caller, requirePermission } from '../../core/access/index.js'
import { nextPeriod, periodOf } from '../../core/billing/index.js'
import { reversalTransaction } from '../../core/metering/index.js'
import type { Clock, IdSource, LedgerTransactionRecord, Store } from '../ports.js'
import { BillingError } from './billing-error.js'

/**
 * The ledger as the studio and its auditors see it, and corrections. Nothing in the ledger is
 * ever edited or deleted: a correction is a credit note, a new transaction that reverses a
 * charge, booked in the first open period (a closed period never changes).
 */
export class LedgerService {
  constructor(
    private readonly deps: { readonly store: Store; readonly clock: Clock; readonly ids: IdSource },
  ) {}

  /** The studio's transactions, oldest first, optionally of one period (owners, auditors). */
  async transactions(caller: Caller, period?: string): Promise<readonly LedgerTransactionRecord[]> {
    requirePermission(caller, 'billing.read')
    return this.deps.store.ledger.transactions(caller.studioId, period)
  }

  /** Every account's balance in its natural sign, by currency (owners, auditors). */
  async balances(
    caller: Caller,
    period?: string,
  ): Promise<readonly { account: string; currency: string; sum: number }[]> {
    requirePermission(caller, 'billing.read')
    return this.deps.store.ledger.sums(caller.studioId, period)
  }

  /**
   * Issues a credit note reversing a charge (owners): a prepaid charge goes back to the wallet,
   * a postpaid one off the receivable, and every share with it. Throws
   * `BILLING_DOCUMENT_NOT_FOUND` for an unknown transaction, `PAYMENT_INVALID` for one that is
   * not a charge or was already reversed.
   */
  async creditNote(
    caller: Caller,
    transactionId: string,
    memo?: string,
  ): Promise<LedgerTransactionRecord> {
    requirePermission(caller, 'billing.manage')
    const studioId = caller.studioId
    return this.deps.store.transaction(async (tx) => {
      await tx.usage.lockStudio(studioId)
      const all = await tx.ledger.transactions(studioId)
      const original = all.find((t) => t.tx.id === transactionId)
      if (original === undefined) {
        throw new BillingError(
          'BILLING_DOCUMENT_NOT_FOUND',
          `no ledger transaction ${transactionId}`,
        )
      }
      if (original.tx.kind !== 'charge') {
        throw new BillingError(
          'PAYMENT_INVALID',
          `only charges can be credited, not a ${original.tx.kind}`,
        )
      }
      if (all.some((t) => t.tx.refs?.['reverses'] === transactionId)) {
        throw new BillingError('PAYMENT_INVALID', `${transactionId} was already credited`)
      }
      const now = this.deps.clock.nowIso()
      const closed = await tx.billing.closedPeriods(studioId)
      let period = periodOf(now)
      while (closed.includes(period)) period = nextPeriod(period)
      const record: LedgerTransactionRecord = {
        studioId,
        period,
        tx: reversalTransaction(original.tx, {
          id: this.deps.ids.next('ltx'),
          createdAt: now,
          memo: memo ?? `credit note for ${transactionId}`,
        }),
      }
      await tx.ledger.append([record])
      return record
    })
  }
}

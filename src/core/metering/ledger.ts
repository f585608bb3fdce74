import { MeteringError } from './metering-error.js'
import type { RevenueSplit } from './revenue-split.js'

// Double-entry bookkeeping for prepaid wallets, postpaid receivables and royalty payables. Every
// transaction's signed entries sum to exactly zero (positive = debit, negative = credit), and
// nothing is ever edited: a correction is a new transaction, such as a reversal (credit note).
// Balances are always derived from the entries, never stored beside them.

/** The kind of a ledger account, from its name's prefix. */
export type AccountKind =
  | 'wallet'
  | 'receivable'
  | 'revenue'
  | 'designer-payable'
  | 'upstream-payable'
  | 'platform-fee'
  | 'clearing'

/** One leg of a transaction; `amountMinor` is signed: positive = debit, negative = credit. */
export interface LedgerEntry {
  readonly account: string
  readonly amountMinor: number
}

/** A balanced set of entries in one currency, recorded together. */
export interface LedgerTransaction {
  readonly id: string
  readonly kind: string
  readonly currency: string
  readonly entries: readonly LedgerEntry[]
  readonly createdAt: string
  readonly memo?: string
  readonly refs?: Readonly<Record<string, string>>
}

const PREFIX_KIND = new Map<string, AccountKind>([
  ['wallet', 'wallet'],
  ['receivable', 'receivable'],
  ['revenue', 'revenue'],
  ['designer', 'designer-payable'],
  ['upstream', 'upstream-payable'],
  ['fee', 'platform-fee'],
  ['clearing', 'clearing'],
])

// Debit-normal accounts are assets of the studio (money owed to it, money at the provider);
// the others are liabilities or income, whose balance grows with credits.
const DEBIT_NORMAL: ReadonlySet<AccountKind> = new Set(['receivable', 'clearing'])

function unbalanced(message: string): MeteringError {
  return new MeteringError('LEDGER_UNBALANCED', message)
}

function named(prefix: string, id: string): string {
  if (typeof id !== 'string' || id.length === 0) throw unbalanced(`${prefix} account needs an id`)
  return `${prefix}:${id}`
}

/**
 * Account names. Throws `LEDGER_UNBALANCED` for an empty id. The part after the first `:` is
 * opaque, so ids may themselves contain colons.
 */
export const accounts = {
  /** Money the studio holds for a licensee (prepaid balance). */
  wallet: (party: string): string => named('wallet', party),
  /** Money a licensee owes the studio (postpaid). */
  receivable: (party: string): string => named('receivable', party),
  /** The studio's own revenue. */
  revenue: (): string => 'revenue:studio',
  /** Royalties owed to a designer. */
  designerPayable: (designerId: string): string => named('designer', designerId),
  /** Royalties owed to the owner of an upstream asset. */
  upstreamPayable: (assetId: string): string => named('upstream', assetId),
  /** The platform's fee. */
  platformFee: (): string => 'fee:platform',
  /** Money held at a payment provider before it settles. */
  clearing: (provider: string): string => named('clearing', provider),
} as const

/** The kind of an account name. Throws `LEDGER_UNBALANCED` for an unknown prefix or empty id. */
export function accountKind(account: string): AccountKind {
  const colon = typeof account === 'string' ? account.indexOf(':') : -1
  const kind = colon > 0 ? PREFIX_KIND.get(account.slice(0, colon)) : undefined
  if (kind === undefined || colon === account.length - 1) {
    throw unbalanced(`unknown ledger account "${String(account).slice(0, 80)}"`)
  }
  return kind
}

/**
 * Checks double-entry invariants. Throws `MeteringError` (`LEDGER_UNBALANCED`) unless the
 * transaction has at least 2 entries, every amount is a non-zero safe integer, every account
 * name is known, the amounts sum to exactly 0 and the currency is 3 upper-case letters.
 */
export function checkTransaction(tx: LedgerTransaction): void {
  if (typeof tx.currency !== 'string' || !/^[A-Z]{3}$/.test(tx.currency)) {
    throw unbalanced(`transaction ${tx.id}: currency must be 3 upper-case letters`)
  }
  if (!Array.isArray(tx.entries) || tx.entries.length < 2) {
    throw unbalanced(`transaction ${tx.id}: needs at least 2 entries`)
  }
  // Summed as bigints: a float sum of large safe integers could round to 0 when it is not.
  let sum = 0n
  for (const e of tx.entries) {
    accountKind(e.account)
    if (!Number.isSafeInteger(e.amountMinor) || e.amountMinor === 0) {
      throw unbalanced(`transaction ${tx.id}: ${e.account} amount must be a non-zero safe integer`)
    }
    sum += BigInt(e.amountMinor)
  }
  if (sum !== 0n) throw unbalanced(`transaction ${tx.id}: entries sum to ${sum}, not 0`)
}

function natural(account: string, rawSum: number): number {
  // `0 - x`, not `-x`: a zero balance must be 0, not -0.
  return DEBIT_NORMAL.has(accountKind(account)) ? rawSum : 0 - rawSum
}

/**
 * The balance of `account` over `entries`, in its natural sign: the raw sum for debit-normal
 * accounts (receivable, clearing), minus the raw sum for credit-normal ones (wallet, revenue,
 * designer, upstream, platform fee). Throws `LEDGER_UNBALANCED` for an unknown account.
 */
export function balance(entries: Iterable<LedgerEntry>, account: string): number {
  let sum = 0
  for (const e of entries) if (e.account === account) sum += e.amountMinor
  return natural(account, sum)
}

/**
 * Natural balances of every account touched, by currency then account, in first-seen order.
 * Every transaction is checked first: throws `LEDGER_UNBALANCED` for any unbalanced one.
 */
export function balances(txs: Iterable<LedgerTransaction>): Map<string, Map<string, number>> {
  const raw = new Map<string, Map<string, number>>()
  for (const tx of txs) {
    checkTransaction(tx)
    let sums = raw.get(tx.currency)
    if (sums === undefined) {
      sums = new Map()
      raw.set(tx.currency, sums)
    }
    for (const e of tx.entries) sums.set(e.account, (sums.get(e.account) ?? 0) + e.amountMinor)
  }
  for (const sums of raw.values()) {
    for (const [account, sum] of sums) sums.set(account, natural(account, sum))
  }
  return raw
}

function positiveAmount(amountMinor: number, what: string): void {
  if (!Number.isSafeInteger(amountMinor) || amountMinor <= 0) {
    throw unbalanced(`${what} must be a positive safe integer`)
  }
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V }
}

function finish(tx: LedgerTransaction): LedgerTransaction {
  checkTransaction(tx)
  return tx
}

/**
 * A wallet top-up: debits `clearing:<provider>` and credits `wallet:<party>`. Throws
 * `LEDGER_UNBALANCED` unless the amount is a positive safe integer and the names are valid.
 */
export function topUpTransaction(p: {
  id: string
  createdAt: string
  party: string
  currency: string
  amountMinor: number
  provider: string
  refs?: Readonly<Record<string, string>>
}): LedgerTransaction {
  positiveAmount(p.amountMinor, 'top-up amount')
  return finish({
    id: p.id,
    kind: 'top-up',
    currency: p.currency,
    entries: [
      { account: accounts.clearing(p.provider), amountMinor: p.amountMinor },
      { account: accounts.wallet(p.party), amountMinor: -p.amountMinor },
    ],
    createdAt: p.createdAt,
    ...optional('refs', p.refs === undefined ? undefined : { ...p.refs }),
  })
}

/**
 * A usage charge: debits the split total from `wallet:<party>` (prepaid) or
 * `receivable:<party>` (postpaid), and credits every non-zero part of the split to
 * `fee:platform`, `upstream:<assetId>`, `designer:<id>` and `revenue:studio`, in that order.
 * Throws `MeteringError`: `SPLIT_INVALID` when the parts do not sum to the total or one is not a
 * non-negative safe integer, `LEDGER_UNBALANCED` for a zero total (a zero charge has nothing
 * to record; callers skip it).
 */
export function chargeTransaction(p: {
  id: string
  createdAt: string
  party: string
  currency: string
  settlement: 'prepaid' | 'postpaid'
  split: RevenueSplit
  refs?: Readonly<Record<string, string>>
  memo?: string
}): LedgerTransaction {
  const { split } = p
  const parts: LedgerEntry[] = [
    { account: accounts.platformFee(), amountMinor: split.platformFeeMinor },
    ...split.upstream.map((u) => ({
      account: accounts.upstreamPayable(u.assetId),
      amountMinor: u.amountMinor,
    })),
    ...split.designers.map((d) => ({
      account: accounts.designerPayable(d.designerId),
      amountMinor: d.amountMinor,
    })),
    { account: accounts.revenue(), amountMinor: split.studioMinor },
  ]
  let sum = 0n
  for (const part of parts) {
    if (!Number.isSafeInteger(part.amountMinor) || part.amountMinor < 0) {
      throw new MeteringError(
        'SPLIT_INVALID',
        `${part.account} share must be a non-negative integer`,
      )
    }
    sum += BigInt(part.amountMinor)
  }
  if (!Number.isSafeInteger(split.totalMinor) || sum !== BigInt(split.totalMinor)) {
    throw new MeteringError('SPLIT_INVALID', `split parts sum to ${sum}, not ${split.totalMinor}`)
  }
  positiveAmount(split.totalMinor, 'charge total')
  const debit = p.settlement === 'prepaid' ? accounts.wallet(p.party) : accounts.receivable(p.party)
  return finish({
    id: p.id,
    kind: 'charge',
    currency: p.currency,
    entries: [
      { account: debit, amountMinor: split.totalMinor },
      ...parts
        .filter((part) => part.amountMinor !== 0)
        .map((part) => ({ account: part.account, amountMinor: -part.amountMinor })),
    ],
    createdAt: p.createdAt,
    ...optional('memo', p.memo),
    ...optional('refs', p.refs === undefined ? undefined : { ...p.refs }),
  })
}

/**
 * A credit note for `original`: the same accounts with every amount negated, so applying both
 * leaves every balance where it was. `refs` keeps the original's refs and adds `reverses`
 * (the original id). Throws `LEDGER_UNBALANCED` if the original is not balanced.
 */
export function reversalTransaction(
  original: LedgerTransaction,
  p: { id: string; createdAt: string; memo?: string },
): LedgerTransaction {
  checkTransaction(original)
  return finish({
    id: p.id,
    kind: 'reversal',
    currency: original.currency,
    entries: original.entries.map((e) => ({ account: e.account, amountMinor: 0 - e.amountMinor })),
    createdAt: p.createdAt,
    memo: p.memo ?? `reversal of ${original.id}`,
    refs: { ...original.refs, reverses: original.id },
  })
}

export type { DatasetMember } from './dataset-split.js'
export { splitAcrossDataset } from './dataset-split.js'
export type { GrantWindow, UsageRejectCode } from './grant-check.js'
export { checkEventAgainstGrant, USAGE_MAX_AGE_MS, USAGE_MAX_SKEW_MS } from './grant-check.js'
export type { AccountKind, LedgerEntry, LedgerTransaction } from './ledger.js'
export {
  accountKind,
  accounts,
  balance,
  balances,
  chargeTransaction,
  checkTransaction,
  reversalTransaction,
  topUpTransaction,
} from './ledger.js'
export type { MeteringErrorCode } from './metering-error.js'
export { MeteringError } from './metering-error.js'
export type {
  PreparedEvent,
  PreparedRejection,
  PreparedUsage,
  UsageBodyProblem,
} from './prepare-usage.js'
export {
  isUsageBodyProblem,
  MAX_USAGE_BATCH,
  merkleRoot,
  preparedLeaf,
  prepareUsage,
  prepareUsageJson,
} from './prepare-usage.js'
export type { PriceModel, PriceTier } from './price-model.js'
export {
  describePriceModel,
  incrementalChargeMinor,
  PRICE_SCALE_DIGITS,
  parsePriceModel,
  periodAmountMinor,
} from './price-model.js'
export type { LineageEdge, RevenueSplit } from './revenue-split.js'
export { BPS_WHOLE, splitRevenue, upstreamRates } from './revenue-split.js'
export type { UsageEvent, UsageEventCheck, UsageKind } from './usage-event.js'
export {
  canonicalEventBytes,
  MAX_USAGE_ATTRIBUTE_LENGTH,
  MAX_USAGE_EVENT_BYTES,
  parseUsageEvent,
  USAGE_EVENT_TYPES,
  usageBatchRoot,
  usageEventInclusionProof,
} from './usage-event.js'

export type { BillingDocumentRecord } from '../ports.js'
export type { BillingErrorCode } from './billing-error.js'
export { BillingError } from './billing-error.js'
export { billingPdfSpec, renderBillingPdf } from './billing-pdf.js'
export type { ClosedPeriod } from './billing-service.js'
export { BillingService, parseStoredDocument } from './billing-service.js'
export { LedgerService } from './ledger-service.js'
export type { MeterPrice, RoyaltySettings } from './meter-price.js'
export { DEFAULT_ROYALTY_SETTINGS, meterPrice, splitCharge } from './meter-price.js'
export type {
  UsageAccess,
  UsageCharge,
  UsageRejection,
  UsageReport,
} from './usage-service.js'
export { MAX_USAGE_BATCH, UsageService } from './usage-service.js'
export type { WalletBalance } from './wallet-service.js'
export { MAX_TOP_UP_MINOR, WalletService } from './wallet-service.js'

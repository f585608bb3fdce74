export type {
  BatchCount,
  BillingCheckFailure,
  BillingDocument,
  BillingVerification,
  ControlTotal,
  InvoiceDocument,
  InvoiceLine,
  LineBasis,
  LineIds,
  LineUsage,
  ProvenBatch,
  StatementDocument,
  StatementDocumentV1,
  StatementLine,
  StatementLineV1,
} from './billing-document.js'
export {
  expectedLineAmount,
  INVOICE_FORMAT,
  invoiceTotals,
  LINE_BASES,
  STATEMENT_FORMAT,
  STATEMENT_FORMAT_V1,
  statementTotals,
  verifyBillingDocument,
} from './billing-document.js'
export type {
  BillingReceipt,
  BillingReceiptVerification,
  IssuedDocumentVerification,
} from './billing-receipt.js'
export {
  BILLING_RECEIPT_FORMAT,
  billingDocumentSha256,
  verifyBillingReceipt,
  verifyIssuedDocument,
} from './billing-receipt.js'
export { isPeriod, nextPeriod, periodEnd, periodOf, periodStart } from './period.js'
export { formatMinor, renderCsv, renderHtml } from './render.js'

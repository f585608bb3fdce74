export type {
  BatchCount,
  BillingCheckFailure,
  BillingDocument,
  BillingVerification,
  ControlTotal,
  InvoiceDocument,
  InvoiceLine,
  LineBasis,
  ProvenBatch,
  StatementDocument,
  StatementLine,
} from './billing-document.js'
export {
  expectedLineAmount,
  INVOICE_FORMAT,
  invoiceTotals,
  STATEMENT_FORMAT,
  statementTotals,
  verifyBillingDocument,
} from './billing-document.js'
export { isPeriod, nextPeriod, periodEnd, periodOf, periodStart } from './period.js'
export { formatMinor, renderCsv, renderHtml } from './render.js'

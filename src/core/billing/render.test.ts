import { describe, expect, it } from 'vitest'
import { INVOICE_FORMAT, type InvoiceDocument, invoiceTotals } from './billing-document.js'
import { formatMinor, renderCsv } from './render.js'

const lines: InvoiceDocument['lines'] = [
  {
    assetId: 'ast_1',
    grantId: '0123456789abcdef',
    agreementId: 'agr_1',
    kind: 'units',
    events: 3,
    units: 1520,
    basis: 'cumulative',
    priceModel: { kind: 'threshold', currency: 'EUR', freeUnits: 1000, unitPrice: '0.02' },
    price: '0.02 EUR per unit after 1000 free units',
    priorUnits: 0,
    amountMinor: 1040,
    batches: [{ batchId: 'ubt_1', events: 3, units: 1520 }],
  },
  {
    assetId: 'ast_2',
    grantId: 'fedcba9876543210',
    agreementId: 'agr_2',
    kind: 'variants',
    events: 1,
    units: 4,
    basis: 'free',
    price: 'free, "as agreed"',
    amountMinor: 0,
    batches: [{ batchId: 'ubt_2', events: 1, units: 4 }],
  },
]

const invoice: InvoiceDocument = {
  format: INVOICE_FORMAT,
  kind: 'invoice',
  id: 'inv_1',
  studio: 'std_1',
  period: '2026-10',
  issuedAt: '2026-11-01T09:00:00.000Z',
  party: 'https://mill.example/',
  currency: 'EUR',
  totalMinor: 1040,
  prepaidMinor: 0,
  dueMinor: 1040,
  lines,
  controlTotals: invoiceTotals(lines),
  batches: [],
  log: null,
}

describe('renderCsv', () => {
  it('writes an invoice as RFC 4180 rows: header, one per line, and the totals', () => {
    expect(renderCsv(invoice).split('\r\n')).toEqual([
      'invoice,period,licensee,asset,grant,kind,events,units,basis,price,amount,currency',
      'inv_1,2026-10,https://mill.example/,ast_1,0123456789abcdef,units,3,1520,cumulative,0.02 EUR per unit after 1000 free units,10.40,EUR',
      'inv_1,2026-10,https://mill.example/,ast_2,fedcba9876543210,variants,1,4,free,"free, ""as agreed""",0.00,EUR',
      'inv_1,2026-10,https://mill.example/,TOTAL,,,4,1524,,,10.40,EUR',
      '',
    ])
  })

  it('formats minor units with the currency’s digits', () => {
    expect(formatMinor(1040, 'EUR')).toBe('10.40')
    expect(formatMinor(-5, 'EUR')).toBe('-0.05')
    expect(formatMinor(1040, 'JPY')).toBe('1040')
    expect(formatMinor(1040, 'KWD')).toBe('1.040')
  })
})

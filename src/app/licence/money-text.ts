// ISO 4217 currencies whose minor unit is not the cent. Every other code has two digits.
const ZERO_DIGITS = new Set([
  'BIF',
  'CLP',
  'DJF',
  'GNF',
  'ISK',
  'JPY',
  'KMF',
  'KRW',
  'PYG',
  'RWF',
  'UGX',
  'UYI',
  'VND',
  'VUV',
  'XAF',
  'XOF',
  'XPF',
])
const THREE_DIGITS = new Set(['BHD', 'IQD', 'JOD', 'KWD', 'LYD', 'OMR', 'TND'])

/** Integer minor units as a decimal string in major units: `4000 EUR` → `"40.00"`. */
export function minorToDecimal(minor: number, currency: string): string {
  const digits = ZERO_DIGITS.has(currency) ? 0 : THREE_DIGITS.has(currency) ? 3 : 2
  const sign = minor < 0 ? '-' : ''
  const s = String(Math.abs(minor)).padStart(digits + 1, '0')
  return digits === 0 ? `${sign}${s}` : `${sign}${s.slice(0, -digits)}.${s.slice(-digits)}`
}

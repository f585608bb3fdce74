import { minorDigits } from './vocabulary.js'

/** An exact non-negative decimal amount of major currency units: `digits × 10^-scale`. */
export interface DecimalAmount {
  readonly digits: bigint
  readonly scale: number
  /** The amount as written, for summaries. */
  readonly text: string
}

const DECIMAL = /^(\d{1,15})(?:\.(\d{1,12}))?$/

/** Parses a non-negative decimal (`"0.02"`, `5`, `"5.00"`); undefined when malformed. */
export function parseDecimal(value: string | number): DecimalAmount | undefined {
  const text = typeof value === 'number' ? numberToDecimalText(value) : value.trim()
  if (text === undefined) return undefined
  const m = DECIMAL.exec(text)
  if (m === null) return undefined
  const frac = m[2] ?? ''
  return { digits: BigInt(`${m[1]}${frac}`), scale: frac.length, text }
}

function numberToDecimalText(n: number): string | undefined {
  if (!Number.isFinite(n) || n < 0) return undefined
  const t = String(n)
  return /e/i.test(t) ? undefined : t
}

/**
 * Minor units for `amount × quantity`, computed exactly and rounded half-up once on the total:
 * `round_half_up(digits × quantity × 10^minorDigits / 10^scale)`. Quantity is a non-negative
 * integer (units), so a price in sub-minor steps (0.005 EUR) rounds per request, never per unit.
 */
export function minorUnits(amount: DecimalAmount, quantity: number, currency: string): number {
  const exp = minorDigits(currency)
  const num = amount.digits * BigInt(quantity) * 10n ** BigInt(exp)
  const den = 10n ** BigInt(amount.scale)
  const q = num / den
  const r = num % den
  return Number(r * 2n >= den ? q + 1n : q)
}

/**
 * Units of a request that lie above a threshold: of the units numbered `prior+1 … prior+units`,
 * those numbered above `threshold`. Equals `max(0, prior+units−T) − max(0, prior−T)`.
 */
export function unitsAbove(prior: number, units: number, threshold: number): number {
  return Math.max(0, prior + units - threshold) - Math.max(0, prior - threshold)
}

/** Formats minor units as a major-unit amount with its currency, e.g. `40.00 EUR`. */
export function formatMoney(minor: number, currency: string): string {
  const exp = minorDigits(currency)
  if (exp === 0) return `${minor} ${currency}`
  const s = String(minor).padStart(exp + 1, '0')
  return `${s.slice(0, -exp)}.${s.slice(-exp)} ${currency}`
}

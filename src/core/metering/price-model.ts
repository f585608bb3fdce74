import { currencyCode, minorDigits } from '../policy/vocabulary.js'
import { MeteringError } from './metering-error.js'

// Why our own price engine: nothing on npm prices usage in exact decimals across graduated,
// volume, package, threshold and minimum models with increments that telescope: billing each
// event as `period(prior + new) − period(prior)` must add up, to the minor unit, to billing the
// whole period at once. Prices are decimal strings in major units, held as bigints scaled by
// 10^12, and an amount is rounded half-up exactly once, on the period total.

/** One tier of a graduated or volume price: units up to `upTo` (inclusive, cumulative). */
export interface PriceTier {
  /** The last unit of the tier, counted from the start of the period; null for the last tier. */
  readonly upTo: number | null
  /** Decimal string in major units, e.g. `"0.02"`. */
  readonly unitPrice: string
  /** Decimal string in major units, charged once when the tier is reached. */
  readonly flatFee?: string
}

/** How usage in one billing period is priced. Amounts are decimal strings in major units. */
export type PriceModel =
  | { readonly kind: 'perUnit'; readonly currency: string; readonly unitPrice: string }
  | { readonly kind: 'graduated'; readonly currency: string; readonly tiers: readonly PriceTier[] }
  | { readonly kind: 'volume'; readonly currency: string; readonly tiers: readonly PriceTier[] }
  | {
      readonly kind: 'package'
      readonly currency: string
      readonly packageSize: number
      readonly packagePrice: string
    }
  | { readonly kind: 'flat'; readonly currency: string; readonly fee: string }
  | {
      readonly kind: 'threshold'
      readonly currency: string
      readonly freeUnits: number
      readonly unitPrice: string
    }
  | {
      readonly kind: 'minimum'
      readonly currency: string
      readonly minimum: string
      readonly of: PriceModel
    }

/** Decimal places a price may have: prices are held as integers of 10^-12 major units. */
export const PRICE_SCALE_DIGITS = 12
const SCALE = 10n ** BigInt(PRICE_SCALE_DIGITS)
const DECIMAL = /^(\d{1,15})(?:\.(\d{1,12}))?$/
// Nested minimums are legal but pointless; the bound keeps recursion shallow on hostile input.
const MAX_NESTING = 8

interface CompiledTier {
  readonly upTo: bigint | null
  readonly price: bigint
  readonly flat: bigint
}

type Compiled =
  | { readonly kind: 'perUnit'; readonly price: bigint }
  | { readonly kind: 'graduated' | 'volume'; readonly tiers: readonly CompiledTier[] }
  | { readonly kind: 'package'; readonly size: bigint; readonly price: bigint }
  | { readonly kind: 'flat'; readonly fee: bigint }
  | { readonly kind: 'threshold'; readonly free: bigint; readonly price: bigint }
  | { readonly kind: 'minimum'; readonly minimum: bigint; readonly of: Compiled }

interface Checked {
  readonly model: PriceModel
  readonly compiled: Compiled
}

// Models returned by parsePriceModel are frozen, so their compiled form can be cached safely.
const compiledCache = new WeakMap<PriceModel, Compiled>()

function invalid(path: string, message: string): MeteringError {
  return new MeteringError('PRICE_MODEL_INVALID', `${path}: ${message}`)
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function checkKeys(obj: Record<string, unknown>, allowed: readonly string[], path: string): void {
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key)) throw invalid(`${path}.${key}`, 'unknown property')
  }
}

function decimal(v: unknown, path: string): { text: string; scaled: bigint } {
  if (typeof v !== 'string') throw invalid(path, 'must be a decimal string such as "0.02"')
  const m = DECIMAL.exec(v)
  if (m === null) {
    throw invalid(path, `"${v.slice(0, 40)}" is not a non-negative decimal (≤ 12 decimal places)`)
  }
  const frac = (m[2] ?? '').padEnd(PRICE_SCALE_DIGITS, '0')
  return { text: v, scaled: BigInt(`${m[1]}${frac}`) }
}

function count(v: unknown, path: string, min: number): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min) {
    throw invalid(path, `must be an integer ≥ ${min}`)
  }
  return v
}

function currencyOf(v: unknown, path: string): string {
  if (typeof v !== 'string' || !/^[A-Z]{3}$/.test(v) || currencyCode(v) !== v) {
    throw invalid(path, 'must be an ISO 4217 currency code such as "EUR"')
  }
  return v
}

function checkTiers(v: unknown, path: string): { tiers: PriceTier[]; compiled: CompiledTier[] } {
  if (!Array.isArray(v) || v.length === 0) throw invalid(path, 'must be a non-empty array')
  const tiers: PriceTier[] = []
  const compiled: CompiledTier[] = []
  let previous = 0
  v.forEach((t: unknown, i) => {
    const at = `${path}[${i}]`
    if (!isRecord(t)) throw invalid(at, 'must be an object')
    checkKeys(t, ['upTo', 'unitPrice', 'flatFee'], at)
    const last = i === v.length - 1
    let upTo: number | null
    if (last) {
      if (t['upTo'] !== null) throw invalid(`${at}.upTo`, 'the last tier must have upTo null')
      upTo = null
    } else {
      upTo = count(t['upTo'], `${at}.upTo`, 1)
      if (upTo <= previous) throw invalid(`${at}.upTo`, 'tiers must be in ascending upTo order')
      previous = upTo
    }
    const price = decimal(t['unitPrice'], `${at}.unitPrice`)
    const flat = t['flatFee'] === undefined ? undefined : decimal(t['flatFee'], `${at}.flatFee`)
    tiers.push(
      Object.freeze({
        upTo,
        unitPrice: price.text,
        ...(flat === undefined ? {} : { flatFee: flat.text }),
      }),
    )
    compiled.push({
      upTo: upTo === null ? null : BigInt(upTo),
      price: price.scaled,
      flat: flat?.scaled ?? 0n,
    })
  })
  return { tiers, compiled }
}

function check(raw: unknown, path: string, depth: number): Checked {
  if (!isRecord(raw)) throw invalid(path, 'must be an object')
  if (depth > MAX_NESTING) throw invalid(path, `minimum nested more than ${MAX_NESTING} deep`)
  const kind = raw['kind']
  const currency = currencyOf(raw['currency'], `${path}.currency`)
  const freeze = (model: PriceModel, compiled: Compiled): Checked => ({
    model: Object.freeze(model),
    compiled,
  })
  switch (kind) {
    case 'perUnit': {
      checkKeys(raw, ['kind', 'currency', 'unitPrice'], path)
      const p = decimal(raw['unitPrice'], `${path}.unitPrice`)
      return freeze({ kind, currency, unitPrice: p.text }, { kind, price: p.scaled })
    }
    case 'graduated':
    case 'volume': {
      checkKeys(raw, ['kind', 'currency', 'tiers'], path)
      const { tiers, compiled } = checkTiers(raw['tiers'], `${path}.tiers`)
      return freeze({ kind, currency, tiers: Object.freeze(tiers) }, { kind, tiers: compiled })
    }
    case 'package': {
      checkKeys(raw, ['kind', 'currency', 'packageSize', 'packagePrice'], path)
      const size = count(raw['packageSize'], `${path}.packageSize`, 1)
      const p = decimal(raw['packagePrice'], `${path}.packagePrice`)
      return freeze(
        { kind, currency, packageSize: size, packagePrice: p.text },
        { kind, size: BigInt(size), price: p.scaled },
      )
    }
    case 'flat': {
      checkKeys(raw, ['kind', 'currency', 'fee'], path)
      const fee = decimal(raw['fee'], `${path}.fee`)
      return freeze({ kind, currency, fee: fee.text }, { kind, fee: fee.scaled })
    }
    case 'threshold': {
      checkKeys(raw, ['kind', 'currency', 'freeUnits', 'unitPrice'], path)
      const free = count(raw['freeUnits'], `${path}.freeUnits`, 0)
      const p = decimal(raw['unitPrice'], `${path}.unitPrice`)
      return freeze(
        { kind, currency, freeUnits: free, unitPrice: p.text },
        { kind, free: BigInt(free), price: p.scaled },
      )
    }
    case 'minimum': {
      checkKeys(raw, ['kind', 'currency', 'minimum', 'of'], path)
      const min = decimal(raw['minimum'], `${path}.minimum`)
      const of = check(raw['of'], `${path}.of`, depth + 1)
      if (of.model.currency !== currency) {
        throw invalid(`${path}.of.currency`, `must match the outer currency ${currency}`)
      }
      return freeze(
        { kind, currency, minimum: min.text, of: of.model },
        { kind, minimum: min.scaled, of: of.compiled },
      )
    }
    default:
      throw invalid(
        `${path}.kind`,
        'must be one of perUnit, graduated, volume, package, flat, threshold, minimum',
      )
  }
}

/**
 * Validates a price model and returns a frozen, normalised copy (unknown properties rejected).
 * Throws `MeteringError` (`PRICE_MODEL_INVALID`) whose message names the JSON path of the first
 * problem: a currency that is not an ISO 4217 code, a price that is not a non-negative decimal
 * string with at most 12 decimal places, tiers not strictly ascending or whose last `upTo` is not
 * null, a non-positive package size, or a nested minimum in another currency.
 */
export function parsePriceModel(raw: unknown): PriceModel {
  const { model, compiled } = check(raw, '$', 0)
  compiledCache.set(model, compiled)
  return model
}

function compile(model: PriceModel): Compiled {
  return compiledCache.get(model) ?? check(model, '$', 0).compiled
}

function bigUnits(units: number, what: string): bigint {
  if (!Number.isSafeInteger(units) || units < 0) {
    throw new MeteringError('USAGE_UNITS_INVALID', `${what} must be a non-negative safe integer`)
  }
  return BigInt(units)
}

const min = (a: bigint, b: bigint): bigint => (a < b ? a : b)
const max = (a: bigint, b: bigint): bigint => (a > b ? a : b)

/** The exact amount for `u` units, in 10^-12 major units. */
function exact(c: Compiled, u: bigint): bigint {
  switch (c.kind) {
    case 'perUnit':
      return u * c.price
    case 'graduated': {
      let total = 0n
      let lower = 0n
      for (const t of c.tiers) {
        if (u <= lower) break
        const upper = t.upTo === null ? u : min(u, t.upTo)
        total += (upper - lower) * t.price + t.flat
        if (t.upTo === null) break
        lower = t.upTo
      }
      return total
    }
    case 'volume': {
      // No usage reaches no tier: zero units cost nothing, not the first tier's flat fee.
      if (u === 0n) return 0n
      const tier = c.tiers.find((t) => t.upTo === null || u <= t.upTo) as CompiledTier
      return u * tier.price + tier.flat
    }
    case 'package':
      return ((u + c.size - 1n) / c.size) * c.price
    case 'flat':
      return c.fee
    case 'threshold':
      return max(0n, u - c.free) * c.price
    case 'minimum':
      return max(c.minimum, exact(c.of, u))
  }
}

/** Rounds `scaled` (10^-12 major units, non-negative) half-up to minor units of `currency`. */
function toMinor(scaled: bigint, currency: string): number {
  const num = scaled * 10n ** BigInt(minorDigits(currency))
  const q = num / SCALE
  const minor = (num % SCALE) * 2n >= SCALE ? q + 1n : q
  if (minor > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new MeteringError('USAGE_UNITS_INVALID', 'amount exceeds the safe integer range')
  }
  return Number(minor)
}

/**
 * The amount in minor units for `units` used in one period, computed exactly and rounded
 * half-up once. Throws `MeteringError`: `USAGE_UNITS_INVALID` unless `units` is a non-negative
 * safe integer (or when the amount is not a safe integer), `PRICE_MODEL_INVALID` for a model
 * that {@link parsePriceModel} would reject.
 */
export function periodAmountMinor(model: PriceModel, units: number): number {
  const c = compile(model)
  return toMinor(exact(c, bigUnits(units, 'units')), model.currency)
}

/**
 * The charge in minor units for `newUnits` used after `priorUnits` in the same period:
 * `periodAmountMinor(prior + new) − periodAmountMinor(prior)`, so charges over any split of a
 * period's usage sum to the period amount. Negative only for volume pricing (crossing into a
 * cheaper tier). Throws as {@link periodAmountMinor}, and `USAGE_UNITS_INVALID` when
 * `prior + new` is not a safe integer.
 */
export function incrementalChargeMinor(
  model: PriceModel,
  priorUnits: number,
  newUnits: number,
): number {
  const c = compile(model)
  const prior = bigUnits(priorUnits, 'priorUnits')
  const total = prior + bigUnits(newUnits, 'newUnits')
  if (total > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new MeteringError('USAGE_UNITS_INVALID', 'priorUnits + newUnits exceeds the safe range')
  }
  return toMinor(exact(c, total), model.currency) - toMinor(exact(c, prior), model.currency)
}

function unitsText(n: number): string {
  return n === 1 ? '1 unit' : `${n} units`
}

function describeTier(t: PriceTier, from: number, currency: string, volume: boolean): string {
  const flat = t.flatFee === undefined ? '' : ` + ${t.flatFee} ${currency}`
  const price = `${t.unitPrice} ${currency} per unit${flat}`
  if (volume) {
    return t.upTo === null
      ? `${price} above ${unitsText(from)}`
      : `${price} up to ${unitsText(t.upTo)}`
  }
  return t.upTo === null
    ? `${price} for units ${from + 1} and up`
    : `${price} for units ${from + 1}–${t.upTo}`
}

function describeTiers(tiers: readonly PriceTier[], currency: string, volume: boolean): string {
  let from = 0
  const parts: string[] = []
  for (const t of tiers) {
    parts.push(describeTier(t, from, currency, volume))
    if (t.upTo !== null) from = t.upTo
  }
  return parts.join(', ')
}

/**
 * A short English description for invoice lines, e.g. `0.02 EUR per unit after 1000 free
 * units`. Prices appear as written in the model. Throws `PRICE_MODEL_INVALID` for an invalid
 * model.
 */
export function describePriceModel(model: PriceModel): string {
  const m = compiledCache.has(model) ? model : check(model, '$', 0).model
  const cur = m.currency
  switch (m.kind) {
    case 'perUnit':
      return `${m.unitPrice} ${cur} per unit`
    case 'graduated':
      return m.tiers.length === 1
        ? describeTiers(m.tiers, cur, true).replace(/ above 0 units$/, '')
        : `graduated: ${describeTiers(m.tiers, cur, false)}`
    case 'volume':
      return m.tiers.length === 1
        ? describeTiers(m.tiers, cur, true).replace(/ above 0 units$/, '')
        : `volume: ${describeTiers(m.tiers, cur, true)}, all units at the rate of the tier reached`
    case 'package':
      return `${m.packagePrice} ${cur} per ${m.packageSize === 1 ? 'unit' : `package of ${m.packageSize} units`}`
    case 'flat':
      return `flat fee of ${m.fee} ${cur}`
    case 'threshold':
      return m.freeUnits === 0
        ? `${m.unitPrice} ${cur} per unit`
        : `${m.unitPrice} ${cur} per unit after ${m.freeUnits} free ${m.freeUnits === 1 ? 'unit' : 'units'}`
    case 'minimum':
      return `${describePriceModel(m.of)}, minimum ${m.minimum} ${cur}`
  }
}

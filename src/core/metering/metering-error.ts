import { AppError } from '../shared/index.js'

/**
 * `USAGE_EVENT_INVALID`: a usage event is not a well-formed CloudEvents 1.0 structured JSON event
 * of ours (missing or malformed attribute, bad extension name, `data` not an object, bad time).
 * `USAGE_TYPE_UNKNOWN`: the event `type` is not one of `USAGE_EVENT_TYPES`.
 * `USAGE_UNITS_INVALID`: `data.units` (or a units argument) is not a non-negative safe integer,
 * or an amount computed from it leaves the safe-integer range.
 * `PRICE_MODEL_INVALID`: a price model is malformed (bad currency, decimal, tier order, nesting).
 * `LEDGER_UNBALANCED`: a ledger transaction or account name breaks double-entry rules.
 * `SPLIT_INVALID`: revenue-split inputs are out of range (bps, shares, total, lineage rates).
 */
export type MeteringErrorCode =
  | 'USAGE_EVENT_INVALID'
  | 'USAGE_TYPE_UNKNOWN'
  | 'USAGE_UNITS_INVALID'
  | 'PRICE_MODEL_INVALID'
  | 'LEDGER_UNBALANCED'
  | 'SPLIT_INVALID'

/** A usage event, price model, ledger transaction or revenue split that cannot be used. */
export class MeteringError extends AppError<MeteringErrorCode> {}

import { LicenceError } from './licence-error.js'

/** A decision request as a client sends it; `assignee` and `target` may be left out. */
export interface LicenceRequestInput {
  readonly assignee?: string
  readonly action: string
  readonly target?: string
  readonly purpose?: string
  readonly units?: number
  readonly spatial?: string
  readonly dateTime?: string
  readonly industry?: string
  readonly product?: string
  readonly resolution?: number
}

const STRING_FIELDS = [
  'assignee',
  'action',
  'target',
  'purpose',
  'spatial',
  'dateTime',
  'industry',
  'product',
] as const

// Larger unit counts are not a real order and would lose precision in sums.
const MAX_UNITS = 1_000_000_000_000

/**
 * Checks the shape of a request (client input): an object with a string `action`, optional
 * string fields and `units` a non-negative integer. Throws `LICENCE_REQUEST_INVALID` naming the
 * first bad field. Values (IRIs, countries, dates) are checked by the evaluator.
 */
export function parseLicenceRequest(raw: unknown, field = 'request'): LicenceRequestInput {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new LicenceError('LICENCE_REQUEST_INVALID', `${field} must be a JSON object`)
  }
  const r = raw as Record<string, unknown>
  const known = new Set<string>([...STRING_FIELDS, 'units', 'resolution'])
  for (const key of Object.keys(r)) {
    if (!known.has(key)) {
      throw new LicenceError('LICENCE_REQUEST_INVALID', `${field}.${key} is not a request field`)
    }
  }
  const out: Record<string, string | number> = {}
  for (const key of STRING_FIELDS) {
    const v = r[key]
    if (v === undefined) continue
    if (typeof v !== 'string' || v.length === 0 || v.length > 2000) {
      throw new LicenceError(
        'LICENCE_REQUEST_INVALID',
        `${field}.${key} must be a string of 1..2000 characters`,
      )
    }
    out[key] = v
  }
  if (out['action'] === undefined) {
    throw new LicenceError('LICENCE_REQUEST_INVALID', `${field}.action is required`)
  }
  const units = r['units']
  if (units !== undefined) {
    if (
      typeof units !== 'number' ||
      !Number.isSafeInteger(units) ||
      units < 0 ||
      units > MAX_UNITS
    ) {
      throw new LicenceError(
        'LICENCE_REQUEST_INVALID',
        `${field}.units must be an integer in 0..${MAX_UNITS}`,
      )
    }
    out['units'] = units
  }
  const resolution = r['resolution']
  if (resolution !== undefined) {
    if (typeof resolution !== 'number' || !Number.isFinite(resolution) || resolution <= 0) {
      throw new LicenceError(
        'LICENCE_REQUEST_INVALID',
        `${field}.resolution must be a positive number`,
      )
    }
    out['resolution'] = resolution
  }
  return out as unknown as LicenceRequestInput
}

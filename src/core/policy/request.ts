import type { EvalContext } from './compiled.js'
import { parseInstant } from './conditions.js'
import { expandIri, isObject, withPrefixes } from './json-ld.js'
import { PolicyError, type PolicyProblem } from './policy-error.js'
import type { DecisionRequest, DutyState, WorldState } from './types.js'
import { ACTION_PARENT, isCountryCode, shortName } from './vocabulary.js'

const PREFIXES = withPrefixes({})
const EMPTY: ReadonlySet<string> = new Set()

const REQUEST_KEYS = new Set([
  'assignee',
  'action',
  'target',
  'purpose',
  'units',
  'spatial',
  'dateTime',
  'industry',
  'product',
  'resolution',
])
const STATE_KEYS = new Set([
  'cumulativeUnits',
  'heldLicences',
  'exclusiveSoldTo',
  'partOf',
  'dutyStates',
])

/** A request and state checked and expanded, ready to evaluate. */
export interface Prepared {
  readonly assignee: string
  readonly action: string
  readonly target: string
  readonly units: number | undefined
  readonly prior: number
  readonly exclusiveSoldTo: string | undefined
  readonly partOf: Readonly<Record<string, readonly string[]>> | undefined
  readonly dutyStates: Readonly<Record<string, DutyState>> | undefined
  readonly ctx: EvalContext
}

function readIri(
  req: Record<string, unknown>,
  k: string,
  required: boolean,
  vocab: boolean,
  problems: PolicyProblem[],
): string | undefined {
  const v = req[k]
  if (v === undefined && !required) return undefined
  if (typeof v !== 'string' || v === '') {
    problems.push({ path: `$.${k}`, message: `${k} must be a non-empty string (an IRI)` })
    return undefined
  }
  return expandIri(v, PREFIXES, vocab)
}

const isCount = (v: unknown): v is number =>
  typeof v === 'number' && Number.isSafeInteger(v) && v >= 0

/**
 * Validates and expands a request, a state and the clock. Throws
 * `PolicyError('POLICY_REQUEST_INVALID')` naming each bad field.
 */
export function prepareRequest(
  request: DecisionRequest,
  state: WorldState,
  now: Date | string,
): Prepared {
  const problems: PolicyProblem[] = []
  const req = request as unknown as Record<string, unknown>
  if (!isObject(req))
    throw new PolicyError('POLICY_REQUEST_INVALID', [
      { path: '$', message: 'a request must be an object' },
    ])
  for (const k of Object.keys(req))
    if (!REQUEST_KEYS.has(k))
      problems.push({ path: `$.${k}`, message: `unknown request field ${k}` })
  const assignee = readIri(req, 'assignee', true, false, problems)
  const action = readIri(req, 'action', true, true, problems)
  if (action !== undefined && !ACTION_PARENT.has(action))
    problems.push({ path: '$.action', message: `unknown action ${shortName(action)}` })
  const target = readIri(req, 'target', true, false, problems)
  const purpose = readIri(req, 'purpose', false, false, problems)
  const industry = readIri(req, 'industry', false, false, problems)
  const product = readIri(req, 'product', false, false, problems)
  const units = req['units']
  if (units !== undefined && !isCount(units))
    problems.push({ path: '$.units', message: 'units must be a non-negative integer' })
  const resolution = req['resolution']
  if (
    resolution !== undefined &&
    !(typeof resolution === 'number' && Number.isFinite(resolution) && resolution > 0)
  )
    problems.push({ path: '$.resolution', message: 'resolution must be a positive number (dpi)' })
  const spatialRaw = req['spatial']
  let spatial: string | undefined
  if (spatialRaw !== undefined) {
    spatial = typeof spatialRaw === 'string' ? spatialRaw.toUpperCase() : ''
    if (!isCountryCode(spatial))
      problems.push({
        path: '$.spatial',
        message: 'spatial must be an ISO 3166-1 alpha-2 country code',
      })
  }
  const nowMs =
    now instanceof Date ? now.getTime() : typeof now === 'string' ? parseInstant(now) : undefined
  if (nowMs === undefined || Number.isNaN(nowMs))
    problems.push({ path: 'now', message: 'now must be a Date or an ISO 8601 date-time' })
  let dateTime = nowMs ?? 0
  if (req['dateTime'] !== undefined) {
    const d = typeof req['dateTime'] === 'string' ? parseInstant(req['dateTime']) : undefined
    if (d === undefined)
      problems.push({ path: '$.dateTime', message: 'dateTime must be an ISO 8601 date-time' })
    else dateTime = d
  }

  const st = state as unknown as Record<string, unknown>
  if (!isObject(st)) problems.push({ path: 'state', message: 'the state must be an object' })
  const s = isObject(st) ? st : {}
  for (const k of Object.keys(s))
    if (!STATE_KEYS.has(k))
      problems.push({ path: `state.${k}`, message: `unknown state field ${k}` })
  const prior = s['cumulativeUnits'] ?? 0
  if (!isCount(prior))
    problems.push({
      path: 'state.cumulativeUnits',
      message: 'cumulativeUnits must be a non-negative integer',
    })
  let held: ReadonlySet<string> = EMPTY
  const heldRaw = s['heldLicences']
  if (heldRaw !== undefined) {
    if (!Array.isArray(heldRaw) || !heldRaw.every((h) => typeof h === 'string' && h !== ''))
      problems.push({
        path: 'state.heldLicences',
        message: 'heldLicences must be an array of IRIs',
      })
    else held = new Set(heldRaw.map((h: string) => expandIri(h, PREFIXES, false)))
  }
  const sold = s['exclusiveSoldTo']
  if (sold !== undefined && (typeof sold !== 'string' || sold === ''))
    problems.push({ path: 'state.exclusiveSoldTo', message: 'exclusiveSoldTo must be an IRI' })
  const partOf = s['partOf']
  if (
    partOf !== undefined &&
    !(
      isObject(partOf) &&
      Object.values(partOf).every((v) => Array.isArray(v) && v.every((x) => typeof x === 'string'))
    )
  )
    problems.push({
      path: 'state.partOf',
      message: 'partOf maps an IRI to an array of collection IRIs',
    })
  const dutyStates = s['dutyStates']
  if (
    dutyStates !== undefined &&
    !(
      isObject(dutyStates) &&
      Object.values(dutyStates).every((v) => v === 'fulfilled' || v === 'violated')
    )
  )
    problems.push({
      path: 'state.dutyStates',
      message: 'dutyStates maps a duty uid to "fulfilled" or "violated"',
    })

  if (problems.length > 0) throw new PolicyError('POLICY_REQUEST_INVALID', problems)
  const u = units as number | undefined
  const p = prior as number
  return {
    assignee: assignee as string,
    action: action as string,
    target: target as string,
    units: u,
    prior: p,
    exclusiveSoldTo: typeof sold === 'string' ? expandIri(sold, PREFIXES, false) : undefined,
    partOf: partOf as Prepared['partOf'],
    dutyStates: dutyStates as Prepared['dutyStates'],
    ctx: {
      purpose,
      spatial,
      dateTime,
      count: u,
      cumulativeUnits: u === undefined ? undefined : p + u,
      industry,
      product,
      heldLicence: held,
      resolution: resolution as number | undefined,
    },
  }
}

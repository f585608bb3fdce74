import { ProvenanceError } from './provenance-error.js'
import {
  AUTHORSHIP_ACTIONS,
  type AuthorshipAction,
  DIGITAL_SOURCE_TYPES,
  digitalSourceTypeCode,
  digitalSourceTypeIri,
} from './vocabulary.js'

/** Who did a step: a person, a generative model, or conventional software. */
export interface StepActor {
  readonly kind: 'human' | 'ai' | 'software'
  /** The designer's name, or the model's or tool's display name. */
  readonly name: string
  readonly model?: {
    readonly name: string
    readonly version?: string
    readonly sha256?: string
    readonly loras?: readonly { readonly id: string; readonly weight: number }[]
  }
  readonly tool?: { readonly name: string; readonly version?: string }
  /** Where the model ran (e.g. `comfyui`, `automatic1111`, `builtin`). */
  readonly backend?: string
}

/** How an input relates to the step's output (C2PA ingredient relationships). */
export type InputRelationship = 'parentOf' | 'componentOf' | 'inputTo'

export interface StepInput {
  readonly assetId?: string
  readonly sha256: string
  readonly relationship: InputRelationship
}

/** A JSON value as a step's parameters carry them. */
export type StepJson =
  | null
  | boolean
  | number
  | string
  | readonly StepJson[]
  | { readonly [key: string]: StepJson }

/**
 * One validated authorship step, normalised: `digitalSourceType` is a full IPTC IRI, hashes are
 * lower case, `when` (when present) is ISO 8601 UTC with milliseconds.
 */
export interface AuthorshipStep {
  readonly actor: StepActor
  readonly action: AuthorshipAction
  readonly digitalSourceType?: string
  readonly when?: string
  readonly inputs?: readonly StepInput[]
  readonly parameters?: { readonly [key: string]: StepJson }
  /** The region changed (C2PA region of interest), as given. */
  readonly region?: { readonly [key: string]: StepJson }
  readonly outputSha256?: string
  readonly selection?: { readonly chosen: readonly string[]; readonly rejected: readonly string[] }
  readonly rationale?: string
}

const STEP_FIELDS = new Set([
  'actor',
  'action',
  'digitalSourceType',
  'when',
  'inputs',
  'parameters',
  'region',
  'outputSha256',
  'selection',
  'rationale',
])
const ACTOR_FIELDS = new Set(['kind', 'name', 'model', 'tool', 'backend'])
const MODEL_FIELDS = new Set(['name', 'version', 'sha256', 'loras'])
const HEX64 = /^[0-9a-fA-F]{64}$/
// RFC 3339 date-time: a full date, a time and an explicit offset.
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/i
const MAX_LIST = 256
const MAX_TEXT = 4_000
const MAX_NAME = 200
const MAX_JSON_DEPTH = 16

type Obj = Readonly<Record<string, unknown>>

function invalid(field: string, why: string): ProvenanceError {
  return new ProvenanceError('AUTHORSHIP_STEP_INVALID', `${field}: ${why}`)
}

function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function object(v: unknown, field: string, allowed?: ReadonlySet<string>): Obj {
  if (!isObject(v)) throw invalid(field, 'must be an object')
  if (allowed !== undefined) {
    for (const k of Object.keys(v)) {
      if (!allowed.has(k)) throw invalid(`${field === '' ? '' : `${field}.`}${k}`, 'unknown field')
    }
  }
  return v
}

function text(v: unknown, field: string, max = MAX_NAME): string {
  if (typeof v !== 'string' || v.trim().length === 0)
    throw invalid(field, 'must be a non-empty string')
  if (v.length > max) throw invalid(field, `must be at most ${max} characters`)
  return v
}

function hash(v: unknown, field: string): string {
  if (typeof v !== 'string' || !HEX64.test(v))
    throw invalid(field, 'must be 64 hex digits (SHA-256)')
  return v.toLowerCase()
}

function list(v: unknown, field: string): readonly unknown[] {
  if (!Array.isArray(v)) throw invalid(field, 'must be an array')
  if (v.length > MAX_LIST) throw invalid(field, `must have at most ${MAX_LIST} items`)
  return v
}

function json(v: unknown, field: string, depth = 0): StepJson {
  if (depth > MAX_JSON_DEPTH) throw invalid(field, 'is nested too deeply')
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return v
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw invalid(field, 'must be a finite number')
    return v
  }
  if (Array.isArray(v)) return v.map((x, i) => json(x, `${field}[${i}]`, depth + 1))
  if (isObject(v)) {
    const out: Record<string, StepJson> = {}
    for (const [k, x] of Object.entries(v)) out[k] = json(x, `${field}.${k}`, depth + 1)
    return out
  }
  throw invalid(field, 'must be JSON')
}

/** Normalises an RFC 3339 date-time to ISO 8601 UTC; throws `AUTHORSHIP_STEP_INVALID`. */
export function normaliseWhen(v: unknown, field = 'when'): string {
  if (typeof v !== 'string' || !DATE_TIME.test(v)) {
    throw invalid(
      field,
      'must be an ISO 8601 date-time with a time zone, e.g. 2025-03-01T10:00:00Z',
    )
  }
  const ms = Date.parse(v)
  if (Number.isNaN(ms)) throw invalid(field, 'is not a real date')
  return new Date(ms).toISOString()
}

function actorOf(v: unknown): StepActor {
  const a = object(v, 'actor', ACTOR_FIELDS)
  const kind = a['kind']
  if (kind !== 'human' && kind !== 'ai' && kind !== 'software') {
    throw invalid('actor.kind', 'must be human, ai or software')
  }
  const out: {
    kind: StepActor['kind']
    name: string
    model?: NonNullable<StepActor['model']>
    tool?: NonNullable<StepActor['tool']>
    backend?: string
  } = { kind, name: text(a['name'], 'actor.name') }
  if (a['model'] !== undefined) {
    const m = object(a['model'], 'actor.model', MODEL_FIELDS)
    const model: {
      name: string
      version?: string
      sha256?: string
      loras?: { id: string; weight: number }[]
    } = { name: text(m['name'], 'actor.model.name') }
    if (m['version'] !== undefined) model.version = text(m['version'], 'actor.model.version')
    if (m['sha256'] !== undefined) model.sha256 = hash(m['sha256'], 'actor.model.sha256')
    if (m['loras'] !== undefined) {
      model.loras = list(m['loras'], 'actor.model.loras').map((l, i) => {
        const f = `actor.model.loras[${i}]`
        const lora = object(l, f, new Set(['id', 'weight']))
        const weight = lora['weight']
        if (typeof weight !== 'number' || !Number.isFinite(weight)) {
          throw invalid(`${f}.weight`, 'must be a finite number')
        }
        return { id: text(lora['id'], `${f}.id`), weight }
      })
    }
    out.model = model
  }
  if (a['tool'] !== undefined) {
    const t = object(a['tool'], 'actor.tool', new Set(['name', 'version']))
    out.tool =
      t['version'] === undefined
        ? { name: text(t['name'], 'actor.tool.name') }
        : {
            name: text(t['name'], 'actor.tool.name'),
            version: text(t['version'], 'actor.tool.version'),
          }
  }
  if (a['backend'] !== undefined) out.backend = text(a['backend'], 'actor.backend')
  return out
}

function inputOf(v: unknown, i: number): StepInput {
  const f = `inputs[${i}]`
  const o = object(v, f, new Set(['assetId', 'sha256', 'relationship']))
  const relationship = o['relationship']
  if (relationship !== 'parentOf' && relationship !== 'componentOf' && relationship !== 'inputTo') {
    throw invalid(`${f}.relationship`, 'must be parentOf, componentOf or inputTo')
  }
  const sha256 = hash(o['sha256'], `${f}.sha256`)
  return o['assetId'] === undefined
    ? { sha256, relationship }
    : { assetId: text(o['assetId'], `${f}.assetId`), sha256, relationship }
}

/**
 * Validates a step as posted (the JSON contract of issue 5) and normalises it. Unknown fields
 * are refused so that a misspelt field is not silently lost. Throws `AUTHORSHIP_STEP_INVALID`
 * naming the first bad field.
 */
export function parseAuthorshipStep(raw: unknown): AuthorshipStep {
  const o = object(raw, '', STEP_FIELDS)
  const action = o['action']
  if (typeof action !== 'string' || !(AUTHORSHIP_ACTIONS as readonly string[]).includes(action)) {
    throw invalid('action', `must be a C2PA action (${AUTHORSHIP_ACTIONS.join(', ')})`)
  }
  const step: { -readonly [K in keyof AuthorshipStep]: AuthorshipStep[K] } = {
    actor: actorOf(o['actor']),
    action: action as AuthorshipAction,
  }
  if (o['digitalSourceType'] !== undefined) {
    const value = o['digitalSourceType']
    const code = typeof value === 'string' ? digitalSourceTypeCode(value) : null
    if (code === null) {
      throw invalid(
        'digitalSourceType',
        `must be an IPTC digital source type (${DIGITAL_SOURCE_TYPES.join(', ')}), short or as a full IRI`,
      )
    }
    step.digitalSourceType = digitalSourceTypeIri(code)
  }
  if (o['when'] !== undefined) step.when = normaliseWhen(o['when'])
  if (o['inputs'] !== undefined) step.inputs = list(o['inputs'], 'inputs').map(inputOf)
  if (o['parameters'] !== undefined) {
    step.parameters = json(object(o['parameters'], 'parameters'), 'parameters') as {
      [key: string]: StepJson
    }
  }
  if (o['region'] !== undefined) {
    step.region = json(object(o['region'], 'region'), 'region') as { [key: string]: StepJson }
  }
  if (o['outputSha256'] !== undefined) step.outputSha256 = hash(o['outputSha256'], 'outputSha256')
  if (o['selection'] !== undefined) {
    const s = object(o['selection'], 'selection', new Set(['chosen', 'rejected']))
    const chosen = list(s['chosen'] ?? [], 'selection.chosen').map((h, i) =>
      hash(h, `selection.chosen[${i}]`),
    )
    const rejected = list(s['rejected'] ?? [], 'selection.rejected').map((h, i) =>
      hash(h, `selection.rejected[${i}]`),
    )
    if (chosen.length === 0) throw invalid('selection.chosen', 'must name at least one candidate')
    if (chosen.some((h) => rejected.includes(h))) {
      throw invalid('selection', 'a candidate cannot be both chosen and rejected')
    }
    step.selection = { chosen, rejected }
  }
  if (o['rationale'] !== undefined) step.rationale = text(o['rationale'], 'rationale', MAX_TEXT)
  return step
}

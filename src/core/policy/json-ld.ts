import { BUILT_IN_PREFIXES, ODRL_NS, SLV_NS } from './vocabulary.js'

/** Selvedge terms usable bare, as the built-in Selvedge context defines them. */
const SLV_TERMS = new Set([
  'generateVariants',
  'aiTraining',
  'fineTune',
  'aiInference',
  'cumulativeUnits',
  'heldLicence',
  'unitPrice',
  'settlement',
  'prepaid',
  'postpaid',
])

/** ODRL terms the ODRL context maps to `odrl:` (classes, actions, operands, operators…). */
const ODRL_TERM = /^[A-Za-z][A-Za-z]*$/

/** Prefix map of one policy: the built-ins plus prefixes from inline `@context` objects. */
export type Prefixes = Readonly<Record<string, string>>

/** Extends the built-in prefixes; later entries override earlier ones. */
export function withPrefixes(extra: Record<string, string>): Prefixes {
  return { ...BUILT_IN_PREFIXES, ...extra }
}

/**
 * Expands a compact IRI (`odrl:use`, `slv:aiTraining`, `ex:alice` with `ex` declared), keeps an
 * absolute IRI, and — when `vocab` is set — reads a bare word as an ODRL or Selvedge term.
 */
export function expandIri(value: string, prefixes: Prefixes, vocab: boolean): string {
  const colon = value.indexOf(':')
  if (colon > 0) {
    const prefix = value.slice(0, colon)
    const rest = value.slice(colon + 1)
    const ns = prefixes[prefix]
    if (ns !== undefined && !rest.startsWith('//')) return ns + rest
    return value
  }
  if (vocab && ODRL_TERM.test(value)) return SLV_TERMS.has(value) ? SLV_NS + value : ODRL_NS + value
  return value
}

/** Normalises a property name to its ODRL short form (`odrl:action` and full IRIs → `action`). */
export function normaliseKey(key: string): string {
  if (key.startsWith(ODRL_NS)) return key.slice(ODRL_NS.length)
  if (key.startsWith('odrl:')) return key.slice(5)
  if (key.startsWith(SLV_NS)) return `slv:${key.slice(SLV_NS.length)}`
  if (key === 'type') return '@type'
  if (key === 'rdf:value' || key === 'http://www.w3.org/1999/02/22-rdf-syntax-ns#value')
    return 'rdf:value'
  return key
}

/** A JSON path step: `.key` or `['@key']`. */
export function pathKey(path: string, key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? `${path}.${key}` : `${path}['${key}']`
}

/** Values of a JSON-LD property as a list: a single value, an array, or `{"@list": […]}`. */
export function listOf(value: unknown): unknown[] {
  if (Array.isArray(value)) return value
  if (isObject(value) && Array.isArray(value['@list'])) return value['@list'] as unknown[]
  return [value]
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** Re-keys an object with normalised property names. */
export function normaliseObject(obj: Record<string, unknown>): Map<string, [string, unknown]> {
  const out = new Map<string, [string, unknown]>()
  for (const [k, v] of Object.entries(obj)) out.set(normaliseKey(k), [k, v])
  return out
}

import { CanonicalJsonError } from './canonical-json-error.js'

// RFC 8785 (JCS): I-JSON data, ECMAScript primitive serialisation, properties sorted by UTF-16
// code units, no whitespace.

const MAX_DEPTH = 1000
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

function unsupported(what: string, path: string): CanonicalJsonError {
  return new CanonicalJsonError('CANONICAL_JSON_UNSUPPORTED', `${what} at ${path || '$'}`)
}

function serializeString(s: string, path: string): string {
  // RFC 8785 §3.2.2.2: JSON.stringify's escaping is the JCS escaping (\b \t \n \f \r \" \\,
  // other controls as lowercase \u00xx, everything else literal), but lone surrogates are not
  // I-JSON and must be rejected rather than escaped.
  if (LONE_SURROGATE.test(s)) throw unsupported('a lone surrogate', path)
  return JSON.stringify(s)
}

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}

function serialize(value: unknown, path: string, stack: object[]): string {
  switch (typeof value) {
    case 'string':
      return serializeString(value, path)
    case 'boolean':
      return value ? 'true' : 'false'
    case 'number':
      // RFC 8785 §3.2.2.3: ECMAScript Number::toString; -0 serialises as 0.
      if (!Number.isFinite(value)) throw unsupported('a non-finite number', path)
      return String(value)
    case 'object':
      if (value === null) return 'null'
      return serializeContainer(value, path, stack)
    default:
      throw unsupported(`a ${typeof value}`, path)
  }
}

function serializeContainer(value: object, path: string, stack: object[]): string {
  if (stack.includes(value)) throw unsupported('a cycle', path)
  if (stack.length >= MAX_DEPTH) throw unsupported('nesting too deep', path)
  stack.push(value)
  let out: string
  if (Array.isArray(value)) {
    const parts: string[] = []
    for (let i = 0; i < value.length; i++) {
      if (!(i in value)) throw unsupported('a sparse array', `${path}[${i}]`)
      parts.push(serialize(value[i], `${path}[${i}]`, stack))
    }
    out = `[${parts.join(',')}]`
  } else {
    if (!isPlainObject(value)) throw unsupported('a non-plain object', path)
    if (Object.getOwnPropertySymbols(value).length > 0) {
      throw unsupported('a symbol-keyed property', path)
    }
    const record = value as Record<string, unknown>
    // RFC 8785 §3.2.3: sort by UTF-16 code units, which is what the default sort compares.
    const keys = Object.keys(record).sort()
    const parts: string[] = []
    for (const key of keys) {
      const child = `${path}.${key}`
      parts.push(`${serializeString(key, child)}:${serialize(record[key], child, stack)}`)
    }
    out = `{${parts.join(',')}}`
  }
  stack.pop()
  return out
}

/**
 * Serialises a JSON value canonically per RFC 8785 (JCS): object properties sorted by UTF-16
 * code units, numbers as ECMAScript serialises them, strings escaped as JCS specifies, no
 * insignificant whitespace. Equal JSON data always gives the same string.
 * Throws `CanonicalJsonError` (`CANONICAL_JSON_UNSUPPORTED`) for anything that is not I-JSON
 * data built from null, booleans, finite numbers, strings, arrays and plain objects.
 */
export function canonicalJson(value: unknown): string {
  return serialize(value, '', [])
}

const encoder = new TextEncoder()

/**
 * The UTF-8 bytes of {@link canonicalJson}, the form that is hashed, signed or logged.
 * Throws as {@link canonicalJson}.
 */
export function canonicalJsonBytes(value: unknown): Uint8Array {
  return encoder.encode(canonicalJson(value))
}

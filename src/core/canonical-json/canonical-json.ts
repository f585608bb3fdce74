import { CanonicalJsonError } from './canonical-json-error.js'

// RFC 8785 (JCS): I-JSON data, ECMAScript primitive serialisation, properties sorted by UTF-16
// code units, no whitespace.

const MAX_DEPTH = 1000

// Where in the value the serialiser is, kept as segments (keys and indexes) and joined into a
// path only when an error names it: building a path string for every property would cost more
// than serialising it.
type Where = (string | number)[]

function pathOf(where: Where): string {
  let path = '$'
  for (const s of where) path += typeof s === 'number' ? `[${s}]` : `.${s}`
  return path
}

function unsupported(what: string, where: Where): CanonicalJsonError {
  return new CanonicalJsonError('CANONICAL_JSON_UNSUPPORTED', `${what} at ${pathOf(where)}`)
}

// ES2024's String.prototype.isWellFormed, which Node 20 has and the ES2023 lib does not declare:
// true when the string has no lone surrogate.
type WellFormedCheck = string & { isWellFormed(): boolean }

function serializeString(s: string, where: Where): string {
  // RFC 8785 §3.2.2.2: JSON.stringify's escaping is the JCS escaping (\b \t \n \f \r \" \\,
  // other controls as lowercase \u00xx, everything else literal), but lone surrogates are not
  // I-JSON and must be rejected rather than escaped.
  if (!(s as WellFormedCheck).isWellFormed()) throw unsupported('a lone surrogate', where)
  return JSON.stringify(s)
}

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}

function serialize(value: unknown, where: Where, stack: object[]): string {
  switch (typeof value) {
    case 'string':
      return serializeString(value, where)
    case 'boolean':
      return value ? 'true' : 'false'
    case 'number':
      // RFC 8785 §3.2.2.3: ECMAScript Number::toString; -0 serialises as 0.
      if (!Number.isFinite(value)) throw unsupported('a non-finite number', where)
      return String(value)
    case 'object':
      if (value === null) return 'null'
      return serializeContainer(value, where, stack)
    default:
      throw unsupported(`a ${typeof value}`, where)
  }
}

function serializeContainer(value: object, where: Where, stack: object[]): string {
  if (stack.includes(value)) throw unsupported('a cycle', where)
  if (stack.length >= MAX_DEPTH) throw unsupported('nesting too deep', where)
  stack.push(value)
  let out: string
  if (Array.isArray(value)) {
    out = '['
    for (let i = 0; i < value.length; i++) {
      where.push(i)
      if (!(i in value)) throw unsupported('a sparse array', where)
      out += (i === 0 ? '' : ',') + serialize(value[i], where, stack)
      where.pop()
    }
    out += ']'
  } else {
    if (!isPlainObject(value)) throw unsupported('a non-plain object', where)
    if (Object.getOwnPropertySymbols(value).length > 0) {
      throw unsupported('a symbol-keyed property', where)
    }
    const record = value as Record<string, unknown>
    // RFC 8785 §3.2.3: sort by UTF-16 code units, which is what the default sort compares.
    const keys = Object.keys(record).sort()
    out = '{'
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i] as string
      where.push(key)
      out += `${i === 0 ? '' : ','}${serializeString(key, where)}:${serialize(record[key], where, stack)}`
      where.pop()
    }
    out += '}'
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
  return serialize(value, [], [])
}

const encoder = new TextEncoder()

/**
 * The UTF-8 bytes of {@link canonicalJson}, the form that is hashed, signed or logged.
 * Throws as {@link canonicalJson}.
 */
export function canonicalJsonBytes(value: unknown): Uint8Array {
  return encoder.encode(canonicalJson(value))
}

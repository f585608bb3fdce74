import {
  type CompiledCondition,
  type ConstraintNode,
  type EvalContext,
  FALSE,
  type RightValue,
  TRUE,
  type Tri,
  UNKNOWN,
} from './compiled.js'
import { expandIri, isObject, listOf, normaliseObject, type Prefixes, pathKey } from './json-ld.js'
import type { PolicyProblem } from './policy-error.js'
import {
  isCountryCode,
  LEFT_OPERANDS,
  type LeftOperandKey,
  LOGICAL_OPERATORS,
  type LogicalOperator,
  ODRL_NS,
  OPERATORS,
  type OperandType,
  type Operator,
  PURPOSE_PARENT,
  REGIONS,
  shortName,
} from './vocabulary.js'

/** What a constraint compiler needs: the prefixes and where to report problems. */
export interface CompileEnv {
  readonly prefixes: Prefixes
  readonly problems: PolicyProblem[]
}

const OPERATORS_BY_TYPE: Record<OperandType, ReadonlySet<Operator>> = {
  number: new Set(['eq', 'neq', 'gt', 'gteq', 'lt', 'lteq', 'isAnyOf', 'isNoneOf']),
  decimal: new Set(['eq']),
  dateTime: new Set(['eq', 'neq', 'gt', 'gteq', 'lt', 'lteq', 'isAnyOf', 'isNoneOf']),
  iri: new Set(['eq', 'neq', 'isA', 'isAnyOf', 'isNoneOf', 'isAllOf']),
  country: new Set(['eq', 'neq', 'isPartOf', 'hasPart', 'isAnyOf', 'isNoneOf', 'isAllOf']),
  iriSet: new Set(['eq', 'neq', 'hasPart', 'isPartOf', 'isAllOf', 'isAnyOf', 'isNoneOf']),
}

const LIST_OPERATORS = new Set<Operator>(['isAnyOf', 'isNoneOf', 'isAllOf', 'hasPart', 'isPartOf'])

const XSD = 'http://www.w3.org/2001/XMLSchema#'
const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?)?(Z|[+-]\d{2}:\d{2})?$/

/**
 * Milliseconds since the epoch for an `xsd:dateTime` or `xsd:date` lexical form; undefined when
 * malformed. A value without a zone is read as UTC; a date is its first instant.
 */
export function parseInstant(text: string): number | undefined {
  const m = DATE_TIME.exec(text.trim())
  if (m === null) return undefined
  const [, y, mo, d, h, mi, s, frac, zone] = m
  const ms = Date.UTC(
    Number(y),
    Number(mo) - 1,
    Number(d),
    Number(h ?? 0),
    Number(mi ?? 0),
    Number(s ?? 0),
    frac === undefined ? 0 : Math.floor(Number(`0${frac}`) * 1000),
  )
  if (Number.isNaN(ms)) return undefined
  const check = new Date(ms)
  if (check.getUTCDate() !== Number(d) || check.getUTCMonth() !== Number(mo) - 1) return undefined
  if (zone === undefined || zone === 'Z') return ms
  const sign = zone.startsWith('-') ? -1 : 1
  const offsetMin = Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6))
  return ms - sign * offsetMin * 60_000
}

/** Compiles a `constraint` / `refinement` property value (one or many; an implicit `and`). */
export function compileConstraints(
  value: unknown,
  path: string,
  env: CompileEnv,
): CompiledCondition | null {
  const items = listOf(value)
  const parts: CompiledCondition[] = []
  items.forEach((item, i) => {
    const c = compileConstraint(item, Array.isArray(value) ? `${path}[${i}]` : path, env)
    if (c !== undefined) parts.push(c)
  })
  if (parts.length === 0) return null
  if (parts.length === 1) return parts[0] ?? null
  return combine('and', parts, undefined)
}

/** Compiles one atomic or logical constraint; pushes problems and returns undefined if bad. */
export function compileConstraint(
  raw: unknown,
  path: string,
  env: CompileEnv,
): CompiledCondition | undefined {
  if (!isObject(raw)) {
    env.problems.push({ path, message: 'a constraint must be an object' })
    return undefined
  }
  const props = normaliseObject(raw)
  const uidRaw = props.get('uid')?.[1] ?? props.get('@id')?.[1]
  const uid = typeof uidRaw === 'string' ? expandIri(uidRaw, env.prefixes, false) : undefined
  const logical = LOGICAL_OPERATORS.filter((op) => props.has(op))
  if (logical.length > 0) {
    if (logical.length > 1 || props.has('leftOperand')) {
      env.problems.push({
        path,
        message:
          'a logical constraint has exactly one of and, or, xone, andSequence and no leftOperand',
      })
      return undefined
    }
    const op = logical[0] as LogicalOperator
    const entry = props.get(op) as [string, unknown]
    const opPath = pathKey(path, entry[0])
    const items = listOf(entry[1])
    const parts: CompiledCondition[] = []
    let bad = false
    items.forEach((item, i) => {
      const c = compileConstraint(item, `${opPath}[${i}]`, env)
      if (c === undefined) bad = true
      else parts.push(c)
    })
    if (items.length === 0) {
      env.problems.push({ path: opPath, message: `${op} needs at least one constraint` })
      return undefined
    }
    for (const k of props.keys())
      if (!['uid', '@id', '@type', op].includes(k) && !k.includes(':'))
        env.problems.push({
          path: pathKey(path, props.get(k)?.[0] ?? k),
          message: `unknown property ${k}`,
        })
    return bad ? undefined : combine(op, parts, uid)
  }
  return compileAtom(props, path, uid, env)
}

function compileAtom(
  props: Map<string, [string, unknown]>,
  path: string,
  uid: string | undefined,
  env: CompileEnv,
): CompiledCondition | undefined {
  const start = env.problems.length
  for (const [k, [orig]] of props)
    if (
      ![
        'uid',
        '@id',
        '@type',
        'leftOperand',
        'operator',
        'rightOperand',
        'unit',
        'dataType',
        'status',
      ].includes(k) &&
      !k.includes(':')
    )
      env.problems.push({ path: pathKey(path, orig), message: `unknown property ${k}` })
  if (props.has('rightOperandReference'))
    env.problems.push({
      path: pathKey(path, 'rightOperandReference'),
      message: 'rightOperandReference is outside the Selvedge profile (it would need a fetch)',
    })
  const leftIri = iriOf(props.get('leftOperand')?.[1], env)
  const left = leftIri === undefined ? undefined : LEFT_OPERANDS.get(leftIri)
  if (leftIri === undefined)
    env.problems.push({
      path: pathKey(path, 'leftOperand'),
      message: 'a constraint needs a leftOperand',
    })
  else if (left === undefined)
    env.problems.push({
      path: pathKey(path, 'leftOperand'),
      message: `unknown left operand ${shortName(leftIri)} (the profile knows ${[...LEFT_OPERANDS.keys()].map(shortName).join(', ')})`,
    })
  const opIri = iriOf(props.get('operator')?.[1], env)
  const op = opIri?.startsWith(ODRL_NS)
    ? (OPERATORS.find((o) => ODRL_NS + o === opIri) as Operator | undefined)
    : undefined
  if (opIri === undefined)
    env.problems.push({
      path: pathKey(path, 'operator'),
      message: 'a constraint needs an operator',
    })
  else if (op === undefined)
    env.problems.push({
      path: pathKey(path, 'operator'),
      message: `unknown operator ${shortName(opIri)}`,
    })
  else if (left !== undefined && !OPERATORS_BY_TYPE[left.type].has(op))
    env.problems.push({
      path: pathKey(path, 'operator'),
      message: `operator ${op} does not apply to ${shortName(leftIri as string)}`,
    })
  if (!props.has('rightOperand'))
    env.problems.push({
      path: pathKey(path, 'rightOperand'),
      message: 'a constraint needs a rightOperand',
    })
  if (env.problems.length > start || left === undefined || op === undefined) return undefined
  const rightPath = pathKey(path, props.get('rightOperand')?.[0] ?? 'rightOperand')
  const right = parseRight(props.get('rightOperand')?.[1], left.type, op, rightPath, env)
  if (right === undefined) return undefined
  const text = `${shortName(leftIri as string)} ${op} ${formatRight(right)}`
  const node: ConstraintNode = { kind: 'atom', uid, left: left.key, operator: op, right, text }
  return { node, test: atomTest(left.key, left.type, op, right, text) }
}

function iriOf(value: unknown, env: CompileEnv): string | undefined {
  if (typeof value === 'string') return expandIri(value, env.prefixes, true)
  if (isObject(value) && typeof value['@id'] === 'string')
    return expandIri(value['@id'], env.prefixes, true)
  if (Array.isArray(value) && value.length === 1) return iriOf(value[0], env)
  return undefined
}

/** A literal or node as written: its lexical form, its datatype if any, and whether it is a node. */
function lexical(
  v: unknown,
  env: CompileEnv,
): { text: string | number; type?: string; isNode: boolean } | undefined {
  if (typeof v === 'string' || typeof v === 'number') return { text: v, isNode: false }
  if (isObject(v)) {
    const type =
      typeof v['@type'] === 'string' ? expandIri(v['@type'], env.prefixes, false) : undefined
    if (typeof v['@value'] === 'string' || typeof v['@value'] === 'number')
      return type === undefined
        ? { text: v['@value'], isNode: false }
        : { text: v['@value'], type, isNode: false }
    if (typeof v['@id'] === 'string') return { text: v['@id'], isNode: true }
  }
  return undefined
}

function parseRight(
  raw: unknown,
  type: OperandType,
  op: Operator,
  path: string,
  env: CompileEnv,
): RightValue | undefined {
  const isList = LIST_OPERATORS.has(op) || (type === 'iriSet' && op !== 'eq' && op !== 'neq')
  const items = listOf(raw)
  if (!isList && items.length !== 1) {
    env.problems.push({ path, message: `operator ${op} takes a single value` })
    return undefined
  }
  if (items.length === 0) {
    env.problems.push({ path, message: 'the right operand is empty' })
    return undefined
  }
  const out: (string | number)[] = []
  let bad = false
  items.forEach((item, i) => {
    const p = Array.isArray(raw) ? `${path}[${i}]` : path
    const v = parseOne(item, type, p, env)
    if (v === undefined) bad = true
    else if (Array.isArray(v)) out.push(...v)
    else out.push(v as string | number)
  })
  if (bad) return undefined
  if (type === 'country') return [...new Set(out as string[])]
  if (isList) return out as string[] | number[]
  return out[0] as string | number
}

function parseOne(
  item: unknown,
  type: OperandType,
  path: string,
  env: CompileEnv,
): string | number | string[] | undefined {
  const lex = lexical(item, env)
  if (lex === undefined) {
    env.problems.push({ path, message: 'expected a literal, {"@value"} or {"@id"}' })
    return undefined
  }
  switch (type) {
    case 'number':
    case 'decimal': {
      const n =
        typeof lex.text === 'number'
          ? lex.text
          : lex.text.trim() === ''
            ? Number.NaN
            : Number(lex.text)
      if (!Number.isFinite(n) || n < 0) {
        env.problems.push({
          path,
          message: `type mismatch: ${JSON.stringify(lex.text)} is not a non-negative number`,
        })
        return undefined
      }
      return n
    }
    case 'dateTime': {
      const ms = typeof lex.text === 'string' ? parseInstant(lex.text) : undefined
      if (
        ms === undefined ||
        (lex.type !== undefined &&
          lex.type !== `${XSD}dateTime` &&
          lex.type !== `${XSD}date` &&
          lex.type !== `${XSD}dateTimeStamp`)
      ) {
        env.problems.push({
          path,
          message: `type mismatch: ${JSON.stringify(lex.text)} is not an xsd:dateTime or xsd:date`,
        })
        return undefined
      }
      return ms
    }
    case 'country': {
      const code = String(lex.text).toUpperCase()
      const region = REGIONS.get(code)
      if (region !== undefined) return [...region]
      if (!isCountryCode(code)) {
        env.problems.push({
          path,
          message: `type mismatch: ${JSON.stringify(lex.text)} is not an ISO 3166-1 alpha-2 country code (or EU, EEA)`,
        })
        return undefined
      }
      return code
    }
    case 'iri':
    case 'iriSet': {
      if (typeof lex.text !== 'string' || lex.text === '') {
        env.problems.push({
          path,
          message: `type mismatch: ${JSON.stringify(lex.text)} is not an IRI`,
        })
        return undefined
      }
      return expandIri(lex.text, env.prefixes, false)
    }
  }
}

function formatRight(r: RightValue): string {
  if (Array.isArray(r)) return `[${r.map((x) => formatScalar(x)).join(', ')}]`
  return formatScalar(r as string | number)
}

function formatScalar(x: string | number): string {
  if (typeof x === 'number' && x > 1e11) return new Date(x).toISOString()
  return typeof x === 'string' ? shortName(x) : String(x)
}

function leftValue(ctx: EvalContext, key: LeftOperandKey): string | number | undefined {
  switch (key) {
    case 'purpose':
      return ctx.purpose
    case 'spatial':
      return ctx.spatial
    case 'dateTime':
      return ctx.dateTime
    case 'count':
      return ctx.count
    case 'cumulativeUnits':
      return ctx.cumulativeUnits
    case 'industry':
      return ctx.industry
    case 'product':
      return ctx.product
    case 'resolution':
      return ctx.resolution
    case 'heldLicence':
      return undefined
  }
}

function isAPurpose(value: string, cls: string): boolean {
  let cur: string | undefined = value
  while (cur !== undefined) {
    if (cur === cls) return true
    cur = PURPOSE_PARENT.get(cur)
  }
  return false
}

function atomTest(
  key: LeftOperandKey,
  type: OperandType,
  op: Operator,
  right: RightValue,
  text: string,
): CompiledCondition['test'] {
  const failed = `${text} is not satisfied`
  const unknown = `${text} cannot be checked: ${key === 'cumulativeUnits' ? 'units' : key} not given`
  const report = (r: boolean, reasons: string[]): Tri => {
    if (r) return TRUE
    reasons.push(failed)
    return FALSE
  }
  if (type === 'iriSet') {
    const set = new Set(Array.isArray(right) ? (right as string[]) : [right as string])
    const one = Array.isArray(right) ? undefined : (right as string)
    const pred = setPredicate(op, set, one)
    return (ctx, reasons) => report(pred(ctx.heldLicence), reasons)
  }
  const scalarPred = scalarPredicate(type, op, right)
  return (ctx, reasons) => {
    const v = leftValue(ctx, key)
    if (v === undefined) {
      reasons.push(unknown)
      return UNKNOWN
    }
    return report(scalarPred(v), reasons)
  }
}

function setPredicate(
  op: Operator,
  right: ReadonlySet<string>,
  one: string | undefined,
): (held: ReadonlySet<string>) => boolean {
  const rs = [...right]
  switch (op) {
    case 'eq':
      return (h) => h.has(one as string)
    case 'neq':
      return (h) => !h.has(one as string)
    case 'hasPart':
    case 'isAllOf':
      return (h) => rs.every((r) => h.has(r))
    case 'isAnyOf':
      return (h) => rs.some((r) => h.has(r))
    case 'isNoneOf':
      return (h) => !rs.some((r) => h.has(r))
    case 'isPartOf':
      return (h) => [...h].every((x) => right.has(x))
    case 'gt':
    case 'gteq':
    case 'lt':
    case 'lteq':
    case 'isA':
      return () => false
  }
}

function scalarPredicate(
  type: OperandType,
  op: Operator,
  right: RightValue,
): (v: string | number) => boolean {
  const list = Array.isArray(right)
    ? (right as readonly (string | number)[])
    : [right as string | number]
  const set = new Set<string | number>(list)
  const r = right as string | number
  switch (op) {
    case 'eq':
      return type === 'country' ? (v) => set.has(v) : (v) => v === r
    case 'neq':
      return type === 'country' ? (v) => !set.has(v) : (v) => v !== r
    case 'gt':
      return (v) => v > r
    case 'gteq':
      return (v) => v >= r
    case 'lt':
      return (v) => v < r
    case 'lteq':
      return (v) => v <= r
    case 'isA':
      return type === 'iri' ? (v) => isAPurpose(v as string, r as string) : (v) => v === r
    case 'isAnyOf':
    case 'isPartOf':
      return (v) => set.has(v)
    case 'isNoneOf':
      return (v) => !set.has(v)
    case 'isAllOf':
    case 'hasPart':
      return (v) => list.every((x) => x === v)
  }
}

/** Combines compiled constraints with a logical operator (three-valued, Kleene). */
export function combine(
  op: LogicalOperator,
  parts: readonly CompiledCondition[],
  uid: string | undefined,
): CompiledCondition {
  const text = `${op}(${parts.map((p) => p.node.text).join('; ')})`
  const node: ConstraintNode = {
    kind: 'logical',
    uid,
    operator: op,
    parts: parts.map((p) => p.node),
    text,
  }
  const tests = parts.map((p) => p.test)
  const n = tests.length
  switch (op) {
    case 'and':
    case 'andSequence':
      // andSequence: same truth value; the order only matters for how duties are performed.
      return {
        node,
        test: (ctx, reasons) => {
          let result: Tri = TRUE
          for (let i = 0; i < n; i++) {
            const t = (tests[i] as CompiledCondition['test'])(ctx, reasons)
            if (t === FALSE) return FALSE
            if (t === UNKNOWN) result = UNKNOWN
          }
          return result
        },
      }
    case 'or':
      return {
        node,
        test: (ctx, reasons) => {
          const scratch: string[] = []
          let result: Tri = FALSE
          for (let i = 0; i < n; i++) {
            const t = (tests[i] as CompiledCondition['test'])(ctx, scratch)
            if (t === TRUE) return TRUE
            if (t === UNKNOWN) result = UNKNOWN
          }
          reasons.push(
            result === FALSE ? `none of ${text} is satisfied` : `${text} cannot be checked`,
          )
          return result
        },
      }
    case 'xone':
      return {
        node,
        test: (ctx, reasons) => {
          const scratch: string[] = []
          let trues = 0
          let unknowns = 0
          for (let i = 0; i < n; i++) {
            const t = (tests[i] as CompiledCondition['test'])(ctx, scratch)
            if (t === TRUE) trues++
            else if (t === UNKNOWN) unknowns++
          }
          if (trues > 1) {
            reasons.push(`more than one of ${text} is satisfied`)
            return FALSE
          }
          if (unknowns > 0) {
            reasons.push(`${text} cannot be checked`)
            return UNKNOWN
          }
          if (trues === 1) return TRUE
          reasons.push(`none of ${text} is satisfied`)
          return FALSE
        },
      }
  }
}

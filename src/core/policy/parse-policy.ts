import type {
  CompiledAction,
  CompiledCondition,
  CompiledDuty,
  CompiledPolicy,
  CompiledPrice,
  CompiledRule,
  ConflictStrategy,
  ConstraintNode,
  ExtractedTerms,
} from './compiled.js'
import { type CompileEnv, compileConstraints } from './conditions.js'
import { expandIri, isObject, listOf, normaliseObject, pathKey, withPrefixes } from './json-ld.js'
import { parseDecimal } from './money.js'
import { PolicyError, type PolicyProblem } from './policy-error.js'
import type { Settlement } from './types.js'
import {
  ACTION_PARENT,
  actionDescendants,
  currencyCode,
  DUTY_ACTIONS,
  ODRL_CONTEXT_IRI,
  ODRL_NS,
  PRICE_OPERANDS,
  SETTLEMENTS,
  SLV_CONTEXT_IRI,
  shortName,
} from './vocabulary.js'

const POLICY_TYPES = new Map<string, 'Set' | 'Offer' | 'Agreement'>([
  [`${ODRL_NS}Set`, 'Set'],
  [`${ODRL_NS}Policy`, 'Set'],
  [`${ODRL_NS}Offer`, 'Offer'],
  [`${ODRL_NS}Agreement`, 'Agreement'],
])

const POLICY_KEYS = new Set([
  '@context',
  '@type',
  '@id',
  'uid',
  'profile',
  'conflict',
  'permission',
  'prohibition',
  'assigner',
  'assignee',
  'target',
  'action',
])
const RULE_KEYS = new Set([
  '@type',
  '@id',
  'uid',
  'action',
  'assignee',
  'assigner',
  'target',
  'constraint',
  'duty',
])
const DUTY_KEYS = new Set([
  '@type',
  '@id',
  'uid',
  'action',
  'attributedParty',
  'compensatedParty',
  'assignee',
  'assigner',
  'target',
  'constraint',
  'slv:settlement',
])

const descendantsCache = new Map<string, ReadonlySet<string>>()
function covers(action: string): ReadonlySet<string> {
  let s = descendantsCache.get(action)
  if (s === undefined) {
    s = actionDescendants(action)
    descendantsCache.set(action, s)
  }
  return s
}

/**
 * Validates a Selvedge-profile ODRL 2.2 JSON-LD policy and compiles it for `decide`. Contexts are
 * recognised by IRI and never fetched. Throws `PolicyError('POLICY_INVALID')` listing every
 * problem with its JSON path.
 */
export function parsePolicy(jsonld: unknown): CompiledPolicy {
  const problems: PolicyProblem[] = []
  if (!isObject(jsonld)) {
    throw new PolicyError('POLICY_INVALID', [
      { path: '$', message: 'a policy must be a JSON-LD object' },
    ])
  }
  const props = normaliseObject(jsonld)
  const prefixes = readContext(jsonld['@context'], problems)
  const env: CompileEnv = { prefixes, problems }

  for (const [k, [orig]] of props)
    if (!POLICY_KEYS.has(k) && !k.includes(':'))
      problems.push({ path: pathKey('$', orig), message: `unknown property ${k}` })
  if (props.has('obligation'))
    problems.push({
      path: '$.obligation',
      message: 'policy-level obligations are outside the Selvedge profile',
    })
  if (props.has('inheritFrom'))
    problems.push({
      path: '$.inheritFrom',
      message: 'inheritFrom is outside the Selvedge profile (it would need a fetch)',
    })

  const typeRaw = props.get('@type')?.[1]
  const typeIri = typeof typeRaw === 'string' ? expandIri(typeRaw, prefixes, true) : undefined
  const type = typeIri === undefined ? undefined : POLICY_TYPES.get(typeIri)
  if (type === undefined)
    problems.push({
      path: "$['@type']",
      message: 'the policy type must be Set, Offer, Agreement or Policy',
    })

  const uidRaw = props.get('uid')?.[1] ?? props.get('@id')?.[1]
  const uid =
    typeof uidRaw === 'string' && uidRaw !== '' ? expandIri(uidRaw, prefixes, false) : undefined
  if (uid === undefined) problems.push({ path: '$.uid', message: 'a policy needs a uid (an IRI)' })

  const conflictRaw = props.get('conflict')
  let conflict: ConflictStrategy = 'invalid' // ODRL 2.2 vocabulary: "If no strategy is specified, the default is invalid."
  if (conflictRaw !== undefined) {
    const c =
      typeof conflictRaw[1] === 'string'
        ? expandIri(conflictRaw[1], prefixes, true)
        : isObject(conflictRaw[1]) && typeof conflictRaw[1]['@id'] === 'string'
          ? expandIri(conflictRaw[1]['@id'], prefixes, true)
          : ''
    const name = c.startsWith(ODRL_NS) ? c.slice(ODRL_NS.length) : ''
    if (name === 'perm' || name === 'prohibit' || name === 'invalid') conflict = name
    else
      problems.push({
        path: pathKey('$', conflictRaw[0]),
        message: 'conflict must be perm, prohibit or invalid',
      })
  }

  const profile = listOf(props.get('profile')?.[1] ?? []).filter(
    (p): p is string => typeof p === 'string',
  )
  const assigner = partyList(props.get('assigner'), '$', env)?.[0]
  const shared: SharedRuleProps = {
    assignee: props.get('assignee'),
    target: props.get('target'),
    action: props.get('action'),
  }

  const rules: CompiledRule[] = []
  const seen = new Set<string>()
  for (const kind of ['permission', 'prohibition'] as const) {
    const entry = props.get(kind)
    if (entry === undefined) continue
    const path = pathKey('$', entry[0])
    const items = listOf(entry[1])
    items.forEach((item, i) => {
      const rulePath = Array.isArray(entry[1]) ? `${path}[${i}]` : path
      const rule = compileRule(
        item,
        kind,
        rulePath,
        `${uid ?? 'urn:policy'}#${kind}-${i + 1}`,
        shared,
        env,
      )
      if (rule === undefined) return
      if (seen.has(rule.uid))
        problems.push({ path: rulePath, message: `duplicate rule uid ${rule.uid}` })
      seen.add(rule.uid)
      rules.push(rule)
    })
  }
  if (!props.has('permission') && !props.has('prohibition'))
    problems.push({ path: '$', message: 'a policy needs at least one permission or prohibition' })

  if (problems.length > 0 || type === undefined || uid === undefined)
    throw new PolicyError('POLICY_INVALID', problems)
  return {
    uid,
    type,
    conflict,
    assigner,
    profile,
    rules,
    jsonld: structuredClone(jsonld),
  }
}

function readContext(ctx: unknown, problems: PolicyProblem[]): ReturnType<typeof withPrefixes> {
  const extra: Record<string, string> = {}
  let hasOdrl = false
  if (ctx === undefined) {
    problems.push({
      path: "$['@context']",
      message: `not JSON-LD: @context must include ${ODRL_CONTEXT_IRI}`,
    })
    return withPrefixes(extra)
  }
  const entries = Array.isArray(ctx) ? ctx : [ctx]
  entries.forEach((e, i) => {
    const path = Array.isArray(ctx) ? `$['@context'][${i}]` : "$['@context']"
    if (typeof e === 'string') {
      if (e === ODRL_CONTEXT_IRI || e === 'https://www.w3.org/ns/odrl.jsonld') hasOdrl = true
      else if (e !== SLV_CONTEXT_IRI)
        problems.push({
          path,
          message: `remote context ${e} is not supported: contexts are never fetched (use ${ODRL_CONTEXT_IRI}, ${SLV_CONTEXT_IRI} or inline prefixes)`,
        })
    } else if (isObject(e)) {
      for (const [k, v] of Object.entries(e)) {
        if (k.startsWith('@')) continue
        const iri =
          typeof v === 'string'
            ? v
            : isObject(v) && typeof v['@id'] === 'string'
              ? v['@id']
              : undefined
        if (iri === undefined)
          problems.push({
            path: pathKey(path, k),
            message: 'only prefix definitions are supported in an inline context',
          })
        else extra[k] = iri
      }
    } else problems.push({ path, message: 'a context entry must be an IRI or an object' })
  })
  if (!hasOdrl)
    problems.push({
      path: "$['@context']",
      message: `not JSON-LD: @context must include ${ODRL_CONTEXT_IRI}`,
    })
  return withPrefixes(extra)
}

interface SharedRuleProps {
  readonly assignee: [string, unknown] | undefined
  readonly target: [string, unknown] | undefined
  readonly action: [string, unknown] | undefined
}

function compileRule(
  raw: unknown,
  kind: 'permission' | 'prohibition',
  path: string,
  fallbackUid: string,
  shared: SharedRuleProps,
  env: CompileEnv,
): CompiledRule | undefined {
  if (!isObject(raw)) {
    env.problems.push({ path, message: `a ${kind} must be an object` })
    return undefined
  }
  const start = env.problems.length
  const props = normaliseObject(raw)
  for (const [k, [orig]] of props)
    if (!RULE_KEYS.has(k) && !k.includes(':'))
      env.problems.push({ path: pathKey(path, orig), message: `unknown property ${k}` })
  if (kind === 'prohibition' && props.has('duty'))
    env.problems.push({ path: pathKey(path, 'duty'), message: 'a prohibition has no duties' })
  if (props.has('remedy'))
    env.problems.push({
      path: pathKey(path, 'remedy'),
      message: 'remedies are outside the decision model',
    })
  const uidRaw = props.get('uid')?.[1] ?? props.get('@id')?.[1]
  const uid =
    typeof uidRaw === 'string' && uidRaw !== ''
      ? expandIri(uidRaw, env.prefixes, false)
      : fallbackUid

  const actionEntry = props.get('action') ?? shared.action
  const actions = actionEntry === undefined ? null : compileActions(actionEntry, path, env)
  const assignees = partyList(props.get('assignee') ?? shared.assignee, path, env) ?? null
  const targets = partyList(props.get('target') ?? shared.target, path, env) ?? null
  const constraintEntry = props.get('constraint')
  const constraint =
    constraintEntry === undefined
      ? null
      : compileConstraints(constraintEntry[1], pathKey(path, constraintEntry[0]), env)

  const duties: CompiledDuty[] = []
  const dutyEntry = props.get('duty')
  if (kind === 'permission' && dutyEntry !== undefined) {
    const dutyPath = pathKey(path, dutyEntry[0])
    listOf(dutyEntry[1]).forEach((d, i) => {
      const p = Array.isArray(dutyEntry[1]) ? `${dutyPath}[${i}]` : dutyPath
      const duty = compileDuty(d, p, `${uid}#duty-${i + 1}`, env)
      if (duty !== undefined) duties.push(duty)
    })
  }
  if (env.problems.length > start) return undefined
  const conj = conjuncts(constraint)
  let priceThreshold = 0
  for (const a of conj)
    if (a.kind === 'atom' && a.left === 'cumulativeUnits' && typeof a.right === 'number') {
      if (a.operator === 'gt') priceThreshold = Math.max(priceThreshold, a.right)
      if (a.operator === 'gteq') priceThreshold = Math.max(priceThreshold, a.right - 1)
    }
  return {
    uid,
    kind,
    actions,
    assignees,
    targets,
    constraint,
    duties,
    actionText: (actions ?? []).map((a) => shortName(a.iri)).join(' or '),
    targetText: (targets ?? []).join(' or '),
    assigneeText: (assignees ?? []).join(' or '),
    isExclusive: duties.some((d) => d.action === 'ensureExclusivity'),
    priceThreshold,
    terms: extractTerms(conj),
  }
}

/** The atoms of a constraint's top-level conjunction. */
export function conjuncts(c: CompiledCondition | null): ConstraintNode[] {
  if (c === null) return []
  const out: ConstraintNode[] = []
  const walk = (n: ConstraintNode): void => {
    if (n.kind === 'logical' && (n.operator === 'and' || n.operator === 'andSequence'))
      n.parts.forEach(walk)
    else out.push(n)
  }
  walk(c.node)
  return out
}

function extractTerms(conj: readonly ConstraintNode[]): ExtractedTerms {
  const t: {
    unitsCap?: number
    territory?: readonly string[]
    purpose?: string
    notBefore?: string
    notAfter?: string
  } = {}
  for (const a of conj) {
    if (a.kind !== 'atom') continue
    const r = a.right
    if ((a.left === 'cumulativeUnits' || a.left === 'count') && typeof r === 'number') {
      const cap = a.operator === 'lteq' ? r : a.operator === 'lt' ? r - 1 : undefined
      if (cap !== undefined && a.left === 'cumulativeUnits')
        t.unitsCap = Math.min(t.unitsCap ?? cap, cap)
    }
    if (
      a.left === 'spatial' &&
      Array.isArray(r) &&
      ['eq', 'isAnyOf', 'isPartOf'].includes(a.operator)
    )
      t.territory = r as string[]
    if (a.left === 'purpose' && a.operator === 'eq' && typeof r === 'string') t.purpose = r
    if (a.left === 'dateTime' && typeof r === 'number') {
      const iso = new Date(r).toISOString()
      if (a.operator === 'gt' || a.operator === 'gteq') t.notBefore = iso
      if (a.operator === 'lt' || a.operator === 'lteq') t.notAfter = iso
    }
  }
  return t
}

function compileActions(
  entry: [string, unknown],
  rulePath: string,
  env: CompileEnv,
): CompiledAction[] {
  const path = pathKey(rulePath, entry[0])
  const out: CompiledAction[] = []
  const items = listOf(entry[1])
  if (items.length === 0) env.problems.push({ path, message: 'action is empty' })
  items.forEach((item, i) => {
    const p = Array.isArray(entry[1]) ? `${path}[${i}]` : path
    const a = compileAction(item, p, env)
    if (a !== undefined) out.push(a)
  })
  return out
}

function compileAction(item: unknown, path: string, env: CompileEnv): CompiledAction | undefined {
  let iri: string | undefined
  let refinement: CompiledCondition | null = null
  if (typeof item === 'string') iri = expandIri(item, env.prefixes, true)
  else if (isObject(item)) {
    const props = normaliseObject(item)
    const value = props.get('rdf:value')?.[1] ?? props.get('value')?.[1]
    const v = value ?? (props.has('refinement') ? undefined : item['@id'])
    if (typeof v === 'string') iri = expandIri(v, env.prefixes, true)
    else if (isObject(v) && typeof v['@id'] === 'string')
      iri = expandIri(v['@id'], env.prefixes, true)
    const ref = props.get('refinement')
    if (ref !== undefined) refinement = compileConstraints(ref[1], pathKey(path, ref[0]), env)
  }
  if (iri === undefined) {
    env.problems.push({
      path,
      message: 'an action must be an IRI or {"rdf:value": {"@id": IRI}, "refinement": …}',
    })
    return undefined
  }
  if (!ACTION_PARENT.has(iri)) {
    env.problems.push({ path, message: `unknown action ${shortName(iri)}` })
    return undefined
  }
  return { iri, covers: covers(iri), refinement }
}

function partyList(
  entry: [string, unknown] | undefined,
  rulePath: string,
  env: CompileEnv,
): string[] | undefined {
  if (entry === undefined) return undefined
  const path = pathKey(rulePath, entry[0])
  const out: string[] = []
  listOf(entry[1]).forEach((item, i) => {
    const p = Array.isArray(entry[1]) ? `${path}[${i}]` : path
    if (typeof item === 'string' && item !== '') out.push(expandIri(item, env.prefixes, false))
    else if (isObject(item)) {
      const props = normaliseObject(item)
      const id = props.get('uid')?.[1] ?? props.get('@id')?.[1]
      if (props.has('refinement'))
        env.problems.push({
          path: pathKey(p, 'refinement'),
          message: 'refinements of parties and assets are outside the Selvedge profile',
        })
      if (typeof id === 'string' && id !== '') out.push(expandIri(id, env.prefixes, false))
      else env.problems.push({ path: p, message: 'a party or asset needs an IRI (uid or @id)' })
    } else env.problems.push({ path: p, message: 'a party or asset must be an IRI' })
  })
  return out
}

function compileDuty(
  raw: unknown,
  path: string,
  fallbackUid: string,
  env: CompileEnv,
): CompiledDuty | undefined {
  if (!isObject(raw)) {
    env.problems.push({ path, message: 'a duty must be an object' })
    return undefined
  }
  const start = env.problems.length
  const props = normaliseObject(raw)
  for (const [k, [orig]] of props)
    if (!DUTY_KEYS.has(k) && !k.includes(':'))
      env.problems.push({ path: pathKey(path, orig), message: `unknown property ${k}` })
  const uidRaw = props.get('uid')?.[1] ?? props.get('@id')?.[1]
  const uid =
    typeof uidRaw === 'string' && uidRaw !== ''
      ? expandIri(uidRaw, env.prefixes, false)
      : fallbackUid
  const actionEntry = props.get('action')
  if (actionEntry === undefined) {
    env.problems.push({ path: pathKey(path, 'action'), message: 'a duty needs an action' })
    return undefined
  }
  const actionPath = pathKey(path, actionEntry[0])
  const items = listOf(actionEntry[1])
  if (items.length !== 1) {
    env.problems.push({ path: actionPath, message: 'a duty has exactly one action' })
    return undefined
  }
  const item = items[0]
  const itemPath = Array.isArray(actionEntry[1]) ? `${actionPath}[0]` : actionPath
  let iri: string | undefined
  let refinementRaw: [string, unknown] | undefined
  if (typeof item === 'string') iri = expandIri(item, env.prefixes, true)
  else if (isObject(item)) {
    const ap = normaliseObject(item)
    const v =
      ap.get('rdf:value')?.[1] ??
      ap.get('value')?.[1] ??
      (ap.has('refinement') ? undefined : item['@id'])
    if (typeof v === 'string') iri = expandIri(v, env.prefixes, true)
    else if (isObject(v) && typeof v['@id'] === 'string')
      iri = expandIri(v['@id'], env.prefixes, true)
    refinementRaw = ap.get('refinement')
  }
  const action =
    iri === DUTY_ACTIONS.attribute
      ? 'attribute'
      : iri === DUTY_ACTIONS.compensate
        ? 'compensate'
        : iri === DUTY_ACTIONS.ensureExclusivity
          ? 'ensureExclusivity'
          : undefined
  if (action === undefined) {
    env.problems.push({
      path: itemPath,
      message: `duty action ${iri === undefined ? '(missing)' : shortName(iri)} is outside the Selvedge profile (attribute, compensate, ensureExclusivity)`,
    })
    return undefined
  }
  let price: CompiledPrice | undefined
  let settlement: Settlement | undefined
  if (refinementRaw !== undefined) {
    if (action !== 'compensate')
      env.problems.push({
        path: pathKey(itemPath, refinementRaw[0]),
        message: `${action} takes no refinement`,
      })
    else {
      const r = readPriceRefinement(refinementRaw[1], pathKey(itemPath, refinementRaw[0]), env)
      price = r.price
      settlement = r.settlement
    }
  }
  const settlementProp = props.get('slv:settlement')
  if (settlementProp !== undefined) {
    const s = settlementOf(settlementProp[1], env)
    if (s === undefined)
      env.problems.push({
        path: pathKey(path, settlementProp[0]),
        message: 'slv:settlement must be slv:prepaid or slv:postpaid',
      })
    else settlement = s
  }
  const constraintEntry = props.get('constraint')
  const constraint =
    constraintEntry === undefined
      ? null
      : compileConstraints(constraintEntry[1], pathKey(path, constraintEntry[0]), env)
  const party = (k: string): string | undefined => {
    const v = props.get(k)?.[1]
    if (v === undefined) return undefined
    const id =
      typeof v === 'string'
        ? v
        : isObject(v) && typeof (v['uid'] ?? v['@id']) === 'string'
          ? String(v['uid'] ?? v['@id'])
          : undefined
    if (id === undefined)
      env.problems.push({ path: pathKey(path, k), message: `${k} must be an IRI` })
    return id === undefined ? undefined : expandIri(id, env.prefixes, false)
  }
  const attributedParty = party('attributedParty')
  const compensatedParty = party('compensatedParty')
  if (env.problems.length > start) return undefined
  return {
    uid,
    action,
    attributedParty,
    compensatedParty,
    price,
    // Without slv:settlement a payment is owed after use (postpaid); prepaid gates the permission.
    settlement: settlement ?? 'postpaid',
    constraint,
  }
}

function settlementOf(v: unknown, env: CompileEnv): Settlement | undefined {
  const raw =
    typeof v === 'string' ? v : isObject(v) && typeof v['@id'] === 'string' ? v['@id'] : undefined
  if (raw === undefined) return undefined
  const iri = expandIri(raw, env.prefixes, true)
  return iri === SETTLEMENTS.prepaid
    ? 'prepaid'
    : iri === SETTLEMENTS.postpaid
      ? 'postpaid'
      : undefined
}

function readPriceRefinement(
  raw: unknown,
  path: string,
  env: CompileEnv,
): { price?: CompiledPrice; settlement?: Settlement } {
  const out: { price?: CompiledPrice; settlement?: Settlement } = {}
  const items = listOf(raw)
  items.forEach((item, i) => {
    const p = Array.isArray(raw) ? `${path}[${i}]` : path
    if (!isObject(item)) {
      env.problems.push({ path: p, message: 'a refinement must be an object' })
      return
    }
    const props = normaliseObject(item)
    const leftRaw = props.get('leftOperand')?.[1]
    const left =
      typeof leftRaw === 'string'
        ? expandIri(leftRaw, env.prefixes, true)
        : isObject(leftRaw) && typeof leftRaw['@id'] === 'string'
          ? expandIri(leftRaw['@id'], env.prefixes, true)
          : undefined
    const opRaw = props.get('operator')?.[1]
    const op =
      typeof opRaw === 'string'
        ? expandIri(opRaw, env.prefixes, true)
        : isObject(opRaw) && typeof opRaw['@id'] === 'string'
          ? expandIri(opRaw['@id'], env.prefixes, true)
          : undefined
    const right = props.get('rightOperand')?.[1]
    if (op !== `${ODRL_NS}eq`) {
      env.problems.push({
        path: pathKey(p, 'operator'),
        message: 'a compensate refinement uses the eq operator',
      })
      return
    }
    if (left === PRICE_OPERANDS.settlement) {
      const s = settlementOf(right, env)
      if (s === undefined)
        env.problems.push({
          path: pathKey(p, 'rightOperand'),
          message: 'slv:settlement must be slv:prepaid or slv:postpaid',
        })
      else out.settlement = s
      return
    }
    if (left !== PRICE_OPERANDS.payAmount && left !== PRICE_OPERANDS.unitPrice) {
      env.problems.push({
        path: pathKey(p, 'leftOperand'),
        message: `a compensate duty is refined by payAmount, slv:unitPrice or slv:settlement, not ${left === undefined ? '(missing)' : shortName(left)}`,
      })
      return
    }
    const lex = isObject(right) ? (right['@value'] ?? right['@id']) : right
    const amount =
      typeof lex === 'string' || typeof lex === 'number' ? parseDecimal(lex) : undefined
    if (amount === undefined)
      env.problems.push({
        path: pathKey(p, 'rightOperand'),
        message: 'type mismatch: a price is a non-negative decimal in major units, e.g. "0.02"',
      })
    const unitRaw = props.get('unit')?.[1]
    const unitIri =
      typeof unitRaw === 'string'
        ? unitRaw
        : isObject(unitRaw) && typeof unitRaw['@id'] === 'string'
          ? unitRaw['@id']
          : undefined
    const currency =
      unitIri === undefined ? undefined : currencyCode(expandIri(unitIri, env.prefixes, false))
    if (currency === undefined)
      env.problems.push({
        path: pathKey(p, 'unit'),
        message: 'a price needs unit: an ISO 4217 currency (e.g. "EUR") or a DBpedia currency IRI',
      })
    if (out.price !== undefined)
      env.problems.push({ path: p, message: 'a compensate duty has one price' })
    if (amount !== undefined && currency !== undefined)
      out.price = { kind: left === PRICE_OPERANDS.unitPrice ? 'unit' : 'flat', amount, currency }
  })
  return out
}

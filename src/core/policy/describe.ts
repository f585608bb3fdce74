import type { CompiledDuty, CompiledPolicy, CompiledRule, ConstraintNode } from './compiled.js'
import { formatMoney, minorUnits } from './money.js'
import { actionPhrase, type CompiledActionLike, leftPhrase, valuePhrase } from './phrases.js'

const OPERATOR_WORDS: Record<string, string> = {
  eq: 'is',
  neq: 'is not',
  gt: 'is more than',
  gteq: 'is at least',
  lt: 'is less than',
  lteq: 'is at most',
  isA: 'is a kind of',
  hasPart: 'includes',
  isPartOf: 'is within',
  isAllOf: 'is all of',
  isAnyOf: 'is one of',
  isNoneOf: 'is none of',
}

const LOGICAL_WORDS: Record<string, string> = {
  and: ' and ',
  andSequence: ', then ',
  or: ' or ',
  xone: ' or (exactly one) ',
}

/** A constraint tree in plain words. */
export function describeConstraint(n: ConstraintNode): string {
  if (n.kind === 'atom')
    return `${leftPhrase(n.left)} ${OPERATOR_WORDS[n.operator]} ${valuePhrase(n.left, n.right)}`
  if (n.parts.length > 6) return `one of ${n.parts.length} alternative conditions holds`
  const inner = n.parts.map(describeConstraint).join(LOGICAL_WORDS[n.operator])
  return n.parts.length > 1 ? `(${inner})` : inner
}

function describeRule(r: CompiledRule): string {
  const acts =
    r.actions === null
      ? 'do anything'
      : r.actions.map((a: CompiledActionLike) => actionPhrase(a.iri)).join(' or ')
  const who = r.assignees === null ? 'Anyone' : r.assignees.join(' or ')
  const verb = r.kind === 'permission' ? 'may' : 'may not'
  const parts = [`${who} ${verb} ${acts}`]
  const refinements = (r.actions ?? [])
    .filter((a) => a.refinement !== null)
    .map((a) => describeConstraint(a.refinement?.node as ConstraintNode))
  if (r.constraint !== null) parts.push(`when ${describeConstraint(r.constraint.node)}`)
  if (refinements.length > 0) parts.push(`provided ${refinements.join(' and ')}`)
  const duties = r.duties
    .filter((d) => d.action !== 'ensureExclusivity')
    .map((d) => dutyPhrase(d, r.priceThreshold))
  if (duties.length > 0) parts.push(`and must ${duties.join(', ')}`)
  const exclusive = r.isExclusive
    ? ' The licence is exclusive: once sold it is withdrawn for everyone else.'
    : ''
  return `${parts.join(' ')}.${exclusive}`
}

function dutyPhrase(d: CompiledDuty, threshold: number): string {
  switch (d.action) {
    case 'attribute':
      return `credit ${d.attributedParty ?? 'the studio'}`
    case 'ensureExclusivity':
      return 'the licence is exclusive: once sold it is withdrawn for everyone else'
    case 'compensate': {
      if (d.price === undefined) return `compensate the studio (${d.settlement})`
      const each = formatMoney(minorUnits(d.price.amount, 1, d.price.currency), d.price.currency)
      const amount =
        d.price.kind === 'flat'
          ? `pay ${d.price.amount.text} ${d.price.currency}`
          : `pay ${d.price.amount.text} ${d.price.currency} per unit${threshold > 0 ? ` above ${threshold} units` : ''}`
      return `${amount} ${d.settlement === 'prepaid' ? 'in advance' : 'after use'}${d.price.kind === 'unit' && each !== `${d.price.amount.text} ${d.price.currency}` ? ` (rounded once per request)` : ''}`
    }
  }
}

/** A plain-language summary of a policy, one sentence per rule. */
export function describePolicy(policy: CompiledPolicy): string {
  const conflict =
    policy.conflict === 'prohibit'
      ? 'Where a permission and a prohibition both apply, the prohibition wins.'
      : policy.conflict === 'perm'
        ? 'Where a permission and a prohibition both apply, the permission wins.'
        : 'Where a permission and a prohibition both apply, the policy is void for that use.'
  const lines = [
    `${policy.type} ${policy.uid}${policy.assigner === undefined ? '' : ` from ${policy.assigner}`}.`,
    ...policy.rules.map(describeRule),
    'Anything not permitted here is not licensed.',
    conflict,
  ]
  return lines.join('\n')
}

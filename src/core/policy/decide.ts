import {
  type CompiledAction,
  type CompiledPolicy,
  type CompiledRule,
  FALSE,
  TRUE,
  type Tri,
  UNKNOWN,
} from './compiled.js'
import { formatMoney, minorUnits, unitsAbove } from './money.js'
import { type Prepared, prepareRequest } from './request.js'
import type {
  Decision,
  DecisionDuty,
  DecisionRequest,
  GrantTerms,
  Outcome,
  RuleReport,
  WorldState,
} from './types.js'
import { shortName } from './vocabulary.js'

const NOT_APPLICABLE: readonly string[] = Object.freeze(['its permission does not apply'])

interface Candidate {
  readonly rule: CompiledRule
  readonly index: number
  readonly duties: DecisionDuty[]
  readonly totalMinor: number
  readonly billableUnits: number | undefined
  readonly prepaid: string[]
}

function inCollection(list: readonly string[], id: string, partOf: Prepared['partOf']): boolean {
  if (list.includes(id)) return true
  if (partOf === undefined) return false
  // Transitive odrl:partOf: a member of a collection that is part of a listed collection.
  const seen = new Set<string>([id])
  const queue = [id]
  while (queue.length > 0) {
    const cur = queue.pop() as string
    for (const c of partOf[cur] ?? []) {
      if (list.includes(c)) return true
      if (!seen.has(c)) {
        seen.add(c)
        queue.push(c)
      }
    }
  }
  return false
}

function matchAction(
  actions: readonly CompiledAction[],
  action: string,
): CompiledAction | undefined {
  for (const a of actions) if (a.covers.has(action)) return a
  return undefined
}

/**
 * Decides a request against a compiled policy, given the state of the world and the time. Pure:
 * no clock, no I/O. A denial is a value, never an exception. Closed world: without an active
 * permission the answer is deny. Throws `PolicyError('POLICY_REQUEST_INVALID')` for a malformed
 * request or state.
 */
export function decide(
  policy: CompiledPolicy,
  request: DecisionRequest,
  state: WorldState,
  now: Date | string,
): Decision {
  const p = prepareRequest(request, state, now)
  const ctx = p.ctx
  const reports: RuleReport[] = []
  const permits: Candidate[] = []
  const gated: Candidate[] = []
  const prohibiting: CompiledRule[] = []
  const rules = policy.rules
  const actionName = shortName(p.action)
  for (let index = 0; index < rules.length; index++) {
    const rule = rules[index] as CompiledRule
    const reasons: string[] = []
    let premise = true
    if (rule.targets !== null && !inCollection(rule.targets, p.target, p.partOf)) {
      reasons.push(`target ${p.target} is not ${rule.targetText}`)
      premise = false
    }
    if (rule.assignees !== null && !inCollection(rule.assignees, p.assignee, p.partOf)) {
      reasons.push(`assignee ${p.assignee} is not ${rule.assigneeText}`)
      premise = false
    }
    let matched: CompiledAction | undefined
    if (rule.actions !== null) {
      matched = matchAction(rule.actions, p.action)
      if (matched === undefined) {
        reasons.push(`action ${actionName} is not ${rule.actionText} nor included in it`)
        premise = false
      }
    }
    // Constraints are only evaluated for a rule whose target, party and action match.
    const tri: Tri = !premise
      ? FALSE
      : rule.constraint === null
        ? TRUE
        : rule.constraint.test(ctx, reasons)
    if (rule.kind === 'prohibition') {
      // Fail closed: a prohibition whose constraint cannot be checked still applies.
      const active = premise && tri !== FALSE
      let covers = false
      if (active) {
        const r = matched?.refinement ? matched.refinement.test(ctx, reasons) : TRUE
        covers = r !== FALSE
        if (covers) {
          prohibiting.push(rule)
          reasons.push(`prohibits ${actionName}`)
        } else
          reasons.push('the action refinement is not met, so the prohibition does not cover it')
      }
      reports.push({ uid: rule.uid, kind: 'prohibition', active, reasons })
      continue
    }
    let applicable = premise && tri === TRUE
    if (rule.isExclusive && p.exclusiveSoldTo !== undefined && p.exclusiveSoldTo !== p.assignee) {
      reasons.push(`sold exclusively to ${p.exclusiveSoldTo}; withdrawn for everyone else`)
      applicable = false
    }
    const duties: DecisionDuty[] = []
    const prepaid: string[] = []
    const dutyReports: RuleReport[] = []
    let totalMinor = 0
    let billableUnits: number | undefined
    for (const duty of rule.duties) {
      if (!applicable) {
        dutyReports.push({ uid: duty.uid, kind: 'duty', active: false, reasons: NOT_APPLICABLE })
        continue
      }
      const dr: string[] = []
      const dTri = duty.constraint === null ? TRUE : duty.constraint.test(ctx, dr)
      const dutyActive = dTri !== FALSE
      const dState = p.dutyStates?.[duty.uid]
      if (dState === 'violated') {
        reasons.push(`duty ${duty.uid} was violated`)
        applicable = false
      }
      const fulfilled =
        dState === 'fulfilled' ||
        (rule.isExclusive && duty.action === 'compensate' && p.exclusiveSoldTo === p.assignee)
      if (fulfilled) dr.push('fulfilled')
      if (duty.action === 'compensate' && duty.price !== undefined && dutyActive && !fulfilled) {
        let minor: number
        if (duty.price.kind === 'flat')
          minor = minorUnits(duty.price.amount, 1, duty.price.currency)
        else if (p.units === undefined) {
          reasons.push(`the price is per unit and the request gives no units`)
          applicable = false
          minor = 0
        } else {
          billableUnits = unitsAbove(p.prior, p.units, rule.priceThreshold)
          minor = minorUnits(duty.price.amount, billableUnits, duty.price.currency)
        }
        if (!Number.isSafeInteger(minor)) {
          reasons.push('the price exceeds the exact integer range')
          applicable = false
        } else if (minor > 0) {
          totalMinor += minor
          duties.push({
            action: 'compensate',
            amount: { minor, currency: duty.price.currency },
            settlement: duty.settlement,
          })
          const money = formatMoney(minor, duty.price.currency)
          dr.push(`pay ${money} ${duty.settlement}`)
          if (duty.settlement === 'prepaid') prepaid.push(money)
        } else dr.push('nothing to pay for this request')
      } else if (dutyActive && !fulfilled) {
        if (duty.action === 'attribute') {
          duties.push(
            duty.attributedParty === undefined
              ? { action: 'attribute' }
              : { action: 'attribute', attributedParty: duty.attributedParty },
          )
          dr.push(`attribute ${duty.attributedParty ?? 'the assigner'}`)
        } else if (duty.action === 'compensate') {
          duties.push({ action: 'compensate', settlement: duty.settlement })
          dr.push(`compensate (${duty.settlement})`)
          if (duty.settlement === 'prepaid') prepaid.push('compensation')
        } else dr.push('the assigner keeps this licence exclusive')
      }
      dutyReports.push({
        uid: duty.uid,
        kind: 'duty',
        active: applicable && dutyActive,
        reasons: dr,
      })
    }
    let grants = false
    if (applicable) {
      const r: Tri = matched?.refinement ? matched.refinement.test(ctx, reasons) : TRUE
      grants = r === TRUE
      if (!grants)
        reasons.push(
          r === UNKNOWN
            ? 'the action refinement cannot be checked, so the permission does not cover this exercise'
            : 'the action refinement is not met, so the permission does not cover this exercise',
        )
    }
    const active = applicable && prepaid.length === 0
    if (applicable && prepaid.length > 0)
      reasons.push(`awaiting prepaid payment: ${prepaid.join(', ')}`)
    if (grants) {
      const c: Candidate = { rule, index, duties, totalMinor, billableUnits, prepaid }
      if (prepaid.length > 0) gated.push(c)
      else {
        permits.push(c)
        reasons.push(`permits ${actionName}`)
      }
    }
    reports.push({ uid: rule.uid, kind: 'permission', active, reasons })
    for (const d of dutyReports) reports.push(d)
  }

  let outcome: Outcome
  let chosen: Candidate | undefined
  let why: string
  const hasPermission = permits.length > 0 || gated.length > 0
  if (policy.conflict === 'invalid' && prohibiting.length > 0 && hasPermission) {
    outcome = 'deny'
    why = `permission and prohibition ${prohibiting[0]?.uid} both apply and the policy's conflict strategy is invalid: the policy is void for this request`
  } else if (policy.conflict !== 'perm' && prohibiting.length > 0) {
    outcome = 'deny'
    why = `prohibition ${prohibiting[0]?.uid} forbids ${actionName}`
  } else if (permits.length > 0) {
    outcome = 'permit'
    chosen = best(permits)
    why = `permission ${chosen.rule.uid} allows ${actionName}`
    if (prohibiting.length > 0) why += ' (permissions take precedence under conflict strategy perm)'
  } else if (gated.length > 0) {
    outcome = 'payment-required'
    chosen = best(gated)
    why = `permission ${chosen.rule.uid} allows ${actionName} once ${chosen.prepaid.join(' and ')} is paid in advance`
  } else {
    outcome = 'deny'
    why =
      prohibiting.length > 0
        ? `prohibition ${prohibiting[0]?.uid} forbids ${actionName}`
        : `no permission allows ${actionName} of ${p.target} by ${p.assignee} (whatever is not permitted is denied)`
  }
  const duties = chosen?.duties ?? []
  const dutyText = duties.map(describeDuty).join('; ')
  const explanation = `${outcome === 'permit' ? 'Permitted' : outcome === 'deny' ? 'Denied' : 'Payment required'}: ${why}${dutyText === '' ? '' : `. Duties: ${dutyText}`}.`
  const decision: {
    outcome: Outcome
    duties: readonly DecisionDuty[]
    rules: readonly RuleReport[]
    explanation: string
    terms?: GrantTerms
  } = { outcome, duties, rules: reports, explanation }
  if (chosen !== undefined) decision.terms = termsOf(chosen, p)
  return decision
}

function best(cands: readonly Candidate[]): Candidate {
  let b = cands[0] as Candidate
  for (const c of cands)
    if (
      c.totalMinor < b.totalMinor ||
      (c.totalMinor === b.totalMinor && c.duties.length < b.duties.length)
    )
      b = c
  return b
}

function describeDuty(d: DecisionDuty): string {
  if (d.action === 'attribute') return `attribute ${d.attributedParty ?? 'the assigner'}`
  const amount =
    d.amount === undefined
      ? 'compensate the assigner'
      : `pay ${formatMoney(d.amount.minor, d.amount.currency)}`
  return `${amount}${d.settlement === undefined ? '' : ` (${d.settlement})`}`
}

function termsOf(c: Candidate, p: Prepared): GrantTerms {
  const t = c.rule.terms
  const out: {
    -readonly [K in keyof GrantTerms]: GrantTerms[K]
  } = {
    ruleUid: c.rule.uid,
    assignee: p.assignee,
    action: p.action,
    target: p.target,
    exclusive: c.rule.isExclusive,
  }
  if (p.units !== undefined) out.units = p.units
  if (c.billableUnits !== undefined) out.billableUnits = c.billableUnits
  if (t.unitsCap !== undefined) out.unitsCap = t.unitsCap
  if (t.territory !== undefined) out.territory = t.territory
  const purpose = p.ctx.purpose ?? t.purpose
  if (purpose !== undefined) out.purpose = purpose
  if (t.notBefore !== undefined) out.notBefore = t.notBefore
  if (t.notAfter !== undefined) out.notAfter = t.notAfter
  return out
}

import type { CompiledPolicy } from './compiled.js'
import { expandIri, withPrefixes } from './json-ld.js'

/** Whether a policy can ever permit an action: for XMP `plus:DataMining` and TDMRep. */
export type ActionStance = 'never' | 'conditional' | 'always'

const PREFIXES = withPrefixes({})

/**
 * How a policy treats an action (compact or full IRI) regardless of who asks: `never` when no
 * permission covers it or an unconditional prohibition does, `always` when an unconditional
 * permission for anyone covers it with no prepaid duty and no prohibition touches it, otherwise
 * `conditional`. Conservative: it never says `always` where a decision could deny.
 */
export function actionStance(policy: CompiledPolicy, action: string): ActionStance {
  const iri = expandIri(action, PREFIXES, true)
  const covering = policy.rules.filter(
    (r) => r.actions === null || r.actions.some((a) => a.covers.has(iri)),
  )
  const permissions = covering.filter((r) => r.kind === 'permission')
  const prohibitions = covering.filter((r) => r.kind === 'prohibition')
  const unconditional = (r: (typeof covering)[number]): boolean =>
    r.constraint === null &&
    r.assignees === null &&
    (r.actions === null || r.actions.every((a) => a.refinement === null))
  if (permissions.length === 0) return 'never'
  if (policy.conflict !== 'perm' && prohibitions.some(unconditional)) return 'never'
  const open = permissions.some(
    (r) =>
      unconditional(r) &&
      !r.isExclusive &&
      r.duties.every((d) => d.settlement !== 'prepaid' || d.action !== 'compensate'),
  )
  return open && prohibitions.length === 0 ? 'always' : 'conditional'
}

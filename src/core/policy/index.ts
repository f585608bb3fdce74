export type {
  CompiledPolicy,
  CompiledRule,
  ConflictStrategy,
} from './compiled.js'
export { decide } from './decide.js'
export { describePolicy } from './describe.js'
export { formatMoney, minorUnits, parseDecimal, unitsAbove } from './money.js'
export { parsePolicy } from './parse-policy.js'
export type { PolicyErrorCode, PolicyProblem } from './policy-error.js'
export { PolicyError } from './policy-error.js'
export type { ActionStance } from './stance.js'
export { actionStance } from './stance.js'
export type { PolicyTemplateName, TemplateContext } from './templates.js'
export {
  DEFAULT_TEMPLATE,
  defaultTemplateFor,
  POLICY_TEMPLATES,
  policyFromTemplate,
  TEMPLATE_PARAMETERS,
} from './templates.js'
export type {
  Decision,
  DecisionDuty,
  DecisionRequest,
  DutyState,
  GrantTerms,
  Money,
  Outcome,
  RuleKind,
  RuleReport,
  Settlement,
  WorldState,
} from './types.js'
export {
  ODRL_CONTEXT_IRI,
  ODRL_NS,
  PROFILE_IRI,
  SLV_CONTEXT_IRI,
  SLV_NS,
} from './vocabulary.js'

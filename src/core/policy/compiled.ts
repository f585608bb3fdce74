import type { DecimalAmount } from './money.js'
import type { Settlement } from './types.js'
import type { LeftOperandKey, LogicalOperator, Operator } from './vocabulary.js'

/** Three-valued truth: a constraint whose left operand is not known is UNKNOWN. */
export const FALSE = 0
export const TRUE = 1
export const UNKNOWN = 2
export type Tri = 0 | 1 | 2

/** The request and state, resolved once per decision into the values left operands read. */
export interface EvalContext {
  readonly purpose: string | undefined
  readonly spatial: string | undefined
  readonly dateTime: number
  readonly count: number | undefined
  readonly cumulativeUnits: number | undefined
  readonly industry: string | undefined
  readonly product: string | undefined
  readonly heldLicence: ReadonlySet<string>
  readonly resolution: number | undefined
}

export type RightValue = number | string | readonly number[] | readonly string[]

/** A constraint tree as parsed, kept for summaries and for extracting grant terms. */
export type ConstraintNode =
  | {
      readonly kind: 'atom'
      readonly uid: string | undefined
      readonly left: LeftOperandKey
      readonly operator: Operator
      readonly right: RightValue
      readonly text: string
    }
  | {
      readonly kind: 'logical'
      readonly uid: string | undefined
      readonly operator: LogicalOperator
      readonly parts: readonly ConstraintNode[]
      readonly text: string
    }

/** A constraint compiled to a closure; failed or unknown parts push a reason. */
export interface CompiledCondition {
  readonly node: ConstraintNode
  readonly test: (ctx: EvalContext, reasons: string[]) => Tri
}

export interface CompiledAction {
  readonly iri: string
  /** The action and every action it includes (its descendants). */
  readonly covers: ReadonlySet<string>
  readonly refinement: CompiledCondition | null
}

export interface CompiledPrice {
  readonly kind: 'flat' | 'unit'
  readonly amount: DecimalAmount
  readonly currency: string
}

export interface CompiledDuty {
  readonly uid: string
  readonly action: 'attribute' | 'compensate' | 'ensureExclusivity'
  readonly attributedParty: string | undefined
  readonly compensatedParty: string | undefined
  readonly price: CompiledPrice | undefined
  readonly settlement: Settlement
  readonly constraint: CompiledCondition | null
}

export interface CompiledRule {
  readonly uid: string
  readonly kind: 'permission' | 'prohibition'
  /** null: the rule names no action, so it covers every action. */
  readonly actions: readonly CompiledAction[] | null
  readonly assignees: readonly string[] | null
  readonly targets: readonly string[] | null
  readonly constraint: CompiledCondition | null
  readonly duties: readonly CompiledDuty[]
  /** Precomputed labels for reasons: the actions, targets and assignees in short form. */
  readonly actionText: string
  readonly targetText: string
  readonly assigneeText: string
  readonly isExclusive: boolean
  /** Units numbered above this are charged by a `slv:unitPrice` duty (from `cumulativeUnits gt`). */
  readonly priceThreshold: number
  readonly terms: ExtractedTerms
}

/** Bounds read off a rule's top-level conjunction of constraints. */
export interface ExtractedTerms {
  readonly unitsCap?: number
  readonly territory?: readonly string[]
  readonly purpose?: string
  readonly notBefore?: string
  readonly notAfter?: string
}

export type ConflictStrategy = 'perm' | 'prohibit' | 'invalid'

/** A validated policy compiled once for fast decisions. Build it with `parsePolicy`. */
export interface CompiledPolicy {
  readonly uid: string
  readonly type: 'Set' | 'Offer' | 'Agreement'
  readonly conflict: ConflictStrategy
  readonly assigner: string | undefined
  readonly profile: readonly string[]
  readonly rules: readonly CompiledRule[]
  /** The JSON-LD the policy was parsed from (a deep copy). */
  readonly jsonld: Readonly<Record<string, unknown>>
}

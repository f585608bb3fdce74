/** A request to exercise an action on a target, as an agent or design tool sends it. */
export interface DecisionRequest {
  /** The party asking (IRI; compact `slv:`/`odrl:` forms are expanded). */
  readonly assignee: string
  /** The action, full IRI or compact (`reproduce`, `odrl:reproduce`, `slv:generateVariants`). */
  readonly action: string
  /** The asset (IRI). */
  readonly target: string
  /** Purpose IRI, e.g. `slv:commercialPrint`. */
  readonly purpose?: string
  /** Units in this request (the `count` left operand); a non-negative integer. */
  readonly units?: number
  /** Territory of use, ISO 3166-1 alpha-2 (e.g. `FR`). */
  readonly spatial?: string
  /** Intended time of use (ISO 8601); defaults to the `now` given to `decide`. */
  readonly dateTime?: string
  readonly industry?: string
  readonly product?: string
  /** Output resolution in dots per inch (the ODRL `resolution` left operand). */
  readonly resolution?: number
}

/** Facts about the world the evaluator may use; everything not given is absent, never fetched. */
export interface WorldState {
  /** Units this assignee has already used of this asset, before this request. */
  readonly cumulativeUnits?: number
  /** Licence IRIs the assignee already holds (the `slv:heldLicence` left operand). */
  readonly heldLicences?: readonly string[]
  /** The party an exclusive licence of this asset was sold to, if any. */
  readonly exclusiveSoldTo?: string
  /** Collection membership: party or asset IRI → the collections it is `odrl:partOf`. */
  readonly partOf?: Readonly<Record<string, readonly string[]>>
  /** Deontic state of duties from earlier reports, by duty uid (Selvedge: settled payments). */
  readonly dutyStates?: Readonly<Record<string, DutyState>>
}

export type DutyState = 'fulfilled' | 'violated'

export type Outcome = 'permit' | 'deny' | 'payment-required'

export type Settlement = 'prepaid' | 'postpaid'

/** Money in integer minor units of an ISO 4217 currency. */
export interface Money {
  readonly minor: number
  readonly currency: string
}

/** A duty the assignee takes on with a permit (or must settle first, for `payment-required`). */
export interface DecisionDuty {
  readonly action: 'attribute' | 'compensate'
  readonly attributedParty?: string
  readonly amount?: Money
  readonly settlement?: Settlement
}

export type RuleKind = 'permission' | 'prohibition' | 'duty'

/** How one rule of the policy fared against the request. */
export interface RuleReport {
  readonly uid: string
  readonly kind: RuleKind
  readonly active: boolean
  readonly reasons: readonly string[]
}

/**
 * The terms a permit was given under, narrowed to the request, for minting an agreement:
 * the requested action, the units asked for and the caps, territory and dates the chosen
 * permission's top-level constraints impose.
 */
export interface GrantTerms {
  readonly ruleUid: string
  readonly assignee: string
  /** Expanded action IRI of the request. */
  readonly action: string
  readonly target: string
  readonly units?: number
  /** Units charged by a threshold price (`slv:unitPrice` above `slv:cumulativeUnits`). */
  readonly billableUnits?: number
  /** Largest cumulative unit count the permission allows (from `lteq`/`lt` constraints). */
  readonly unitsCap?: number
  /** ISO 3166-1 alpha-2 codes the permission is limited to. */
  readonly territory?: readonly string[]
  readonly purpose?: string
  /** ISO 8601 instants bounding the permission (from `dateTime` constraints). */
  readonly notBefore?: string
  readonly notAfter?: string
  readonly exclusive: boolean
}

/** The answer to a request: the CLI/HTTP contract shape, plus `terms` for agreements. */
export interface Decision {
  readonly outcome: Outcome
  readonly duties: readonly DecisionDuty[]
  readonly rules: readonly RuleReport[]
  readonly explanation: string
  /** Present when the outcome is `permit` or `payment-required`. */
  readonly terms?: GrantTerms
}

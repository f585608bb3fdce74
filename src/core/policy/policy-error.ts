import { AppError } from '../shared/index.js'

export type PolicyErrorCode = 'POLICY_INVALID' | 'POLICY_REQUEST_INVALID'

/** One problem found in a policy, template parameters or request, located by JSON path. */
export interface PolicyProblem {
  /** JSONPath-like location, e.g. `$.permission[0].constraint[1].rightOperand`. */
  readonly path: string
  readonly message: string
}

/**
 * A policy, template parameter set or decision request that cannot be used. `problems` lists
 * every problem found (not only the first), each with its JSON path.
 */
export class PolicyError extends AppError<PolicyErrorCode> {
  readonly problems: readonly PolicyProblem[]
  constructor(
    code: PolicyErrorCode,
    problems: readonly PolicyProblem[],
    opts?: { cause?: unknown },
  ) {
    const first = problems.slice(0, 5).map((p) => `${p.path}: ${p.message}`)
    const more = problems.length > 5 ? ` (and ${problems.length - 5} more)` : ''
    super(code, `${first.join('; ')}${more}`, opts)
    this.problems = problems
  }
}

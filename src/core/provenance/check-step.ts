import type { AuthorshipStep } from './authorship-step.js'
import { ProvenanceError } from './provenance-error.js'

/** What the archive knows that a new step must agree with. */
export interface StepContext {
  /** The new step's time, resolved (the step's `when`, or now). ISO 8601 UTC. */
  readonly when: string
  /** The SHA-256 of every version of the asset the step is recorded on. */
  readonly versionHashes: readonly string[]
  /** The latest earlier step's time, or null for the first step. */
  readonly previousWhen: string | null
  /** For each input naming an archive asset: when that file entered the archive. */
  readonly inputsCreatedAt: readonly { readonly index: number; readonly createdAt: string }[]
}

/**
 * Checks a parsed step against the archive. Throws `AUTHORSHIP_OUTPUT_MISMATCH` when its output
 * hash is not one of the asset's versions, and `AUTHORSHIP_ORDER` when it is dated before the
 * journal's previous step or before an input asset existed (a step cannot precede its inputs).
 */
export function checkStepFits(step: AuthorshipStep, ctx: StepContext): void {
  if (step.outputSha256 !== undefined && !ctx.versionHashes.includes(step.outputSha256)) {
    throw new ProvenanceError(
      'AUTHORSHIP_OUTPUT_MISMATCH',
      `outputSha256 ${step.outputSha256} is not the hash of any version of this asset`,
    )
  }
  // ISO 8601 UTC strings of one fixed shape compare chronologically as strings.
  if (ctx.previousWhen !== null && ctx.when < ctx.previousWhen) {
    throw new ProvenanceError(
      'AUTHORSHIP_ORDER',
      `when ${ctx.when} is earlier than the journal's previous step (${ctx.previousWhen})`,
    )
  }
  for (const input of ctx.inputsCreatedAt) {
    if (ctx.when < input.createdAt) {
      throw new ProvenanceError(
        'AUTHORSHIP_ORDER',
        `when ${ctx.when} is earlier than inputs[${input.index}], which entered the archive at ${input.createdAt}`,
      )
    }
  }
}

import type { AuthorshipStep } from './authorship-step.js'
import {
  digitalSourceTypeCode,
  digitalSourceTypeIri,
  GENERATIVE_SOURCE_TYPES,
  HUMAN_AUTHORSHIP_ACTIONS,
} from './vocabulary.js'

/**
 * A pattern's provenance tier, derived from its authorship journal (rules in
 * `docs/provenance-tiers.md`). `unknown`: the journal is empty or records no human or AI work.
 */
export type ProvenanceTier = 'human-made' | 'human-directed' | 'synthetic' | 'unknown'

/** Every tier, strongest human claim first. */
export const PROVENANCE_TIERS: readonly ProvenanceTier[] = [
  'human-made',
  'human-directed',
  'synthetic',
  'unknown',
]

/** Orders tiers by the strength of the human-authorship claim (higher is stronger). */
export function tierRank(tier: ProvenanceTier): number {
  switch (tier) {
    case 'unknown':
      return 0
    case 'synthetic':
      return 1
    case 'human-directed':
      return 2
    case 'human-made':
      return 3
  }
}

/** True when the step brings generated material: an AI actor or a generative source type. */
export function isGenerativeStep(step: AuthorshipStep): boolean {
  if (step.actor.kind === 'ai') return true
  if (step.digitalSourceType === undefined) return false
  const code = digitalSourceTypeCode(step.digitalSourceType)
  return code !== null && GENERATIVE_SOURCE_TYPES.has(code)
}

/**
 * True when a person did the step and it changes or arranges the work: drawing, editing,
 * colour work, placing elements into a repeat, cropping, creating. Prompting and selection are
 * not among them (US Copyright Office, Copyright and Artificial Intelligence Part 2, 2025).
 */
export function isHumanAuthorshipStep(step: AuthorshipStep): boolean {
  return (
    step.actor.kind === 'human' &&
    !isGenerativeStep(step) &&
    HUMAN_AUTHORSHIP_ACTIONS.has(step.action)
  )
}

/** True when a person chose among generated candidates (`slv.selected`). */
export function isHumanSelectionStep(step: AuthorshipStep): boolean {
  return step.actor.kind === 'human' && step.action === 'slv.selected'
}

/**
 * Derives the tier from the journal, in journal order:
 * - no generative step and at least one human step: `human-made`;
 * - a generative step, and a human authorship step (modification or arrangement) after the
 *   first generative step, so that it acts on (and shows in) the AI material: `human-directed`;
 * - a generative step otherwise: `synthetic`;
 * - otherwise (empty, or conventional software alone): `unknown`.
 * Pure and total; appending a human authorship step never lowers the tier.
 */
export function deriveTier(steps: readonly AuthorshipStep[]): ProvenanceTier {
  const firstAi = steps.findIndex(isGenerativeStep)
  if (firstAi === -1) {
    return steps.some((s) => s.actor.kind === 'human') ? 'human-made' : 'unknown'
  }
  return steps.slice(firstAi + 1).some(isHumanAuthorshipStep) ? 'human-directed' : 'synthetic'
}

/**
 * The IPTC digital source type that states a tier in a file (`Iptc4xmpExt:DigitalSourceType`,
 * and the first C2PA action): human-made work is `digitalCreation`, human-directed work is a
 * `compositeWithTrainedAlgorithmicMedia`, synthetic work is `trainedAlgorithmicMedia`. Null for
 * `unknown`, which a file should not claim anything about.
 */
export function tierDigitalSourceType(tier: ProvenanceTier): string | null {
  switch (tier) {
    case 'human-made':
      return digitalSourceTypeIri('digitalCreation')
    case 'human-directed':
      return digitalSourceTypeIri('compositeWithTrainedAlgorithmicMedia')
    case 'synthetic':
      return digitalSourceTypeIri('trainedAlgorithmicMedia')
    case 'unknown':
      return null
  }
}

export type {
  AuthorshipStep,
  InputRelationship,
  StepActor,
  StepInput,
  StepJson,
} from './authorship-step.js'
export { normaliseWhen, parseAuthorshipStep } from './authorship-step.js'
export type { StepContext } from './check-step.js'
export { checkStepFits } from './check-step.js'
export type { StatementContent, StatementInput, StatementStep } from './disclosure-statement.js'
export {
  composeStatement,
  DRAFT_FOR_COUNSEL,
  describeStepActor,
  renderStatementMarkdown,
  stepSourceTypeCode,
} from './disclosure-statement.js'
export type { ProvenanceErrorCode } from './provenance-error.js'
export { ProvenanceError } from './provenance-error.js'
export type { ProvenanceTier } from './tier.js'
export {
  deriveTier,
  isGenerativeStep,
  isHumanAuthorshipStep,
  isHumanSelectionStep,
  PROVENANCE_TIERS,
  tierDigitalSourceType,
  tierRank,
} from './tier.js'
export type { AuthorshipAction, DigitalSourceTypeCode } from './vocabulary.js'
export {
  AUTHORSHIP_ACTIONS,
  DIGITAL_SOURCE_TYPE_BASE,
  DIGITAL_SOURCE_TYPES,
  digitalSourceTypeCode,
  digitalSourceTypeIri,
  GENERATIVE_SOURCE_TYPES,
  HUMAN_AUTHORSHIP_ACTIONS,
} from './vocabulary.js'

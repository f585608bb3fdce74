export type {
  CredentialLicence,
  CredentialSignerView,
  IssuedCredential,
  VerifyReport,
} from './credential-service.js'
export { CLAIM_GENERATOR, CredentialService, verifyFile } from './credential-service.js'
export type {
  AuthorshipEntryView,
  AuthorshipJournalView,
  StatementDocument,
  StatementFormat,
} from './provenance-service.js'
export {
  MAX_STATEMENT_THUMBNAILS,
  MAX_VERSION_STEPS,
  ProvenanceService,
} from './provenance-service.js'
export type { StatementThumbnails } from './statement-pdf.js'
export {
  STATEMENT_THUMBNAIL_PX,
  statementPdfSpec,
  statementThumbnailHashes,
} from './statement-pdf.js'

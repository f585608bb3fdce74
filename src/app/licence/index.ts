export type {
  ExportAccess,
  ExportCredential,
  ExportFormat,
  ExportResult,
  MarkContext,
  PixelMarker,
} from './export-service.js'
export { ExportService, NO_MARK, writeXmp } from './export-service.js'
export type { GrantJwks } from './grant-service.js'
export { GrantService } from './grant-service.js'
export { looksLikeGrantToken, verifyGrantToken } from './grant-verify.js'
export { agreementIri, assetIri, licenceIri, studioIri } from './iris.js'
export type { LicenceErrorCode } from './licence-error.js'
export { LicenceError } from './licence-error.js'
export type { LicenceRequestInput } from './licence-request.js'
export { parseLicenceRequest } from './licence-request.js'
export type { AgreementOutcome, LicenceInput, LicenceView, TdmRepRule } from './licence-service.js'
export {
  DEFAULT_GRANT_TTL_SECONDS,
  LicenceService,
  publicLicenceUrl,
  worldState,
} from './licence-service.js'

export type { FindingGrant, FindingView, ScanReport } from './forensics-service.js'
export { COPY_MATCH_DISTANCE, ForensicsService } from './forensics-service.js'

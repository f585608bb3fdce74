export type {
  AuthorshipEntryView,
  AuthorshipJournalView,
  StatementFormat,
} from './provenance-service.js'
export { ProvenanceService } from './provenance-service.js'

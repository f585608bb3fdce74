import type { Migration } from 'kysely'
import { archiveMigration } from './0001-archive.js'
import { signingKeysMigration } from './0002-signing-keys.js'
import { logMigration } from './0003-log.js'
import { licencesMigration } from './0004-licences.js'
import { provenanceMigration } from './0005-provenance.js'
import { findingsMigration } from './0006-findings.js'
import { meteringMigration } from './0007-metering.js'
import { credentialsMigration } from './0008-credentials.js'
import { revocationsMigration } from './0010-revocations.js'
import { billingReceiptsMigration } from './0011-billing-receipts.js'

/**
 * Every migration, by name. The Migrator applies them in name order, so a new migration is a new
 * file `NNNN-topic.ts` plus one line here; never edit or rename one that has shipped.
 */
export const MIGRATIONS: Readonly<Record<string, Migration>> = {
  '0001-archive': archiveMigration,
  '0002-signing-keys': signingKeysMigration,
  '0003-log': logMigration,
  '0004-licences': licencesMigration,
  '0005-provenance': provenanceMigration,
  '0006-findings': findingsMigration,
  '0007-metering': meteringMigration,
  '0008-credentials': credentialsMigration,
  '0010-revocations': revocationsMigration,
  '0011-billing-receipts': billingReceiptsMigration,
}

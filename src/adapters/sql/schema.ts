import type { ColumnType } from 'kysely'

// Row shapes as the database stores them. Column names are snake_case; JSON documents are text
// and timestamps are ISO 8601 UTC text, so the same schema runs on SQLite and PostgreSQL.

/** `studios`: tenants. */
export interface StudiosTable {
  id: string
  name: string
  created_at: string
}

/** `api_keys`: keys by the SHA-256 of their secret (globally unique). */
export interface ApiKeysTable {
  studio_id: string
  id: string
  role: string
  party: string
  name: string
  secret_sha256: string
  created_at: string
  revoked_at: string | null
}

/** `designers`: unique by (studio_id, name). */
export interface DesignersTable {
  studio_id: string
  id: string
  name: string
  party_iri: string | null
  created_at: string
}

/** `collections`: unique by (studio_id, name). */
export interface CollectionsTable {
  studio_id: string
  id: string
  name: string
  created_at: string
}

/**
 * `assets`: one row per pattern. `metadata` is the JSON document (the source of truth for reads);
 * `title_folded`, `repeat_type` and `collection_id` are copies of it kept for filtering.
 */
export interface AssetsTable {
  studio_id: string
  id: string
  visibility: string
  title: string
  title_folded: string
  repeat_type: string
  collection_id: string | null
  current_version: number
  sha256: string
  pdq_hash: string
  pdq_quality: number
  metadata: string
  created_at: string
  updated_at: string
}

/** `asset_versions`: one row per file; (studio_id, sha256) is unique across all versions. */
export interface AssetVersionsTable {
  studio_id: string
  asset_id: string
  version: number
  sha256: string
  // bigint: node-postgres returns int8 as a string.
  size_bytes: ColumnType<number | string, number, number>
  media_type: string
  analysis: string
  created_at: string
}

/** `asset_tags`: index rows derived from `metadata.tags`. */
export interface AssetTagsTable {
  studio_id: string
  asset_id: string
  tag: string
}

/** `asset_motifs`: index rows derived from `metadata.motifs`. */
export interface AssetMotifsTable {
  studio_id: string
  asset_id: string
  motif: string
}

/** `asset_designers`: index rows derived from `metadata.designers`. */
export interface AssetDesignersTable {
  studio_id: string
  asset_id: string
  designer_id: string
  share_bps: number
}

/** `asset_colours`: index rows derived from `metadata.palette`, for the CIELAB pre-filter. */
export interface AssetColoursTable {
  studio_id: string
  asset_id: string
  position: number
  hex: string
  l: number
  a: number
  b: number
  coverage: number
}

/** `asset_lineage`: index rows derived from `metadata.lineage`. */
export interface AssetLineageTable {
  studio_id: string
  asset_id: string
  relation: string
  target_asset_id: string
}

// bigint columns: node-postgres returns int8 as a string; bytea columns come back as Buffers.

/** `log_entries`: the log's entries by index. */
export interface LogEntriesTable {
  idx: ColumnType<number | string, number, never>
  entry: ColumnType<Buffer, Buffer, never>
}

/** `log_hashes`: Go-tlog stored hashes by stored-hash index. */
export interface LogHashesTable {
  idx: ColumnType<number | string, number, never>
  hash: ColumnType<Buffer, Buffer, never>
}

/** `log_checkpoints`: one signed checkpoint per tree size (the primary key refuses a fork). */
export interface LogCheckpointsTable {
  size: ColumnType<number | string, number, never>
  root_hash: ColumnType<Buffer, Buffer, never>
  note: string
  created_at: string
}

/** `log_pending`: the submission queue; `idx` is set in the batch that appends the entry. */
export interface LogPendingTable {
  id: string
  entry: ColumnType<Buffer, Buffer, never>
  submitted_at: string
  idx: ColumnType<number | string | null, number | null, number>
}

/** `log_cosignatures`: witness cosignature lines on our checkpoints, one per witness and size. */
export interface LogCosignaturesTable {
  size: ColumnType<number | string, number, never>
  witness: string
  line: string
  created_at: string
}

/** `witness_logs`: as a witness, the latest checkpoint cosigned per log origin. */
export interface WitnessLogsTable {
  origin: string
  size: ColumnType<number | string, number, number>
  root_hash: ColumnType<Buffer, Buffer, Buffer>
  updated_at: string
}

/** `licence_versions`: every policy attached to an asset, numbered from 1; never updated. */
export interface LicenceVersionsTable {
  studio_id: string
  asset_id: string
  version: number
  policy: string
  source: string
  created_by: string
  created_at: string
}

/** `agreements`: one row per agreement minted; `grant_id` (the grant's `jti`) is unique. */
export interface AgreementsTable {
  studio_id: string
  id: string
  asset_id: string
  licence_version: number
  assignee: string
  action: string
  units: ColumnType<number | string | null, number | null, never>
  grant_id: string
  licence_ids: string
  exclusive: number
  agreement: string
  created_at: string
  expires_at: string
}

/** `exclusive_sales`: at most one row per asset, the exclusive buyer. */
export interface ExclusiveSalesTable {
  studio_id: string
  asset_id: string
  agreement_id: string
  assignee: string
  created_at: string
}

/** Every table the repositories query, keyed by table name. */
/** `signing_keys`: Ed25519 keys; the private half sealed with the master key. */
export interface SigningKeysTable {
  id: string
  studio_id: string
  purpose: string
  algorithm: string
  public_key: string
  private_key_sealed: string
  created_at: string
  active: number
}

/** `authorship_steps`: the authorship journal, numbered from 1 per asset; never updated. */
export interface AuthorshipStepsTable {
  studio_id: string
  asset_id: string
  seq: number
  step: string
  step_sha256: string
  step_when: string
  created_by: string
  created_at: string
  log_submission: string | null
}

/** `authorship_tiers`: each journalled asset's provenance tier, derived from its journal. */
export interface AuthorshipTiersTable {
  studio_id: string
  asset_id: string
  tier: string
  updated_at: string
}

/** `findings`: forensics scans, one row per scan; never updated. */
export interface FindingsTable {
  id: string
  studio_id: string
  created_at: string
  kind: string
  file_sha256: string
  watermark: string
  grant_id: string | null
  agreement_id: string | null
  assignee: string | null
  similar: string
  created_by: string
  log_submission: string | null
}

/** A bigint column: PostgreSQL's driver returns it as a string, SQLite's as a number. */
type BigIntColumn = ColumnType<number | string, number, number>

/** `agreement_revocations`: revoked agreements, one row each; never updated. */
export interface AgreementRevocationsTable {
  studio_id: string
  agreement_id: string
  revoked_at: string
  revoked_by: string
  reason: string | null
}

/** `usage_batches`: accepted usage batches and the `usage.batch` entries they were logged as. */
export interface UsageBatchesTable {
  studio_id: string
  id: string
  created_at: string
  created_by: string
  event_count: number
  units: BigIntColumn
  merkle_root: string
  log_entry: string
  log_submission: string | null
}

/** `usage_events`: accepted usage events, unique per studio by `event_key`; never updated. */
export interface UsageEventsTable {
  studio_id: string
  event_key: string
  source: string
  event_id: string
  batch_id: string
  seq: number
  grant_id: string
  agreement_id: string
  asset_id: string
  assignee: string
  kind: string
  units: BigIntColumn
  time: string
  period: string
  canonical: string
  received_at: string
}

/** `usage_meters`: cumulative units per grant and kind. */
export interface UsageMetersTable {
  studio_id: string
  grant_id: string
  kind: string
  units: BigIntColumn
}

/** `grant_holds`: grants whose usage was refused for want of payment. */
export interface GrantHoldsTable {
  studio_id: string
  grant_id: string
  amount_minor: BigIntColumn
  currency: string
  created_at: string
}

/** `ledger_transactions`: balanced money movements; never updated. */
export interface LedgerTransactionsTable {
  studio_id: string
  id: string
  period: string
  kind: string
  currency: string
  created_at: string
  memo: string | null
  refs: string
}

/** `ledger_entries`: the lines of a ledger transaction; debits positive. */
export interface LedgerEntriesTable {
  studio_id: string
  tx_id: string
  seq: number
  period: string
  account: string
  currency: string
  amount_minor: BigIntColumn
}

/** `payments`: wallet top-ups. */
export interface PaymentsTable {
  studio_id: string
  id: string
  party: string
  currency: string
  amount_minor: BigIntColumn
  provider: string
  status: string
  created_at: string
  created_by: string
  confirmed_at: string | null
  confirmed_by: string | null
}

/** `price_plans`: prices of metered usage; the newest row for an asset and kind applies. */
export interface PricePlansTable {
  studio_id: string
  id: string
  asset_id: string | null
  kind: string
  model: string
  created_at: string
}

/** `billing_periods`: closed periods, one row each. */
export interface BillingPeriodsTable {
  studio_id: string
  period: string
  closed_at: string
  closed_by: string
}

/** `billing_documents`: invoices and royalty statements of closed periods. */
export interface BillingDocumentsTable {
  studio_id: string
  id: string
  period: string
  kind: string
  party: string
  currency: string
  total_minor: BigIntColumn
  document: string
  created_at: string
  /** The `*.issued` entry's log submission (0011); null for documents closed before it. */
  log_submission: string | null
}

/** `credential_signers`: each studio's C2PA signers; the highest generation is active. */
export interface CredentialSignersTable {
  id: string
  studio_id: string
  generation: number
  source: string
  algorithm: string
  chain_pem: string
  root_pem: string | null
  private_key_sealed: string
  ca_keys_sealed: string | null
  not_after: string
  created_at: string
}

/** `credentials_issued`: manifests signed into exports, by manifest-store hash. */
export interface CredentialsIssuedTable {
  manifest_sha256: string
  studio_id: string
  asset_id: string
  signer_id: string
  format: string
  file_sha256: string
  created_at: string
  log_submission: string | null
}

export interface Database {
  studios: StudiosTable
  api_keys: ApiKeysTable
  designers: DesignersTable
  collections: CollectionsTable
  assets: AssetsTable
  asset_versions: AssetVersionsTable
  asset_tags: AssetTagsTable
  asset_motifs: AssetMotifsTable
  asset_designers: AssetDesignersTable
  asset_colours: AssetColoursTable
  asset_lineage: AssetLineageTable
  signing_keys: SigningKeysTable
  log_entries: LogEntriesTable
  log_hashes: LogHashesTable
  log_checkpoints: LogCheckpointsTable
  log_pending: LogPendingTable
  log_cosignatures: LogCosignaturesTable
  witness_logs: WitnessLogsTable
  licence_versions: LicenceVersionsTable
  agreements: AgreementsTable
  exclusive_sales: ExclusiveSalesTable
  authorship_steps: AuthorshipStepsTable
  authorship_tiers: AuthorshipTiersTable
  findings: FindingsTable
  usage_batches: UsageBatchesTable
  agreement_revocations: AgreementRevocationsTable
  usage_events: UsageEventsTable
  usage_meters: UsageMetersTable
  grant_holds: GrantHoldsTable
  ledger_transactions: LedgerTransactionsTable
  ledger_entries: LedgerEntriesTable
  payments: PaymentsTable
  price_plans: PricePlansTable
  billing_periods: BillingPeriodsTable
  billing_documents: BillingDocumentsTable
  credential_signers: CredentialSignersTable
  credentials_issued: CredentialsIssuedTable
}

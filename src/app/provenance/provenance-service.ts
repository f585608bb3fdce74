import { type Caller, can, requirePermission } from '../../core/access/index.js'
import { ArchiveError, type Asset } from '../../core/archive/index.js'
import { canonicalJsonBytes } from '../../core/canonical-json/index.js'
import {
  type AuthorshipStep,
  checkStepFits,
  deriveTier,
  ProvenanceError,
  type ProvenanceTier,
  parseAuthorshipStep,
  renderStatementMarkdown,
} from '../../core/provenance/index.js'
import { sha256Hex } from '../analyse-file.js'
import type { EventLog } from '../log/index.js'
import type { AuthorshipStepRecord, Clock, Store } from '../ports.js'
import { StorageError } from '../storage-error.js'

/** One journal step as the API and CLI show it: the step's own fields plus its bookkeeping. */
export type AuthorshipEntryView = AuthorshipStep & {
  readonly seq: number
  readonly when: string
  /** SHA-256 of the step's canonical JSON, as logged. */
  readonly stepSha256: string
  /** Index of the `authorship.step` log entry; null while not yet sequenced (or unlogged). */
  readonly logIndex: number | null
  /** When Selvedge recorded the step. */
  readonly recordedAt: string
}

/** An asset's journal and the tier derived from it. */
export interface AuthorshipJournalView {
  readonly assetId: string
  readonly tier: ProvenanceTier
  readonly steps: readonly AuthorshipEntryView[]
}

const MAX_APPEND_ATTEMPTS = 16

/** Formats of the copyright disclosure statement; only `md` is built. */
export type StatementFormat = 'md' | 'pdf'

/**
 * The authorship journal's use cases: record a step (validated against the archive, logged as
 * `authorship.step`), read the journal with its tier, and draft the copyright disclosure.
 */
export class ProvenanceService {
  constructor(
    private readonly deps: {
      readonly store: Store
      readonly clock: Clock
      /** The transparency log; without it, steps are recorded but not logged. */
      readonly log?: EventLog
    },
  ) {}

  /**
   * Validates `raw` (the step JSON contract) against the asset and its journal, then appends it
   * with the new tier and queues its `authorship.step` log entry in one transaction; answers
   * once the entry is sequenced. A refused step writes nothing. Throws
   * `AUTHORSHIP_STEP_INVALID`, `AUTHORSHIP_OUTPUT_MISMATCH`, `AUTHORSHIP_ORDER`,
   * `AUTHORSHIP_INPUT_UNKNOWN`, `ASSET_NOT_FOUND`; a concurrent append that takes the same
   * number makes this one re-read the journal and retry (`STORAGE_CONFLICT` after 16 tries).
   */
  async addStep(
    caller: Caller,
    assetId: string,
    raw: unknown,
  ): Promise<AuthorshipEntryView & { readonly tier: ProvenanceTier }> {
    requirePermission(caller, 'asset.write')
    const asset = await this.deps.store.assets.get(caller.studioId, assetId)
    if (asset === null) throw notFound(assetId)
    const parsed = parseAuthorshipStep(raw)
    // Two writers may read the same journal and both take the next number; the loser's append
    // conflicts and rolls back, so it re-reads the journal and re-checks the step against it.
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.appendOnce(caller, assetId, parsed)
      } catch (error) {
        const isRace = error instanceof StorageError && error.code === 'STORAGE_CONFLICT'
        if (!isRace || attempt >= MAX_APPEND_ATTEMPTS) throw error
      }
    }
  }

  private async appendOnce(
    caller: Caller,
    assetId: string,
    parsed: AuthorshipStep,
  ): Promise<AuthorshipEntryView & { readonly tier: ProvenanceTier }> {
    const { store, clock } = this.deps
    const studioId = caller.studioId
    const versions = await store.assets.versions(studioId, assetId)
    const previous = await store.authorship.steps(studioId, assetId)
    const inputsCreatedAt = await this.inputTimes(studioId, parsed)
    const when = parsed.when ?? clock.nowIso()
    const last = previous[previous.length - 1]
    checkStepFits(parsed, {
      when,
      versionHashes: versions.map((v) => v.sha256),
      previousWhen: last?.step.when ?? null,
      inputsCreatedAt,
    })
    const step = { ...parsed, when }
    const stepSha256 = sha256Hex(canonicalJsonBytes(step))
    const tier = deriveTier([...previous.map((r) => r.step), step])
    const seq = (last?.seq ?? 0) + 1
    const createdAt = clock.nowIso()
    const { log } = this.deps
    const record = await store.transaction(async (tx) => {
      let logSubmission: string | null = null
      if (log !== undefined) {
        const [id] = await log.queue(tx, [
          {
            type: 'authorship.step',
            studio: studioId,
            time: createdAt,
            asset: assetId,
            seq,
            stepSha256,
          },
        ])
        logSubmission = id ?? null
      }
      const record: AuthorshipStepRecord = {
        studioId,
        assetId,
        seq,
        step,
        stepSha256,
        createdBy: caller.keyId,
        createdAt,
        logSubmission,
      }
      await tx.authorship.append(record, tier)
      return record
    })
    let logIndex: number | null = null
    if (log !== undefined && record.logSubmission !== null) {
      ;[logIndex = null] = await log.waitFor([record.logSubmission])
    }
    return { ...entryView(record, logIndex), tier }
  }

  /** The asset's journal, oldest first, with its tier. Outside parties see published assets. */
  async journal(caller: Caller, assetId: string): Promise<AuthorshipJournalView> {
    const asset = await this.visibleAsset(caller, assetId)
    const records = await this.deps.store.authorship.steps(caller.studioId, asset.id)
    const indexes = await this.logIndexes(records)
    return {
      assetId: asset.id,
      tier: deriveTier(records.map((r) => r.step)),
      steps: records.map((r) => entryView(r, indexOf(indexes, r))),
    }
  }

  /**
   * The copyright disclosure statement as Markdown. Throws `AUTHORSHIP_FORMAT_UNSUPPORTED` for
   * `pdf` (not built yet) or any other format.
   */
  async statement(
    caller: Caller,
    assetId: string,
    format: string,
  ): Promise<{ readonly mediaType: string; readonly body: string }> {
    if (format !== 'md') {
      throw new ProvenanceError(
        'AUTHORSHIP_FORMAT_UNSUPPORTED',
        format === 'pdf'
          ? 'the PDF statement is not available yet; ask for format=md'
          : `unknown statement format ${JSON.stringify(format)}; use md`,
      )
    }
    const { store, clock } = this.deps
    const asset = await this.visibleAsset(caller, assetId)
    const records = await store.authorship.steps(caller.studioId, asset.id)
    const indexes = await this.logIndexes(records)
    const studio = await store.studios.get(caller.studioId)
    const body = renderStatementMarkdown({
      assetId: asset.id,
      title: asset.metadata.title,
      claimant: studio?.name ?? caller.studioId,
      sha256: asset.sha256,
      repeatType: asset.metadata.repeat.type,
      designers: asset.metadata.designers.map((d) => d.name),
      tier: deriveTier(records.map((r) => r.step)),
      steps: records.map((r) => ({
        seq: r.seq,
        step: r.step,
        sha256: r.stepSha256,
        logIndex: indexOf(indexes, r),
      })),
      generatedAt: clock.nowIso(),
    })
    return { mediaType: 'text/markdown; charset=utf-8', body }
  }

  private async inputTimes(
    studioId: string,
    step: AuthorshipStep,
  ): Promise<{ index: number; createdAt: string }[]> {
    const { store } = this.deps
    const out: { index: number; createdAt: string }[] = []
    for (const [index, input] of (step.inputs ?? []).entries()) {
      if (input.assetId === undefined) {
        // A file the archive holds dates the step even when the client named no asset.
        const holder = await store.assets.findBySha256(studioId, input.sha256)
        if (holder === null) continue
        const version = (await store.assets.versions(studioId, holder.id)).find(
          (v) => v.sha256 === input.sha256,
        )
        if (version !== undefined) out.push({ index, createdAt: version.createdAt })
        continue
      }
      const source = await store.assets.get(studioId, input.assetId)
      if (source === null) {
        throw new ProvenanceError(
          'AUTHORSHIP_INPUT_UNKNOWN',
          `inputs[${index}].assetId: no asset ${input.assetId} in this studio`,
        )
      }
      const version = (await store.assets.versions(studioId, source.id)).find(
        (v) => v.sha256 === input.sha256,
      )
      if (version === undefined) {
        throw new ProvenanceError(
          'AUTHORSHIP_INPUT_UNKNOWN',
          `inputs[${index}].sha256 is not the hash of any version of asset ${input.assetId}`,
        )
      }
      out.push({ index, createdAt: version.createdAt })
    }
    return out
  }

  private async logIndexes(
    records: readonly AuthorshipStepRecord[],
  ): Promise<ReadonlyMap<string, number | null>> {
    const ids = records.flatMap((r) => (r.logSubmission === null ? [] : [r.logSubmission]))
    if (ids.length === 0) return new Map()
    return this.deps.store.log.indexesOf(ids)
  }

  private async visibleAsset(caller: Caller, id: string): Promise<Asset> {
    requirePermission(caller, 'asset.read')
    const asset = await this.deps.store.assets.get(caller.studioId, id)
    if (asset === null) throw notFound(id)
    if (asset.visibility !== 'published' && !can(caller.role, 'asset.readPrivate')) {
      throw notFound(id)
    }
    return asset
  }
}

function indexOf(
  indexes: ReadonlyMap<string, number | null>,
  record: AuthorshipStepRecord,
): number | null {
  return record.logSubmission === null ? null : (indexes.get(record.logSubmission) ?? null)
}

function entryView(record: AuthorshipStepRecord, logIndex: number | null): AuthorshipEntryView {
  return {
    seq: record.seq,
    ...record.step,
    stepSha256: record.stepSha256,
    logIndex,
    recordedAt: record.createdAt,
  }
}

function notFound(id: string): ArchiveError {
  return new ArchiveError('ASSET_NOT_FOUND', `no asset ${id}`)
}

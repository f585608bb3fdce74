import { type Caller, can, requirePermission } from '../../core/access/index.js'
import { ArchiveError, type Asset, type AssetVersion } from '../../core/archive/index.js'
import { canonicalJsonBytes } from '../../core/canonical-json/index.js'
import {
  type AuthorshipStep,
  checkStepFits,
  deriveTier,
  ProvenanceError,
  type ProvenanceTier,
  parseAuthorshipStep,
  renderStatementMarkdown,
  type StatementInput,
} from '../../core/provenance/index.js'
import { sha256Hex } from '../analyse-file.js'
import type { PreparedVersionSteps, VersionStepRecorder } from '../asset-service.js'
import { renderPdf } from '../documents/index.js'
import type { EventLog } from '../log/index.js'
import type { AuthorshipStepRecord, BlobStore, Clock, ImageCodec, Store } from '../ports.js'
import { StorageError } from '../storage-error.js'
import {
  STATEMENT_THUMBNAIL_PX,
  type StatementThumbnails,
  statementPdfSpec,
  statementThumbnailHashes,
} from './statement-pdf.js'

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

/** Formats of the copyright disclosure statement. */
export type StatementFormat = 'md' | 'pdf'

/** A drafted disclosure statement: Markdown text or PDF bytes. */
export type StatementDocument =
  | {
      readonly kind: 'md'
      readonly mediaType: 'text/markdown; charset=utf-8'
      readonly body: string
    }
  | { readonly kind: 'pdf'; readonly mediaType: 'application/pdf'; readonly body: Uint8Array }

/** Most steps one new version may carry. */
export const MAX_VERSION_STEPS = 64

/** Most distinct files a PDF statement previews (the first ones named, in journal order). */
export const MAX_STATEMENT_THUMBNAILS = 64

/** A step planned for the journal: checked, with its `when` resolved, its number and tier. */
interface PlannedStep {
  readonly seq: number
  readonly step: AuthorshipStep & { readonly when: string }
  readonly stepSha256: string
  readonly tier: ProvenanceTier
}

/**
 * The authorship journal's use cases: record a step (validated against the archive, logged as
 * `authorship.step`), record steps with a new version (as the asset service's
 * {@link VersionStepRecorder}), read the journal with its tier, and draft the copyright
 * disclosure as Markdown or PDF.
 */
export class ProvenanceService implements VersionStepRecorder {
  constructor(
    private readonly deps: {
      readonly store: Store
      readonly clock: Clock
      /** The transparency log; without it, steps are recorded but not logged. */
      readonly log?: EventLog
      /** Archive files and a codec, for the PDF statement's thumbnails; without them, none. */
      readonly blobs?: BlobStore
      readonly codec?: ImageCodec
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
    const inputsCreatedAt = await this.inputTimes(store, studioId, parsed, null)
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
   * Checks steps posted with a new version (`raw`: an array of steps, the step JSON contract)
   * against the journal as if `version` were already stored: a step without `outputSha256`
   * gets the version's hash, one without `when` gets the version's time, and each must fit
   * after the one before it. Writes nothing; throws `AUTHORSHIP_STEP_INVALID` (the message
   * starts with `steps[i]`), `AUTHORSHIP_OUTPUT_MISMATCH`, `AUTHORSHIP_ORDER` or
   * `AUTHORSHIP_INPUT_UNKNOWN`. The answer's `write` re-checks them against the journal read
   * inside the version's transaction and appends them there, with their `authorship.step` log
   * entries, so that the version and its steps commit together or not at all.
   */
  async prepareVersionSteps(
    caller: Caller,
    version: AssetVersion,
    raw: unknown,
  ): Promise<PreparedVersionSteps> {
    requirePermission(caller, 'asset.write')
    if (!Array.isArray(raw)) {
      throw new ProvenanceError('AUTHORSHIP_STEP_INVALID', 'steps: must be an array of steps')
    }
    if (raw.length > MAX_VERSION_STEPS) {
      throw new ProvenanceError(
        'AUTHORSHIP_STEP_INVALID',
        `steps: at most ${MAX_VERSION_STEPS} steps may come with a version`,
      )
    }
    const parsed = raw.map((r, i) => prefixed(i, () => parseAuthorshipStep(r)))
    await this.planVersionSteps(this.deps.store, caller.studioId, version, parsed)
    const { log } = this.deps
    const submissions: string[] = []
    return {
      count: parsed.length,
      write: async (tx) => {
        const planned = await this.planVersionSteps(tx, caller.studioId, version, parsed)
        for (const p of planned) {
          let logSubmission: string | null = null
          if (log !== undefined) {
            const [id] = await log.queue(tx, [
              {
                type: 'authorship.step',
                studio: caller.studioId,
                time: version.createdAt,
                asset: version.assetId,
                seq: p.seq,
                stepSha256: p.stepSha256,
              },
            ])
            logSubmission = id ?? null
            if (id !== undefined) submissions.push(id)
          }
          await tx.authorship.append(
            {
              studioId: caller.studioId,
              assetId: version.assetId,
              seq: p.seq,
              step: p.step,
              stepSha256: p.stepSha256,
              createdBy: caller.keyId,
              createdAt: version.createdAt,
              logSubmission,
            },
            p.tier,
          )
        }
      },
      settle: async () => {
        if (log !== undefined && submissions.length > 0) await log.waitFor(submissions)
      },
    }
  }

  private async planVersionSteps(
    reader: Store,
    studioId: string,
    version: AssetVersion,
    parsed: readonly AuthorshipStep[],
  ): Promise<PlannedStep[]> {
    const stored = await reader.assets.versions(studioId, version.assetId)
    const versionHashes = [...new Set([...stored.map((v) => v.sha256), version.sha256])]
    const previous = await reader.authorship.steps(studioId, version.assetId)
    const journal: AuthorshipStep[] = previous.map((r) => r.step)
    const last = previous[previous.length - 1]
    let previousWhen = last?.step.when ?? null
    let seq = last?.seq ?? 0
    const out: PlannedStep[] = []
    for (const [i, p] of parsed.entries()) {
      const withOutput = p.outputSha256 === undefined ? { ...p, outputSha256: version.sha256 } : p
      const when = withOutput.when ?? version.createdAt
      const inputsCreatedAt = await prefixedAsync(i, () =>
        this.inputTimes(reader, studioId, withOutput, version),
      )
      prefixed(i, () =>
        checkStepFits(withOutput, { when, versionHashes, previousWhen, inputsCreatedAt }),
      )
      const step = { ...withOutput, when }
      journal.push(step)
      seq += 1
      out.push({
        seq,
        step,
        stepSha256: sha256Hex(canonicalJsonBytes(step)),
        tier: deriveTier(journal),
      })
      previousWhen = when
    }
    return out
  }

  /**
   * The copyright disclosure statement: `md` (Markdown text) or `pdf` (the same content with
   * before/after thumbnails of each human step, from the archive files the steps name that the
   * caller may see). Throws `AUTHORSHIP_FORMAT_UNSUPPORTED` for any other format,
   * `ASSET_NOT_FOUND` for an asset the caller cannot see.
   */
  async statement(caller: Caller, assetId: string, format: string): Promise<StatementDocument> {
    if (format !== 'md' && format !== 'pdf') {
      throw new ProvenanceError(
        'AUTHORSHIP_FORMAT_UNSUPPORTED',
        `unknown statement format ${JSON.stringify(format)}; use md or pdf`,
      )
    }
    const input = await this.statementInput(caller, assetId)
    switch (format) {
      case 'md':
        return {
          kind: 'md',
          mediaType: 'text/markdown; charset=utf-8',
          body: renderStatementMarkdown(input),
        }
      case 'pdf': {
        const thumbnails = await this.thumbnails(caller, statementThumbnailHashes(input))
        return {
          kind: 'pdf',
          mediaType: 'application/pdf',
          body: await renderPdf(statementPdfSpec(input, thumbnails)),
        }
      }
    }
  }

  private async statementInput(caller: Caller, assetId: string): Promise<StatementInput> {
    const { store, clock } = this.deps
    const asset = await this.visibleAsset(caller, assetId)
    const records = await store.authorship.steps(caller.studioId, asset.id)
    const indexes = await this.logIndexes(records)
    const studio = await store.studios.get(caller.studioId)
    return {
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
    }
  }

  /**
   * Previews of the files named, for those that are versions of the studio's assets the caller
   * may see (blobs are shared across studios by hash, so a hash alone proves nothing). A file
   * that is missing or no longer decodes is left out rather than failing the statement.
   */
  private async thumbnails(
    caller: Caller,
    hashes: readonly string[],
  ): Promise<StatementThumbnails> {
    const { store, blobs, codec } = this.deps
    const out = new Map<string, Uint8Array>()
    if (blobs === undefined || codec === undefined) return out
    for (const sha256 of hashes.slice(0, MAX_STATEMENT_THUMBNAILS)) {
      const holder = await store.assets.findBySha256(caller.studioId, sha256)
      if (holder === null) continue
      if (holder.visibility !== 'published' && !can(caller.role, 'asset.readPrivate')) continue
      const bytes = await blobs.get(sha256)
      if (bytes === null) continue
      try {
        out.set(sha256, (await codec.thumbnail(bytes, STATEMENT_THUMBNAIL_PX)).bytes)
      } catch {
        // An unreadable file is shown as absent; the statement still lists its hash.
      }
    }
    return out
  }

  /**
   * When each input's file entered the archive, read through `store` (the root store or a
   * transaction). `pending`: a version being added in the same request, counted as stored.
   */
  private async inputTimes(
    store: Store,
    studioId: string,
    step: AuthorshipStep,
    pending: AssetVersion | null,
  ): Promise<{ index: number; createdAt: string }[]> {
    const out: { index: number; createdAt: string }[] = []
    for (const [index, input] of (step.inputs ?? []).entries()) {
      if (
        pending !== null &&
        input.sha256 === pending.sha256 &&
        (input.assetId === undefined || input.assetId === pending.assetId)
      ) {
        out.push({ index, createdAt: pending.createdAt })
        continue
      }
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

/** Runs `fn`, naming the step (`steps[i]: …`) in a provenance error it throws. */
function prefixed<T>(index: number, fn: () => T): T {
  try {
    return fn()
  } catch (error) {
    throw renamed(index, error)
  }
}

async function prefixedAsync<T>(index: number, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn()
  } catch (error) {
    throw renamed(index, error)
  }
}

function renamed(index: number, error: unknown): unknown {
  if (!(error instanceof ProvenanceError)) return error
  return new ProvenanceError(error.code, `steps[${index}]: ${error.message}`, { cause: error })
}

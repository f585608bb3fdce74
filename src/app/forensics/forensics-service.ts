import { type Caller, requirePermission } from '../../core/access/index.js'
import { canCarryMark } from '../../core/watermark/index.js'
import { sha256Hex } from '../analyse-file.js'
import type { AssetService } from '../asset-service.js'
import type { EventLog } from '../log/index.js'
import { meterPrice } from '../metering/index.js'
import type {
  AgreementRecord,
  Clock,
  FindingKind,
  FindingRecord,
  IdSource,
  ImageCodec,
  Page,
  Store,
} from '../ports.js'
import type { WatermarkReport, WatermarkService } from '../watermark/index.js'

/** The largest PDQ distance (of 256 bits) counted as a copy of an archived pattern. */
export const COPY_MATCH_DISTANCE = 31

const NO_MARK: WatermarkReport = { found: false, payload: null, score: 0 }

/** The grant a watermark names, as the scan reports it. */
export interface FindingGrant {
  /** The grant's `jti`. */
  readonly id: string
  readonly assignee: string
  /** The agreement id. */
  readonly agreement: string
  readonly actions: readonly string[]
  readonly units: number | null
}

/** The answer to a scan, in the shape the CLI and HTTP print (plus the log index). */
export interface ScanReport {
  readonly watermark: WatermarkReport
  readonly grant: FindingGrant | null
  readonly similar: readonly { readonly assetId: string; readonly distance: number }[]
  readonly finding: { readonly id: string; readonly kind: FindingKind }
  /** Index of the `finding.recorded` log entry; null when the log is not in use. */
  readonly logIndex: number | null
}

/** A stored finding as `GET /v1/findings` lists it. */
export interface FindingView {
  readonly id: string
  readonly kind: FindingKind
  readonly createdAt: string
  readonly fileSha256: string
  readonly watermark: FindingRecord['watermark']
  readonly grantId: string | null
  readonly agreementId: string | null
  readonly assignee: string | null
  readonly similar: FindingRecord['similar']
  readonly logIndex: number | null
}

/**
 * Watermark forensics: traces a file back to the grant its mark names and to the archived
 * patterns it copies, decides what kind of use it shows, and records that as a logged finding.
 */
export class ForensicsService {
  constructor(
    private readonly deps: {
      readonly store: Store
      readonly codec: ImageCodec
      readonly clock: Clock
      readonly ids: IdSource
      readonly watermark: WatermarkService
      readonly assets: AssetService
      /** The transparency log; without it, findings are stored but not logged. */
      readonly log?: EventLog
    },
  ) {}

  /**
   * Scans an image file: the studio's watermark (skipped under 128 px a side), the grant it
   * names, and PDQ near duplicates among the studio's assets; then stores the finding and queues
   * its `finding.recorded` log entry in one transaction, answering once the entry is sequenced.
   * Needs `forensics.scan`. Throws ImageError for files that do not decode; then nothing is
   * written.
   */
  async scan(caller: Caller, bytes: Uint8Array): Promise<ScanReport> {
    requirePermission(caller, 'forensics.scan')
    const { store, codec, clock, ids, log } = this.deps
    const studioId = caller.studioId
    const image = await codec.decode(bytes)
    const watermark = !canCarryMark(image)
      ? NO_MARK
      : await this.deps.watermark.detectPixels(studioId, image)
    const agreement = await this.agreementOf(studioId, watermark)
    const { hits } = await this.deps.assets.similarToImage(caller, image, COPY_MATCH_DISTANCE)
    const similar = hits.map((h) => ({ assetId: h.assetId, distance: h.distance }))
    const createdAt = clock.nowIso()
    const kind = decideKind(
      agreement,
      similar.length > 0,
      createdAt,
      agreement === null ? null : await this.usageOf(agreement),
    )
    const fileSha256 = sha256Hex(bytes)
    const id = ids.next('fnd')
    const record = await store.transaction(async (tx) => {
      let logSubmission: string | null = null
      if (log !== undefined) {
        // Hashes and ids only: the log is public, the scanned file and the licensee are not.
        const [submission] = await log.queue(tx, [
          {
            type: 'finding.recorded',
            studio: studioId,
            time: createdAt,
            finding: id,
            kind,
            fileSha256,
            grant: agreement?.grantId ?? null,
          },
        ])
        logSubmission = submission ?? null
      }
      const record: FindingRecord = {
        id,
        studioId,
        createdAt,
        kind,
        fileSha256,
        watermark: { found: watermark.found, payload: watermark.payload, score: watermark.score },
        grantId: agreement?.grantId ?? null,
        agreementId: agreement?.id ?? null,
        assignee: agreement?.assignee ?? null,
        similar,
        createdBy: caller.keyId,
        logSubmission,
      }
      await tx.findings.create(record)
      return record
    })
    let logIndex: number | null = null
    if (log !== undefined && record.logSubmission !== null) {
      ;[logIndex = null] = await log.waitFor([record.logSubmission])
    }
    return {
      watermark,
      grant:
        agreement === null
          ? null
          : {
              id: agreement.grantId,
              assignee: agreement.assignee,
              agreement: agreement.id,
              actions: [agreement.action],
              units: agreement.units,
            },
      similar,
      finding: { id, kind },
      logIndex,
    }
  }

  /** The studio's findings, newest first. Needs `forensics.scan`. */
  async list(
    caller: Caller,
    page: { readonly limit: number; readonly cursor?: string },
  ): Promise<Page<FindingView>> {
    requirePermission(caller, 'forensics.scan')
    const { store } = this.deps
    const found = await store.findings.list(caller.studioId, page)
    const ids = found.items.flatMap((r) => (r.logSubmission === null ? [] : [r.logSubmission]))
    const indexes =
      ids.length === 0 ? new Map<string, number | null>() : await store.log.indexesOf(ids)
    return {
      items: found.items.map((r) => ({
        id: r.id,
        kind: r.kind,
        createdAt: r.createdAt,
        fileSha256: r.fileSha256,
        watermark: r.watermark,
        grantId: r.grantId,
        agreementId: r.agreementId,
        assignee: r.assignee,
        similar: r.similar,
        logIndex: r.logSubmission === null ? null : (indexes.get(r.logSubmission) ?? null),
      })),
      nextCursor: found.nextCursor,
    }
  }

  // Grant ids are unique across the instance, but a mark only counts for the studio whose key
  // made it: another studio's agreement with the same payload is no evidence here.
  private async agreementOf(
    studioId: string,
    watermark: WatermarkReport,
  ): Promise<AgreementRecord | null> {
    if (!watermark.found || watermark.payload === null) return null
    const agreement = await this.deps.store.agreements.findByGrantId(watermark.payload)
    return agreement !== null && agreement.studioId === studioId ? agreement : null
  }

  private async usageOf(agreement: AgreementRecord): Promise<GrantUsage> {
    const { store } = this.deps
    const meters = await store.usage.meters(agreement.studioId, [agreement.grantId])
    const price = await meterPrice(store, agreement, 'units', new Map())
    return {
      reportedUnits: meters.get(`${agreement.grantId}/units`) ?? 0,
      metered: price !== null,
      held: (await store.usage.hold(agreement.studioId, agreement.grantId)) !== null,
      revoked: (await store.agreements.revokedAt(agreement.studioId, agreement.id)) !== null,
    }
  }
}

/** What metering knows about a grant's use. */
interface GrantUsage {
  /** Units the licensee reported (`dev.selvedge.usage.units`). */
  readonly reportedUnits: number
  /** True when reported use beyond the agreement's units is priced (metered, not capped). */
  readonly metered: boolean
  /** True when reported usage awaits payment (the grant is held). */
  readonly held: boolean
  /** True when the studio revoked the agreement. */
  readonly revoked: boolean
}

/**
 * The kind of use a scan shows. A marked copy under a live agreement is licensed, unless
 * metering shows the grant exceeded: reported units above the agreement's where nothing prices
 * the excess, or usage refused for want of payment (the grant is held). A marked copy under an
 * expired or revoked agreement is over-use. A scan alone proves one copy, never a count.
 */
function decideKind(
  agreement: AgreementRecord | null,
  isNearDuplicate: boolean,
  nowIso: string,
  usage: GrantUsage | null,
): FindingKind {
  if (agreement !== null) {
    if (agreement.expiresAt <= nowIso || usage?.revoked === true) return 'over-use'
    if (usage?.held === true) return 'over-use'
    const beyond = agreement.units !== null && (usage?.reportedUnits ?? 0) > agreement.units
    return beyond && usage?.metered !== true ? 'over-use' : 'licensed'
  }
  return isNearDuplicate ? 'unlicensed-copy' : 'unknown'
}

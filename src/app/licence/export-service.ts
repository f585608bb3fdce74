import { createHash } from 'node:crypto'
import { AccessError, type Caller, can } from '../../core/access/index.js'
import { ArchiveError } from '../../core/archive/index.js'
import { type TrainingUse, trainingUseOf } from '../../core/c2pa/index.js'
import { type GrantClaims, GrantError } from '../../core/grant/index.js'
import type { RgbImage } from '../../core/image/index.js'
import {
  actionStance,
  type CompiledPolicy,
  describePolicy,
  parsePolicy,
} from '../../core/policy/index.js'
import { tierDigitalSourceType } from '../../core/provenance/index.js'
import {
  buildXmpPacket,
  buildXmpPackets,
  DATA_MINING,
  insertJpegXmp,
  insertPngXmp,
  JPEG_MAX_STANDARD_XMP_BYTES,
  type XmpLicence,
} from '../../core/xmp/index.js'
import { BillingError } from '../metering/billing-error.js'
import type { BlobStore, ImageCodec, Store } from '../ports.js'
import type { CredentialService } from '../provenance/index.js'
import type { GrantService } from './grant-service.js'
import { agreementIri, studioIri } from './iris.js'
import { LicenceError } from './licence-error.js'
import { type LicenceService, publicLicenceUrl } from './licence-service.js'

export type ExportFormat = 'png' | 'jpeg'

/** Who asks for an export: an API key, a grant token, or both. */
export interface ExportAccess {
  readonly caller?: Caller
  readonly grant?: string
}

/** What the watermark step learns about the copy it marks. */
export interface MarkContext {
  readonly studioId: string
  readonly assetId: string
  /** The grant id (`jti`) this copy is made under; null for a studio member's own copy. */
  readonly grantId: string | null
}

/**
 * The seam between settling pixels and writing XMP, where the watermark issue embeds its mark.
 * It gets the settled pixels and returns the pixels to encode; it must not change the size.
 */
export type PixelMarker = (image: RgbImage, context: MarkContext) => Promise<RgbImage> | RgbImage

/** The marker used until the watermark lands: pixels pass through unchanged. */
export const NO_MARK: PixelMarker = (image) => image

/** The Content Credentials signed into an export. */
export interface ExportCredential {
  /** SHA-256 (hex) of the embedded C2PA manifest store. */
  readonly manifestSha256: string
  /** Index of its `credential.issued` log entry; null without a log. */
  readonly logIndex: number | null
}

export interface ExportResult {
  /** The file: settled pixels with the licence written in as XMP, then its C2PA manifest. */
  readonly bytes: Uint8Array
  /** The same file before XMP was written: its pixels are the file's, byte for byte. */
  readonly settled: Uint8Array
  readonly format: ExportFormat
  readonly mediaType: string
  readonly filename: string
  readonly sha256: string
  /** The agreement IRI written as `plus:LicenseID`, or null without a grant. */
  readonly licenseId: string | null
  /** The C2PA manifest signed in; null when the service runs without Content Credentials. */
  readonly credential: ExportCredential | null
}

const MEDIA_TYPES: Record<ExportFormat, string> = { png: 'image/png', jpeg: 'image/jpeg' }
const EXTENSIONS: Record<ExportFormat, string> = { png: 'png', jpeg: 'jpg' }

/**
 * Exports a pattern with its licence inside the file. Pixels are settled first (decoded,
 * marked, encoded to the format); the XMP is then written into the container without touching
 * the encoded pixels. Studio members export with their key; anyone else needs a grant token for
 * the asset, whose agreement becomes `plus:LicenseID`.
 */
export class ExportService {
  constructor(
    private readonly deps: {
      store: Store
      blobs: BlobStore
      codec: ImageCodec
      grants: GrantService
      licences: LicenceService
      marker?: PixelMarker
      /** Signs a C2PA manifest into every export, after the XMP; absent: XMP only. */
      credentials?: CredentialService
      /**
       * The unpaid quote holding a grant (its usage was refused for want of payment), or null;
       * a held grant exports nothing until the usage is paid for. Absent: never held.
       */
      holdOf?: (
        studioId: string,
        grantId: string,
      ) => Promise<{ readonly amountMinor: number; readonly currency: string } | null>
    },
  ) {}

  /**
   * Throws `GRANT_INVALID` for a forged, expired or unknown grant (or none where one is needed:
   * `AUTH_FORBIDDEN` for an outside party's key), `GRANT_NOT_COVERED` for a grant of another
   * asset, `ASSET_NOT_FOUND`, and `LICENCE_NOT_FOUND` when the asset has no licence to embed.
   */
  async export(
    access: ExportAccess,
    assetId: string,
    opts: { format: ExportFormat; baseUrl: string },
  ): Promise<ExportResult> {
    const { store } = this.deps
    const { studioId, claims } = await this.authorise(access, assetId)
    const asset = await store.assets.get(studioId, assetId)
    if (asset === null) throw new ArchiveError('ASSET_NOT_FOUND', `no asset ${assetId}`)

    let licenceVersion: number | null = null
    if (claims !== null) {
      const agreement = await store.agreements.findByGrantId(claims.jti)
      if (
        agreement === null ||
        agreement.studioId !== studioId ||
        agreement.assetId !== assetId ||
        agreement.assignee !== claims.sub ||
        agreementIri(agreement.id) !== claims.agreement
      ) {
        throw new GrantError('GRANT_INVALID', 'the grant token names no agreement of this studio')
      }
      licenceVersion = agreement.licenceVersion
      if ((await store.agreements.revokedAt(studioId, agreement.id)) !== null) {
        throw new GrantError('GRANT_INVALID', 'the grant was revoked')
      }
      const hold = await this.deps.holdOf?.(studioId, claims.jti)
      if (hold !== undefined && hold !== null) {
        throw new BillingError(
          'USAGE_GRANT_HELD',
          'usage reported under this grant awaits payment; top up the wallet and resend it',
          { quote: hold },
        )
      }
    }
    const record =
      licenceVersion === null
        ? await store.licences.current(studioId, assetId)
        : await store.licences.version(studioId, assetId, licenceVersion)
    if (record === null) {
      throw new LicenceError('LICENCE_NOT_FOUND', `asset ${assetId} has no licence attached`)
    }
    const policy = parsePolicy(record.policy)

    const version = await store.assets.version(studioId, assetId, asset.currentVersion)
    const original = version === null ? null : await this.deps.blobs.get(version.sha256)
    if (original === null) throw new Error(`asset ${assetId}: the current file is missing`)
    const settled = await this.settle(original, opts.format, {
      studioId,
      assetId,
      grantId: claims?.jti ?? null,
    })

    const studio = await store.studios.get(studioId)
    const studioName = studio?.name ?? studioId
    const designers = asset.metadata.designers.map((d) => d.name)
    const isTrainingPermitted = await this.trainingPermitted(studioId, assetId, policy, claims)
    const licenceUrl = publicLicenceUrl(opts.baseUrl, assetId)
    const licence: XmpLicence = {
      rights: `© ${asset.createdAt.slice(0, 4)} ${studioName}. Licensed, not sold: see ${licenceUrl}`,
      creators: designers.length > 0 ? designers : [studioName],
      webStatement: licenceUrl,
      usageTerms: describePolicy(policy),
      licensor: { name: studioName, url: opts.baseUrl },
      copyrightOwners: [{ name: studioName, id: studioIri(studioId) }],
      ...(claims === null ? {} : { licenseId: claims.agreement }),
      dataMining: isTrainingPermitted ? DATA_MINING.allowed : DATA_MINING.prohibitedAiTraining,
      rightsExpression: JSON.stringify(record.policy),
      ...digitalSource(tierDigitalSourceType(await store.authorship.tier(studioId, assetId))),
    }
    let bytes = writeXmp(settled, opts.format, licence)
    let credential: ExportCredential | null = null
    if (this.deps.credentials !== undefined) {
      // Signed last: the manifest's hard binding covers the pixels and the XMP as written.
      const training = trainingUses(policy, isTrainingPermitted)
      const issued = await this.deps.credentials.issue({
        studioId,
        asset,
        mediaType: MEDIA_TYPES[opts.format] as 'image/png' | 'image/jpeg',
        bytes,
        licence: {
          url: licenceUrl,
          offerUrl: licenceUrl,
          rights: licence.rights,
          creators: licence.creators,
          ...(claims === null ? {} : { licenseId: claims.agreement }),
          training,
        },
      })
      bytes = issued.bytes
      credential = { manifestSha256: issued.manifestSha256, logIndex: issued.logIndex }
    }
    return {
      bytes,
      settled,
      format: opts.format,
      mediaType: MEDIA_TYPES[opts.format],
      filename: `${assetId}.${EXTENSIONS[opts.format]}`,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      licenseId: claims?.agreement ?? null,
      credential,
    }
  }

  /**
   * Settles the pixels of a file in an export format: decode (8-bit sRGB), mark, encode. What
   * this returns is final: XMP is added to the container afterwards without re-encoding.
   */
  async settle(
    original: Uint8Array,
    format: ExportFormat,
    context: MarkContext,
  ): Promise<Uint8Array> {
    const decoded = await this.deps.codec.decode(original)
    const marked = await (this.deps.marker ?? NO_MARK)(decoded, context)
    if (marked.width !== decoded.width || marked.height !== decoded.height) {
      throw new Error('the pixel marker changed the image size')
    }
    switch (format) {
      case 'png':
        return this.deps.codec.encodePng(marked)
      case 'jpeg':
        return this.deps.codec.encodeJpeg(marked)
    }
  }

  private async authorise(
    access: ExportAccess,
    assetId: string,
  ): Promise<{ studioId: string; claims: GrantClaims | null }> {
    if (access.grant !== undefined) {
      const claims = await this.deps.grants.verify(access.grant)
      if (access.caller !== undefined && access.caller.studioId !== claims.studioId) {
        throw new GrantError('GRANT_INVALID', 'the grant token is from another studio')
      }
      if (!claims.assets.includes(assetId)) {
        throw new GrantError('GRANT_NOT_COVERED', `the grant does not cover asset ${assetId}`)
      }
      return { studioId: claims.studioId, claims }
    }
    if (access.caller === undefined) {
      throw new GrantError('GRANT_INVALID', 'a grant token is required to export')
    }
    if (!can(access.caller.role, 'asset.readPrivate')) {
      throw new AccessError('AUTH_FORBIDDEN', 'an outside party exports with a grant token')
    }
    return { studioId: access.caller.studioId, claims: null }
  }

  private trainingPermitted(
    studioId: string,
    assetId: string,
    policy: CompiledPolicy,
    claims: GrantClaims | null,
  ): Promise<boolean> {
    return this.deps.licences.isTrainingPermitted(studioId, assetId, policy, claims?.sub)
  }
}

/** Writes the licence XMP into a settled PNG or JPEG without re-encoding it. */
export function writeXmp(
  settled: Uint8Array,
  format: ExportFormat,
  licence: XmpLicence,
): Uint8Array {
  switch (format) {
    case 'png':
      return insertPngXmp(settled, buildXmpPacket(licence))
    case 'jpeg':
      return insertJpegXmp(settled, buildXmpPackets(licence, JPEG_MAX_STANDARD_XMP_BYTES))
  }
}

/**
 * The CAWG training-and-data-mining answers of a licence: training, generative training and
 * data mining follow `slv:aiTraining` (as `plus:DataMining` does), inference `slv:aiInference`;
 * `isTrainingPermitted` says this copy's own agreement already permits training.
 */
function trainingUses(
  policy: CompiledPolicy,
  isTrainingPermitted: boolean,
): Record<
  'cawg.ai_generative_training' | 'cawg.ai_training' | 'cawg.ai_inference' | 'cawg.data_mining',
  TrainingUse
> {
  const training = trainingUseOf(actionStance(policy, 'slv:aiTraining'), isTrainingPermitted)
  return {
    'cawg.ai_generative_training': training,
    'cawg.ai_training': training,
    'cawg.ai_inference': trainingUseOf(actionStance(policy, 'slv:aiInference')),
    'cawg.data_mining': training,
  }
}

function digitalSource(iri: string | null): { digitalSourceType?: string } {
  return iri === null ? {} : { digitalSourceType: iri }
}

import { createHash, createPrivateKey } from 'node:crypto'
import { type Caller, requirePermission } from '../../core/access/index.js'
import { ArchiveError, type Asset } from '../../core/archive/index.js'
import {
  buildManifestDefinition,
  createdSourceType,
  extractManifestStore,
  type IngredientFacts,
  type TrainingMiningKey,
  type TrainingUse,
  tierOfSourceType,
} from '../../core/c2pa/index.js'
import { ImageError } from '../../core/image/index.js'
import { type ProvenanceTier, tierDigitalSourceType } from '../../core/provenance/index.js'
import { readXmpLicence, type XmpLicenceReading } from '../../core/xmp/index.js'
import type { EventLog } from '../log/index.js'
import type {
  BlobStore,
  C2paEngine,
  C2paSignerMaterial,
  CertificateAuthority,
  Clock,
  CredentialSignerRecord,
  IdSource,
  ImageCodec,
  Store,
} from '../ports.js'
import { SEAL_NONCE_BYTES, sealSecret, unsealSecret } from '../sealed-secret.js'
import { StorageError } from '../storage-error.js'

/** The claim generator named in every manifest. */
export const CLAIM_GENERATOR = { name: 'Selvedge', version: '0.1.0' } as const

const MASTER_KEY_BYTES = 32

/** The licence facts an export states, as the manifest needs them. */
export interface CredentialLicence {
  /** The public licence page. */
  readonly url: string
  /** Where the offer for constrained uses is read. */
  readonly offerUrl: string
  readonly rights: string
  readonly creators: readonly string[]
  readonly licenseId?: string
  readonly training: Readonly<Record<TrainingMiningKey, TrainingUse>>
}

/** A manifest signed into a file. */
export interface IssuedCredential {
  /** The signed file. */
  readonly bytes: Uint8Array
  /** SHA-256 (hex) of the embedded manifest store. */
  readonly manifestSha256: string
  /** Index of the `credential.issued` log entry; null without a log. */
  readonly logIndex: number | null
}

/** The studio's signer as shown to people: certificates only. */
export interface CredentialSignerView {
  readonly id: string
  readonly source: 'generated' | 'imported'
  readonly algorithm: string
  readonly chainPem: string
  readonly rootPem: string | null
  readonly notAfter: string
  readonly createdAt: string
}

/** What `verify` reports (the `selvedge verify --json` and `POST /v1/verify` body). */
export interface VerifyReport {
  readonly c2pa: {
    readonly state: 'Trusted' | 'Valid' | 'Invalid' | 'absent'
    readonly failures: readonly string[]
  }
  /** The tier the file states: its manifest's `c2pa.created` source type, else its XMP's. */
  readonly tier: ProvenanceTier
  /** What the file's XMP says; null when it has no XMP. */
  readonly licence: XmpLicenceReading | null
  readonly log: {
    /** True when the manifest's `credential.issued` entry is in the log under a checkpoint. */
    readonly included: boolean
    readonly index?: number
    /** The latest signed checkpoint (C2SP signed note) that covers the entry. */
    readonly checkpoint?: { readonly size: number; readonly note: string }
  }
}

const IMAGE_TYPES: readonly {
  readonly mediaType: string
  readonly test: (b: Uint8Array) => boolean
}[] = [
  { mediaType: 'image/png', test: (b) => b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e },
  { mediaType: 'image/jpeg', test: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  {
    mediaType: 'image/webp',
    test: (b) => b[0] === 0x52 && b[1] === 0x49 && b[8] === 0x57 && b[9] === 0x45,
  },
  {
    mediaType: 'image/tiff',
    test: (b) =>
      (b[0] === 0x49 && b[1] === 0x49 && b[2] === 0x2a) ||
      (b[0] === 0x4d && b[1] === 0x4d && b[2] === 0x00 && b[3] === 0x2a),
  },
]

/**
 * Verifies a file without a store: the C2PA manifest (validated by the engine against
 * `trustAnchorsPem`, or without trust when null), the tier and the XMP licence; `log` is never
 * included. Throws `IMAGE_UNREADABLE` for a file that is not a PNG, JPEG, WebP or TIFF image, or
 * whose image data the codec cannot read.
 */
export async function verifyFile(
  deps: { readonly c2pa: C2paEngine; readonly codec: ImageCodec },
  bytes: Uint8Array,
  trustAnchorsPem: string | null,
): Promise<VerifyReport> {
  const type = IMAGE_TYPES.find((t) => t.test(bytes))
  if (type === undefined) {
    throw new ImageError('IMAGE_UNREADABLE', 'the file is not a PNG, JPEG, WebP or TIFF image')
  }
  await deps.codec.probe(bytes)
  const reading = await deps.c2pa.read(bytes, type.mediaType, trustAnchorsPem)
  const licence = readXmpLicence(bytes)
  const signedSource =
    reading === null || reading.activeManifest === null
      ? null
      : createdSourceType(reading.activeManifest.assertions)
  return {
    c2pa:
      reading === null
        ? { state: 'absent', failures: [] }
        : { state: reading.state, failures: reading.failures },
    tier: tierOfSourceType(signedSource ?? licence?.digitalSourceType),
    licence,
    log: { included: false },
  }
}

/**
 * Content Credentials: each studio's C2PA signing PKI (created on first use, or imported),
 * signing an export's manifest (logged as `credential.issued`), and verification of any file.
 * Private keys are sealed with AES-256-GCM under the instance master key, bound to the signer's
 * id, exactly as the key ring seals its keys.
 */
export class CredentialService {
  private readonly materials = new Map<string, C2paSignerMaterial>()
  private readonly creating = new Map<string, Promise<CredentialSignerRecord>>()

  constructor(
    private readonly deps: {
      readonly store: Store
      readonly blobs: BlobStore
      readonly codec: ImageCodec
      readonly clock: Clock
      readonly ids: IdSource
      readonly masterKey: Uint8Array
      readonly ca: CertificateAuthority
      readonly c2pa: C2paEngine
      /** The transparency log; without it, manifests are recorded but not logged. */
      readonly log?: EventLog
    },
  ) {
    if (deps.masterKey.length !== MASTER_KEY_BYTES) {
      throw new RangeError(`the master key must be ${MASTER_KEY_BYTES} bytes`)
    }
  }

  /**
   * The studio's active signer, creating its PKI (root CA, intermediate CA, claim-signing leaf)
   * when it has none: at `init`, or at the first export of a data folder made before. When two
   * processes create it at once, one wins and both use the winner's.
   */
  async ensureSigner(studioId: string): Promise<CredentialSignerView> {
    return signerView(await this.activeSigner(studioId))
  }

  /**
   * Replaces the studio's signer with an imported certificate chain (leaf first, PEM) and its
   * private key (PEM). The old signer is kept for the record. Needs `key.manage`. Throws
   * `CREDENTIAL_IMPORT_INVALID` when the pair cannot sign C2PA claims.
   */
  async importSigner(
    caller: Caller,
    chainPem: string,
    keyPem: string,
  ): Promise<CredentialSignerView> {
    requirePermission(caller, 'key.manage')
    const { ca, clock, ids, store } = this.deps
    const imported = await ca.inspectImport(chainPem, keyPem, new Date(clock.nowIso()))
    const id = ids.next('crs')
    const record: CredentialSignerRecord = {
      id,
      studioId: caller.studioId,
      source: 'imported',
      algorithm: imported.algorithm,
      chainPem: imported.chainPem,
      rootPem: imported.rootPem,
      privateKeySealed: this.seal(id, 'leaf', imported.leafKeyPkcs8),
      caKeysSealed: null,
      notAfter: imported.notAfter,
      createdAt: clock.nowIso(),
    }
    await store.credentials.addSigner(record, { replace: true })
    return signerView(record)
  }

  /**
   * The root certificate (PEM) verifiers trust for the studio's manifests, creating the PKI
   * when needed; null when an imported chain came without its root.
   */
  async rootCertificate(studioId: string): Promise<string | null> {
    return (await this.activeSigner(studioId)).rootPem
  }

  /**
   * Signs the export's manifest into `bytes` (a settled file with its XMP written) and records
   * it: the manifest store's SHA-256 goes into a `credential.issued` log entry, queued in the
   * same transaction as the record; answers once the entry is sequenced.
   */
  async issue(input: {
    readonly studioId: string
    readonly asset: Asset
    readonly mediaType: 'image/png' | 'image/jpeg'
    readonly bytes: Uint8Array
    readonly licence: CredentialLicence
  }): Promise<IssuedCredential> {
    const { store, clock, c2pa, log } = this.deps
    const { studioId, asset } = input
    const signer = await this.activeSigner(studioId)
    const steps = await store.authorship.steps(studioId, asset.id)
    const tier = await store.authorship.tier(studioId, asset.id)
    const lineage = await this.lineage(studioId, asset)
    const { licence } = input
    const plan = buildManifestDefinition({
      title: asset.metadata.title === '' ? asset.id : asset.metadata.title,
      format: input.mediaType,
      claimGenerator: CLAIM_GENERATOR,
      tierSourceType: tierDigitalSourceType(tier),
      steps: steps.map((s) => s.step),
      lineage: lineage.map((l) => l.facts),
      licence: {
        url: licence.url,
        offerUrl: licence.offerUrl,
        rights: licence.rights,
        creators: licence.creators,
        ...(licence.licenseId === undefined ? {} : { licenseId: licence.licenseId }),
      },
      training: licence.training,
    })
    const signed = await c2pa.sign({
      definition: plan.definition,
      ingredients: plan.ingredients.map((definition) => {
        const source = lineage.find((l) => l.facts.assetId === definition.assetId)
        if (source === undefined) throw new Error(`ingredient ${definition.assetId} has no file`)
        const { assetId: _assetId, ...json } = definition
        return { definition: json, bytes: source.bytes, mediaType: source.facts.format }
      }),
      asset: input.bytes,
      mediaType: input.mediaType,
      signer: this.material(signer),
    })
    const manifestSha256 = sha256(signed.manifestStore)
    const fileSha256 = sha256(signed.bytes)
    const createdAt = clock.nowIso()
    const logSubmission = await store.transaction(async (tx) => {
      let submission: string | null = null
      if (log !== undefined) {
        const [id] = await log.queue(tx, [
          {
            type: 'credential.issued',
            studio: studioId,
            time: createdAt,
            asset: asset.id,
            manifestSha256,
            fileSha256,
            signer: signer.id,
          },
        ])
        submission = id ?? null
      }
      await tx.credentials.recordIssued({
        manifestSha256,
        studioId,
        assetId: asset.id,
        signerId: signer.id,
        format: input.mediaType,
        fileSha256,
        createdAt,
        logSubmission: submission,
      })
      return submission
    })
    let logIndex: number | null = null
    if (log !== undefined && logSubmission !== null) {
      ;[logIndex = null] = await log.waitFor([logSubmission])
    }
    return { bytes: signed.bytes, manifestSha256, logIndex }
  }

  /**
   * Verifies a file: its C2PA manifest against `trustAnchorsPem` (default: the first studio's
   * root, when the instance has one), the tier and licence it states, and whether its manifest
   * was issued here and logged under a signed checkpoint. Throws `IMAGE_UNREADABLE` for a file
   * that is not an image; needs no key.
   */
  async verify(bytes: Uint8Array, trustAnchorsPem?: string | null): Promise<VerifyReport> {
    const anchors = trustAnchorsPem === undefined ? await this.defaultAnchors() : trustAnchorsPem
    const report = await verifyFile(this.deps, bytes, anchors)
    const store = extractManifestStore(bytes)
    if (store === null) return report
    return { ...report, log: await this.logStatus(sha256(store)) }
  }

  private async defaultAnchors(): Promise<string | null> {
    const studio = await this.deps.store.studios.first()
    if (studio === null) return null
    // Read only: verifying never creates a studio's PKI.
    return (await this.deps.store.credentials.activeSigner(studio.id))?.rootPem ?? null
  }

  private async logStatus(manifestSha256: string): Promise<VerifyReport['log']> {
    const { store } = this.deps
    const issued = await store.credentials.issuedByManifest(manifestSha256)
    if (issued === null || issued.logSubmission === null) return { included: false }
    const index = (await store.log.indexesOf([issued.logSubmission])).get(issued.logSubmission)
    if (index === null || index === undefined) return { included: false }
    const checkpoint = await store.log.latestCheckpoint()
    if (checkpoint === null || checkpoint.size <= index) return { included: false }
    // The database row is only a pointer: the entry itself must name this manifest.
    const [entry] = await store.log.entries(index, index + 1)
    if (entry === undefined || !namesManifest(entry, manifestSha256)) return { included: false }
    return {
      included: true,
      index,
      checkpoint: { size: checkpoint.size, note: checkpoint.note },
    }
  }

  private async lineage(
    studioId: string,
    asset: Asset,
  ): Promise<{ facts: IngredientFacts; bytes: Uint8Array }[]> {
    const { store, blobs } = this.deps
    const out: { facts: IngredientFacts; bytes: Uint8Array }[] = []
    for (const link of asset.metadata.lineage) {
      const source = await store.assets.get(studioId, link.assetId)
      if (source === null) throw new ArchiveError('ASSET_NOT_FOUND', `no asset ${link.assetId}`)
      const version = await store.assets.version(studioId, source.id, source.currentVersion)
      const bytes = version === null ? null : await blobs.get(version.sha256)
      if (version === null || bytes === null) {
        throw new Error(`asset ${source.id}: the current file is missing`)
      }
      out.push({
        facts: {
          assetId: source.id,
          title: source.metadata.title === '' ? source.id : source.metadata.title,
          format: version.mediaType,
          sha256: version.sha256,
        },
        bytes,
      })
    }
    return out
  }

  private async activeSigner(studioId: string): Promise<CredentialSignerRecord> {
    const existing = await this.deps.store.credentials.activeSigner(studioId)
    if (existing !== null) return existing
    let pending = this.creating.get(studioId)
    if (pending === undefined) {
      pending = this.createSigner(studioId).finally(() => this.creating.delete(studioId))
      this.creating.set(studioId, pending)
    }
    return pending
  }

  private async createSigner(studioId: string): Promise<CredentialSignerRecord> {
    const { store, ca, clock, ids } = this.deps
    const studio = await store.studios.get(studioId)
    if (studio === null) throw new ArchiveError('STUDIO_NOT_INITIALISED', 'no such studio')
    const pki = await ca.createStudioPki({ studioName: studio.name, now: new Date(clock.nowIso()) })
    const id = ids.next('crs')
    const record: CredentialSignerRecord = {
      id,
      studioId,
      source: 'generated',
      algorithm: pki.algorithm,
      chainPem: pki.chainPem,
      rootPem: pki.rootPem,
      privateKeySealed: this.seal(id, 'leaf', pki.leafKeyPkcs8),
      caKeysSealed: JSON.stringify({
        root: this.seal(id, 'root', pki.rootKeyPkcs8),
        intermediate: this.seal(id, 'intermediate', pki.intermediateKeyPkcs8),
      }),
      notAfter: pki.notAfter,
      createdAt: clock.nowIso(),
    }
    try {
      await store.credentials.addSigner(record, { replace: false })
      return record
    } catch (error) {
      // Another process created the studio's first signer at the same time: use that one.
      if (!(error instanceof StorageError && error.code === 'STORAGE_CONFLICT')) throw error
      const winner = await store.credentials.activeSigner(studioId)
      if (winner === null) throw error
      return winner
    }
  }

  private material(record: CredentialSignerRecord): C2paSignerMaterial {
    let material = this.materials.get(record.id)
    if (material === undefined) {
      const der = this.unseal(record.id, 'leaf', record.privateKeySealed)
      const privateKeyPem = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' })
        .export({ format: 'pem', type: 'pkcs8' })
        .toString()
      material = {
        id: record.id,
        algorithm: record.algorithm,
        chainPem: record.chainPem,
        privateKeyPem,
      }
      this.materials.set(record.id, material)
    }
    return material
  }

  private aad(id: string, role: string): string {
    return `selvedge-credential-key\u0000${id}\u0000${role}`
  }

  private seal(id: string, role: string, plaintext: Uint8Array): string {
    const nonce = this.deps.ids.randomBytes(SEAL_NONCE_BYTES)
    return sealSecret(this.deps.masterKey, nonce, this.aad(id, role), plaintext)
  }

  private unseal(id: string, role: string, sealed: string): Buffer {
    try {
      return unsealSecret(this.deps.masterKey, this.aad(id, role), sealed)
    } catch (cause) {
      throw new Error(`credential signer ${id} cannot be unsealed: wrong master key?`, { cause })
    }
  }
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex')
}

function namesManifest(entry: Uint8Array, manifestSha256: string): boolean {
  try {
    const parsed = JSON.parse(new TextDecoder().decode(entry)) as Record<string, unknown>
    return parsed['type'] === 'credential.issued' && parsed['manifestSha256'] === manifestSha256
  } catch {
    return false
  }
}

function signerView(record: CredentialSignerRecord): CredentialSignerView {
  return {
    id: record.id,
    source: record.source,
    algorithm: record.algorithm,
    chainPem: record.chainPem,
    rootPem: record.rootPem,
    notAfter: record.notAfter,
    createdAt: record.createdAt,
  }
}

import { Builder, LocalSigner, Reader } from '@contentauth/c2pa-node'
import type { C2paEngine, C2paReading, C2paSignerMaterial } from '../../app/ports.js'
import {
  extractManifestStore,
  type IngredientDefinition,
  type ManifestDefinition,
} from '../../core/c2pa/index.js'

// The SDK's signing-algorithm names (c2pa-node `SigningAlg`).
type SigningAlg = 'es256' | 'es384' | 'es512' | 'ps256' | 'ps384' | 'ps512' | 'ed25519'
const SIGNING_ALGS: readonly string[] = [
  'es256',
  'es384',
  'es512',
  'ps256',
  'ps384',
  'ps512',
  'ed25519',
]

// c2pa-rs settings (snake_case, as c2pa-rs reads them). No thumbnails (the export is the full
// image; C2PA 2.1 §A.3 does not require one), and no re-validation of what was just signed.
const SIGN_SETTINGS = JSON.stringify({
  builder: { thumbnail: { enabled: false } },
  verify: { verify_after_sign: false },
})

/** The parts of a manifest-store report this adapter reads (c2pa-rs `Reader` JSON). */
interface ReaderJson {
  readonly active_manifest?: string | null
  readonly manifests?: Readonly<
    Record<
      string,
      {
        readonly assertions?: readonly { readonly label: string; readonly data: unknown }[]
        readonly ingredients?: readonly {
          readonly title?: string | null
          readonly relationship?: string | null
          readonly format?: string | null
        }[]
      }
    >
  >
  readonly validation_state?: string | null
  readonly validation_status?: readonly { readonly code: string }[] | null
  readonly validation_results?: {
    readonly activeManifest?: { readonly failure?: readonly { readonly code: string }[] } | null
    readonly ingredientDeltas?: readonly {
      readonly validationDeltas?: { readonly failure?: readonly { readonly code: string }[] }
    }[]
  } | null
}

// c2pa-rs errors that mean the file carries no manifest store at all.
const NO_MANIFEST = /ProvenanceMissing|JumbfNotFound|ManifestNotFound/

/**
 * C2PA signing and validation with the Content Authenticity Initiative's c2pa-rs, through
 * `@contentauth/c2pa-node`. Signers are built once per signer id and kept.
 */
export class C2paNodeEngine implements C2paEngine {
  private readonly signers = new Map<string, LocalSigner>()

  async sign(request: {
    readonly definition: ManifestDefinition
    readonly ingredients: readonly {
      readonly definition: IngredientDefinition
      readonly bytes: Uint8Array
      readonly mediaType: string
    }[]
    readonly asset: Uint8Array
    readonly mediaType: string
    readonly signer: C2paSignerMaterial
  }): Promise<{ readonly bytes: Uint8Array; readonly manifestStore: Uint8Array }> {
    const builder = Builder.withJson(
      request.definition as unknown as Parameters<typeof Builder.withJson>[0],
      SIGN_SETTINGS,
    )
    for (const ingredient of request.ingredients) {
      await builder.addIngredient(JSON.stringify(ingredient.definition), {
        buffer: toBuffer(ingredient.bytes),
        mimeType: ingredient.mediaType,
      })
    }
    const output: { buffer: Buffer | null } = { buffer: null }
    const manifestStore = builder.sign(
      this.localSigner(request.signer),
      { buffer: toBuffer(request.asset), mimeType: request.mediaType },
      output,
    )
    if (output.buffer === null) throw new Error('the C2PA SDK returned no signed asset')
    return { bytes: new Uint8Array(output.buffer), manifestStore: new Uint8Array(manifestStore) }
  }

  async read(
    asset: Uint8Array,
    mediaType: string,
    trustAnchorsPem: string | null,
  ): Promise<C2paReading | null> {
    // Never fetch: the file is attacker-controlled and may point at remote manifests or OCSP.
    const settings = JSON.stringify({
      verify: {
        verify_trust: trustAnchorsPem !== null,
        ocsp_fetch: false,
        remote_manifest_fetch: false,
      },
      ...(trustAnchorsPem === null ? {} : { trust: { trust_anchors: trustAnchorsPem } }),
    })
    let reader: Reader | null
    try {
      reader = await Reader.fromAsset({ buffer: toBuffer(asset), mimeType: mediaType }, settings)
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error)
      if (NO_MANIFEST.test(message)) return null
      // A PNG or JPEG c2pa-rs cannot parse, with no manifest store in it, has none to judge.
      const isPngOrJpeg = mediaType === 'image/png' || mediaType === 'image/jpeg'
      if (isPngOrJpeg && extractManifestStore(asset) === null) return null
      return { state: 'Invalid', failures: [failureCode(message)], activeManifest: null }
    }
    if (reader === null) return null
    return toReading(reader.json() as unknown as ReaderJson)
  }

  private localSigner(material: C2paSignerMaterial): LocalSigner {
    let signer = this.signers.get(material.id)
    if (signer === undefined) {
      if (!SIGNING_ALGS.includes(material.algorithm)) {
        throw new Error(`unsupported C2PA signing algorithm ${material.algorithm}`)
      }
      signer = LocalSigner.newSigner(
        Buffer.from(material.chainPem),
        Buffer.from(material.privateKeyPem),
        material.algorithm as SigningAlg,
      )
      this.signers.set(material.id, signer)
    }
    return signer
  }
}

function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
}

function toReading(json: ReaderJson): C2paReading {
  const results = json.validation_results
  const failures = [
    ...(results?.activeManifest?.failure ?? []).map((f) => f.code),
    ...(results?.ingredientDeltas ?? []).flatMap((d) =>
      (d.validationDeltas?.failure ?? []).map((f) => f.code),
    ),
  ]
  if (results === undefined || results === null) {
    failures.push(...(json.validation_status ?? []).map((s) => s.code))
  }
  const unique = [...new Set(failures)]
  const reported = json.validation_state
  const state: C2paReading['state'] =
    reported === 'Trusted' || reported === 'Valid' || reported === 'Invalid'
      ? reported
      : unique.length > 0
        ? 'Invalid'
        : 'Valid'
  const label = json.active_manifest ?? null
  const manifest = label === null ? undefined : json.manifests?.[label]
  return {
    state,
    failures: unique,
    activeManifest:
      label === null || manifest === undefined
        ? null
        : {
            label,
            assertions: (manifest.assertions ?? []).map((a) => ({ label: a.label, data: a.data })),
            ingredients: (manifest.ingredients ?? []).map((i) => ({
              title: i.title ?? null,
              relationship: i.relationship ?? null,
              format: i.format ?? null,
            })),
          },
  }
}

// c2pa-rs errors that stop reading altogether, mapped to the nearest C2PA 2.1 §15 status code.
function failureCode(message: string): string {
  if (/Jumbf|Claim.*(Decoding|Encoding)|Cbor/i.test(message)) return 'claim.malformed'
  if (/hash/i.test(message)) return 'assertion.dataHash.mismatch'
  if (/signature/i.test(message)) return 'claimSignature.mismatch'
  return 'general.error'
}

/** Repeat layouts a textile design can be built with; `none` for a placed (non-repeating) design. */
export type RepeatType = 'block' | 'half-drop' | 'half-brick' | 'mirror' | 'none'
export const REPEAT_TYPES: readonly RepeatType[] = [
  'block',
  'half-drop',
  'half-brick',
  'mirror',
  'none',
]

/** Roles a key can hold: studio members (`owner`, `designer`) and outside parties. */
export type Role = 'owner' | 'designer' | 'licensee' | 'agent' | 'auditor'
export const ROLES: readonly Role[] = ['owner', 'designer', 'licensee', 'agent', 'auditor']

export type Visibility = 'private' | 'published'

/** Style lineage: how one pattern relates to another of the same studio. */
export type LineageRelation = 'derivedFrom' | 'colourwayOf' | 'variantOf' | 'inspiredBy'
export const LINEAGE_RELATIONS: readonly LineageRelation[] = [
  'derivedFrom',
  'colourwayOf',
  'variantOf',
  'inspiredBy',
]

export interface PaletteColour {
  /** `#rrggbb`, lower case. */
  readonly hex: string
  /** CIELAB (D65), rounded to 2 decimals. */
  readonly lab: readonly [number, number, number]
  /** Share of pixels, 0..1. */
  readonly coverage: number
}

export interface DesignerShare {
  readonly designerId: string
  readonly name: string
  /** Share of authorship royalties in basis points; the shares of one asset sum to 10,000. */
  readonly shareBps: number
}

export interface LineageLink {
  readonly relation: LineageRelation
  readonly assetId: string
  /**
   * The ancestor's royalty on this asset's revenue, in basis points (0..10,000; absent: 0).
   * Rates stack along the lineage; `inspiredBy` never pays.
   */
  readonly royaltyBps?: number
}

export interface RepeatSpec {
  readonly type: RepeatType
  readonly tileWidthPx: number
  readonly tileHeightPx: number
}

export interface PrintSpec {
  readonly dpi: number
  /** Derived: pixel size / dpi × 2.54, rounded to 2 decimals. */
  readonly widthCm: number
  readonly heightCm: number
}

/** Manufacturing limits: screens for screen printing, ends × picks for jacquard weaving. */
export interface ConstructionSpec {
  readonly maxColours?: number
  readonly maxScreens?: number
  readonly jacquardEnds?: number
  readonly jacquardPicks?: number
  readonly repeatWidthEnds?: number
}

export interface Studio {
  readonly id: string
  readonly name: string
  readonly createdAt: string
}

export interface Designer {
  readonly id: string
  readonly studioId: string
  readonly name: string
  readonly partyIri: string | null
  readonly createdAt: string
}

export interface Collection {
  readonly id: string
  readonly studioId: string
  readonly name: string
  readonly createdAt: string
}

/** An API key as stored: only the SHA-256 of the secret is kept. */
export interface ApiKeyRecord {
  readonly id: string
  readonly studioId: string
  readonly role: Role
  /** The IRI naming the party that holds the key. */
  readonly party: string
  readonly name: string
  readonly secretSha256: string
  readonly createdAt: string
  readonly revokedAt: string | null
}

/** Facts measured from the pixels of one version. */
export interface AnalysisFacts {
  readonly width: number
  readonly height: number
  readonly format: string
  readonly sha256: string
  readonly palette: readonly PaletteColour[]
  readonly colourCount: number
  readonly repeat: {
    readonly type: RepeatType
    readonly tileWidth: number
    readonly tileHeight: number
    readonly confidence: number
  }
  readonly seamless: { readonly score: number; readonly isSeamless: boolean }
  readonly pdq: { readonly hash: string; readonly quality: number }
}

export interface AssetVersion {
  readonly assetId: string
  /** 1-based, increasing by one per new file. */
  readonly version: number
  readonly sha256: string
  readonly sizeBytes: number
  readonly mediaType: string
  readonly analysis: AnalysisFacts
  readonly createdAt: string
}

/** Editable descriptive metadata of a pattern. */
export interface AssetMetadata {
  readonly title: string
  readonly description: string
  readonly designers: readonly DesignerShare[]
  readonly collectionId: string | null
  readonly tags: readonly string[]
  readonly motifs: readonly string[]
  readonly lineage: readonly LineageLink[]
  readonly repeat: RepeatSpec
  readonly print: PrintSpec
  readonly construction: ConstructionSpec
  readonly palette: readonly PaletteColour[]
}

export interface Asset {
  readonly id: string
  readonly studioId: string
  readonly visibility: Visibility
  readonly metadata: AssetMetadata
  readonly currentVersion: number
  /** SHA-256 of the current version's file. */
  readonly sha256: string
  /** PDQ hash (64 hex) of the current version. */
  readonly pdqHash: string
  readonly pdqQuality: number
  readonly createdAt: string
  readonly updatedAt: string
}

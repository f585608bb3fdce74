import { ArchiveError } from './archive-error.js'
import {
  type ConstructionSpec,
  LINEAGE_RELATIONS,
  type LineageRelation,
  REPEAT_TYPES,
  type RepeatType,
  type Visibility,
} from './types.js'

/** Metadata as a client sends it: every field optional; names instead of ids. */
export interface MetadataInput {
  readonly title?: string
  readonly description?: string
  /** Designers by name; shares in basis points, or omitted for equal shares. */
  readonly designers?: readonly { readonly name: string; readonly shareBps?: number }[]
  /** Collection name; `null` removes the asset from its collection. */
  readonly collection?: string | null
  readonly tags?: readonly string[]
  readonly motifs?: readonly string[]
  readonly lineage?: readonly {
    readonly relation: LineageRelation
    readonly assetId: string
    readonly royaltyBps?: number
  }[]
  readonly repeat?: {
    readonly type: RepeatType
    readonly tileWidthPx: number
    readonly tileHeightPx: number
  }
  readonly print?: { readonly dpi: number }
  readonly construction?: ConstructionSpec
  readonly visibility?: Visibility
}

const MAX_TEXT = 2000
const MAX_LIST = 64
const CONSTRUCTION_KEYS = [
  'maxColours',
  'maxScreens',
  'jacquardEnds',
  'jacquardPicks',
  'repeatWidthEnds',
] as const

/**
 * Validates untrusted metadata (a parsed JSON value) into a `MetadataInput`. Unknown fields are
 * refused rather than ignored, so a misspelt field never silently does nothing.
 * Throws `ArchiveError('ASSET_METADATA_INVALID')` naming the first offending field.
 */
export function parseMetadataInput(value: unknown): MetadataInput {
  const o = object(value, 'metadata')
  const allowed = new Set([
    'title',
    'description',
    'designers',
    'collection',
    'tags',
    'motifs',
    'lineage',
    'repeat',
    'print',
    'construction',
    'visibility',
  ])
  for (const k of Object.keys(o)) {
    if (!allowed.has(k)) fail(`metadata.${k} is not a known field`)
  }
  const out: {
    -readonly [K in keyof MetadataInput]: MetadataInput[K]
  } = {}
  if (o['title'] !== undefined) out.title = text(o['title'], 'title', 1, 200)
  if (o['description'] !== undefined) {
    out.description = text(o['description'], 'description', 0, MAX_TEXT)
  }
  if (o['designers'] !== undefined) out.designers = designers(o['designers'])
  if (o['collection'] !== undefined) {
    out.collection = o['collection'] === null ? null : text(o['collection'], 'collection', 1, 200)
  }
  if (o['tags'] !== undefined) out.tags = labels(o['tags'], 'tags')
  if (o['motifs'] !== undefined) out.motifs = labels(o['motifs'], 'motifs')
  if (o['lineage'] !== undefined) out.lineage = lineage(o['lineage'])
  if (o['repeat'] !== undefined) {
    const r = object(o['repeat'], 'repeat')
    const type = r['type']
    if (typeof type !== 'string' || !(REPEAT_TYPES as readonly string[]).includes(type)) {
      fail(`metadata.repeat.type must be one of ${REPEAT_TYPES.join(', ')}`)
    }
    out.repeat = {
      type: type as RepeatType,
      tileWidthPx: int(r['tileWidthPx'], 'repeat.tileWidthPx', 1, 100_000),
      tileHeightPx: int(r['tileHeightPx'], 'repeat.tileHeightPx', 1, 100_000),
    }
  }
  if (o['print'] !== undefined) {
    const p = object(o['print'], 'print')
    out.print = { dpi: int(p['dpi'], 'print.dpi', 1, 10_000) }
  }
  if (o['construction'] !== undefined) {
    const c = object(o['construction'], 'construction')
    const spec: { -readonly [K in keyof ConstructionSpec]: number } = {}
    for (const k of Object.keys(c)) {
      if (!(CONSTRUCTION_KEYS as readonly string[]).includes(k)) {
        fail(`metadata.construction.${k} is not a known field`)
      }
    }
    for (const k of CONSTRUCTION_KEYS) {
      if (c[k] !== undefined && c[k] !== null) spec[k] = int(c[k], `construction.${k}`, 1, 100_000)
    }
    out.construction = spec
  }
  if (o['visibility'] !== undefined) {
    if (o['visibility'] !== 'private' && o['visibility'] !== 'published') {
      fail('metadata.visibility must be private or published')
    }
    out.visibility = o['visibility']
  }
  return out
}

/**
 * Splits 10,000 basis points over designers: given shares must all be present and sum to 10,000;
 * absent shares are split equally, the remainder going to the first designers.
 */
export function resolveShares(
  designers: readonly { readonly name: string; readonly shareBps?: number }[],
): number[] {
  if (designers.length === 0) return []
  const given = designers.filter((d) => d.shareBps !== undefined).length
  if (given === designers.length) {
    const sum = designers.reduce((s, d) => s + (d.shareBps ?? 0), 0)
    if (sum !== 10_000) fail(`designer shares sum to ${sum} basis points; they must sum to 10000`)
    return designers.map((d) => d.shareBps ?? 0)
  }
  if (given > 0) fail('give a share for every designer or for none')
  const base = Math.floor(10_000 / designers.length)
  const rest = 10_000 - base * designers.length
  return designers.map((_, i) => base + (i < rest ? 1 : 0))
}

/** Physical size in centimetres of `px` pixels printed at `dpi`, rounded to 0.01 cm. */
export function pixelsToCm(px: number, dpi: number): number {
  return Math.round((px / dpi) * 254) / 100
}

function designers(v: unknown): { name: string; shareBps?: number }[] {
  const list = array(v, 'designers')
  const seen = new Set<string>()
  return list.map((d, i) => {
    const o = object(d, `designers[${i}]`)
    const name = text(o['name'], `designers[${i}].name`, 1, 200)
    if (seen.has(name)) fail(`metadata.designers lists ${name} twice`)
    seen.add(name)
    if (o['shareBps'] === undefined) return { name }
    return { name, shareBps: int(o['shareBps'], `designers[${i}].shareBps`, 0, 10_000) }
  })
}

function lineage(
  v: unknown,
): { relation: LineageRelation; assetId: string; royaltyBps?: number }[] {
  return array(v, 'lineage').map((l, i) => {
    const o = object(l, `lineage[${i}]`)
    const relation = o['relation']
    if (
      typeof relation !== 'string' ||
      !(LINEAGE_RELATIONS as readonly string[]).includes(relation)
    ) {
      fail(`metadata.lineage[${i}].relation must be one of ${LINEAGE_RELATIONS.join(', ')}`)
    }
    const assetId = text(o['assetId'], `lineage[${i}].assetId`, 1, 100)
    if (o['royaltyBps'] === undefined) return { relation: relation as LineageRelation, assetId }
    const royaltyBps = int(o['royaltyBps'], `lineage[${i}].royaltyBps`, 0, 10_000)
    return { relation: relation as LineageRelation, assetId, royaltyBps }
  })
}

function labels(v: unknown, field: string): string[] {
  const out = array(v, field).map((t, i) => text(t, `${field}[${i}]`, 1, 100).toLowerCase())
  return [...new Set(out)]
}

function object(v: unknown, field: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    fail(`${field === 'metadata' ? 'metadata' : `metadata.${field}`} must be an object`)
  }
  return v as Record<string, unknown>
}

function array(v: unknown, field: string): unknown[] {
  if (!Array.isArray(v)) fail(`metadata.${field} must be an array`)
  if (v.length > MAX_LIST) fail(`metadata.${field} has more than ${MAX_LIST} items`)
  return v
}

function text(v: unknown, field: string, min: number, max: number): string {
  if (typeof v !== 'string') fail(`metadata.${field} must be a string`)
  const t = v.trim()
  if (t.length < min || t.length > max) {
    fail(`metadata.${field} must be ${min}..${max} characters`)
  }
  return t
}

function int(v: unknown, field: string, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    fail(`metadata.${field} must be an integer in ${min}..${max}`)
  }
  return v
}

function fail(message: string): never {
  throw new ArchiveError('ASSET_METADATA_INVALID', message)
}

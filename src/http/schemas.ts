/**
 * JSON Schemas of the API's bodies, shared by validation, response serialisation and the
 * generated OpenAPI document. Response schemas list every field: Fastify's serialiser drops
 * fields a schema does not name, so a field added to a view must be added here too.
 */

export const errorSchema = {
  $id: 'Error',
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: { code: { type: 'string' }, message: { type: 'string' } },
    },
  },
} as const

const lab = { type: 'array', items: { type: 'number' }, minItems: 3, maxItems: 3 } as const

const paletteColour = {
  type: 'object',
  required: ['hex', 'lab', 'coverage'],
  properties: { hex: { type: 'string' }, lab, coverage: { type: 'number' } },
} as const

const repeatTypes = ['block', 'half-drop', 'half-brick', 'mirror', 'none'] as const

export const analysisSchema = {
  $id: 'Analysis',
  type: 'object',
  required: [
    'width',
    'height',
    'format',
    'sha256',
    'palette',
    'colourCount',
    'repeat',
    'seamless',
    'pdq',
  ],
  properties: {
    width: { type: 'integer' },
    height: { type: 'integer' },
    format: { type: 'string' },
    sha256: { type: 'string' },
    palette: { type: 'array', items: paletteColour },
    colourCount: { type: 'integer' },
    repeat: {
      type: 'object',
      required: ['type', 'tileWidth', 'tileHeight', 'confidence'],
      properties: {
        type: { type: 'string', enum: repeatTypes },
        tileWidth: { type: 'integer' },
        tileHeight: { type: 'integer' },
        confidence: { type: 'number' },
      },
    },
    seamless: {
      type: 'object',
      required: ['score', 'isSeamless'],
      properties: { score: { type: 'number' }, isSeamless: { type: 'boolean' } },
    },
    pdq: {
      type: 'object',
      required: ['hash', 'quality'],
      properties: { hash: { type: 'string' }, quality: { type: 'integer' } },
    },
  },
} as const

const construction = {
  type: 'object',
  additionalProperties: false,
  properties: {
    maxColours: { type: 'integer', minimum: 1 },
    maxScreens: { type: 'integer', minimum: 1 },
    jacquardEnds: { type: 'integer', minimum: 1 },
    jacquardPicks: { type: 'integer', minimum: 1 },
    repeatWidthEnds: { type: 'integer', minimum: 1 },
  },
} as const

const lineageLink = {
  type: 'object',
  required: ['relation', 'assetId'],
  properties: {
    relation: { type: 'string', enum: ['derivedFrom', 'colourwayOf', 'variantOf', 'inspiredBy'] },
    assetId: { type: 'string' },
  },
} as const

const repeatSpec = {
  type: 'object',
  required: ['type', 'tileWidthPx', 'tileHeightPx'],
  properties: {
    type: { type: 'string', enum: repeatTypes },
    tileWidthPx: { type: 'integer', minimum: 1 },
    tileHeightPx: { type: 'integer', minimum: 1 },
  },
} as const

export const assetSchema = {
  $id: 'Asset',
  type: 'object',
  required: ['id', 'studioId', 'visibility', 'title', 'repeat', 'palette', 'sha256', 'pdq'],
  properties: {
    id: { type: 'string' },
    studioId: { type: 'string' },
    visibility: { type: 'string', enum: ['private', 'published'] },
    title: { type: 'string' },
    description: { type: 'string' },
    designers: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          id: { type: 'string' },
          name: { type: 'string' },
          shareBps: { type: 'integer' },
        },
      },
    },
    collection: {
      anyOf: [
        { type: 'null' },
        { type: 'object', properties: { id: { type: 'string' }, name: { type: 'string' } } },
      ],
    },
    tags: { type: 'array', items: { type: 'string' } },
    motifs: { type: 'array', items: { type: 'string' } },
    lineage: { type: 'array', items: lineageLink },
    repeat: repeatSpec,
    print: {
      type: 'object',
      properties: {
        dpi: { type: 'integer' },
        widthCm: { type: 'number' },
        heightCm: { type: 'number' },
      },
    },
    construction,
    palette: { type: 'array', items: paletteColour },
    currentVersion: { type: 'integer' },
    sha256: { type: 'string' },
    pdq: {
      type: 'object',
      properties: { hash: { type: 'string' }, quality: { type: 'integer' } },
    },
    createdAt: { type: 'string' },
    updatedAt: { type: 'string' },
    tier: {
      type: 'string',
      enum: ['human-made', 'human-directed', 'synthetic', 'unknown'],
      description: 'Provenance tier derived from the authorship journal',
    },
    logIndex: {
      type: 'integer',
      description: 'Index of the asset.registered entry in the transparency log (ingest only)',
    },
    versions: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          version: { type: 'integer' },
          sha256: { type: 'string' },
          sizeBytes: { type: 'integer' },
          mediaType: { type: 'string' },
          width: { type: 'integer' },
          height: { type: 'integer' },
          analysis: { $ref: 'Analysis#' },
          createdAt: { type: 'string' },
        },
      },
    },
  },
} as const

/** The editable metadata (PATCH body, and the `metadata` part of an upload). */
export const metadataInputSchema = {
  $id: 'MetadataInput',
  type: 'object',
  additionalProperties: false,
  properties: {
    title: { type: 'string', minLength: 1, maxLength: 200 },
    description: { type: 'string', maxLength: 2000 },
    designers: {
      type: 'array',
      maxItems: 64,
      items: {
        type: 'object',
        required: ['name'],
        additionalProperties: false,
        properties: {
          name: { type: 'string', minLength: 1 },
          shareBps: {
            type: 'integer',
            minimum: 0,
            maximum: 10000,
            description: 'basis points; all shares sum to 10000',
          },
        },
      },
    },
    collection: { type: ['string', 'null'] },
    tags: { type: 'array', maxItems: 64, items: { type: 'string' } },
    motifs: { type: 'array', maxItems: 64, items: { type: 'string' } },
    lineage: { type: 'array', maxItems: 64, items: lineageLink },
    repeat: repeatSpec,
    print: {
      type: 'object',
      required: ['dpi'],
      properties: { dpi: { type: 'integer', minimum: 1 } },
    },
    construction,
    visibility: { type: 'string', enum: ['private', 'published'] },
  },
} as const

export const SHARED_SCHEMAS = [
  errorSchema,
  analysisSchema,
  assetSchema,
  metadataInputSchema,
] as const

/** Standard error responses for a route, referenced by status. */
export function errorResponses(...statuses: number[]): Record<number, { $ref: string }> {
  return Object.fromEntries(statuses.map((s) => [s, { $ref: 'Error#' }]))
}

import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { humanStep } from '../provenance/test-steps.js'
import {
  buildXmpPacket,
  buildXmpPackets,
  DATA_MINING,
  insertJpegXmp,
  insertPngXmp,
  pngChunk,
  readXmpLicence,
  type XmpLicence,
} from '../xmp/index.js'
import {
  buildManifestDefinition,
  type ManifestFacts,
  trainingUseOf,
} from './manifest-definition.js'
import { extractManifestStore } from './manifest-store-bytes.js'
import { createdSourceType, tierOfSourceType } from './tier-of-file.js'

const DCR = 'http://cv.iptc.org/newscodes/digitalsourcetype/digitalCreation'
const HASH = 'a'.repeat(64)

function facts(over: Partial<ManifestFacts> = {}): ManifestFacts {
  return {
    title: 'Harbour',
    format: 'image/png',
    claimGenerator: { name: 'Selvedge', version: '0.1.0' },
    tierSourceType: DCR,
    steps: [],
    lineage: [],
    licence: {
      url: 'https://s.example/licences/ast_1',
      offerUrl: 'https://s.example/licences/ast_1',
      rights: '© 2025 Atelier',
      creators: ['Ada'],
    },
    training: {
      'cawg.ai_generative_training': 'notAllowed',
      'cawg.ai_training': 'notAllowed',
      'cawg.ai_inference': 'constrained',
      'cawg.data_mining': 'allowed',
    },
    ...over,
  }
}

function actionsOf(plan: ReturnType<typeof buildManifestDefinition>): Record<string, unknown>[] {
  const a = plan.definition.assertions.find((x) => x.label === 'c2pa.actions.v2')
  if (a === undefined) throw new Error('no actions assertion')
  return (a.data as { actions: Record<string, unknown>[] }).actions
}

describe('buildManifestDefinition', () => {
  it('starts an original work with c2pa.created and its tier, then the journal', () => {
    const plan = buildManifestDefinition(
      facts({
        steps: [
          { ...humanStep({ rationale: 'why' }), when: '2025-03-01T00:00:00.000Z' },
          {
            ...humanStep({ action: 'slv.selected', selection: { chosen: [HASH], rejected: [] } }),
            when: '2025-03-02T00:00:00.000Z',
          },
          { ...humanStep({ action: 'c2pa.created' }), when: '2025-03-03T00:00:00.000Z' },
        ],
      }),
    )
    expect(plan.ingredients).toEqual([])
    const actions = actionsOf(plan)
    expect(actions[0]).toEqual({ action: 'c2pa.created', digitalSourceType: DCR })
    expect(actions[1]).toMatchObject({
      when: '2025-03-01T00:00:00.000Z',
      parameters: { description: 'why' },
    })
    expect(actions[2]?.['action']).toBe('dev.selvedge.selected')
    expect(actions[3]?.['action']).toBe('c2pa.edited')
    expect(createdSourceType(plan.definition.assertions)).toBe(DCR)
  })

  it('opens a derived work from its parent and places the other lineage assets', () => {
    const ingredient = (assetId: string) => ({
      assetId,
      title: assetId,
      format: 'image/png',
      sha256: HASH,
    })
    const plan = buildManifestDefinition(
      facts({ lineage: [ingredient('ast_p'), ingredient('ast_c')] }),
    )
    expect(plan.ingredients.map((i) => [i.assetId, i.relationship])).toEqual([
      ['ast_p', 'parentOf'],
      ['ast_c', 'componentOf'],
    ])
    const actions = actionsOf(plan)
    expect(actions[0]).toEqual({
      action: 'c2pa.opened',
      parameters: { ingredientIds: [plan.ingredients[0]?.label] },
    })
    expect(actions[1]).toEqual({
      action: 'c2pa.placed',
      parameters: { ingredientIds: [plan.ingredients[1]?.label] },
    })
    expect(createdSourceType(plan.definition.assertions)).toBeNull()
  })

  it('writes the training answers, constrained ones pointing at the offer', () => {
    const plan = buildManifestDefinition(facts())
    const tm = plan.definition.assertions.find((a) => a.label === 'cawg.training-mining')
    expect(tm?.data).toEqual({
      entries: {
        'cawg.ai_generative_training': { use: 'notAllowed' },
        'cawg.ai_training': { use: 'notAllowed' },
        'cawg.ai_inference': { use: 'constrained', constraint_info: facts().licence.offerUrl },
        'cawg.data_mining': { use: 'allowed' },
      },
    })
    expect(trainingUseOf('never')).toBe('notAllowed')
    expect(trainingUseOf('conditional')).toBe('constrained')
    expect(trainingUseOf('conditional', true)).toBe('allowed')
    expect(trainingUseOf('always')).toBe('allowed')
  })

  it('reads tiers back from the source types it writes', () => {
    expect(tierOfSourceType(DCR)).toBe('human-made')
    expect(
      tierOfSourceType(
        'http://cv.iptc.org/newscodes/digitalsourcetype/compositeWithTrainedAlgorithmicMedia',
      ),
    ).toBe('human-directed')
    expect(tierOfSourceType(null)).toBe('unknown')
  })
})

const PNG = (() => {
  const sig = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)
  const parts = [
    sig,
    pngChunk('IHDR', new Uint8Array(13)),
    pngChunk('IDAT', Uint8Array.of(1, 2, 3)),
    pngChunk('IEND', new Uint8Array(0)),
  ]
  return Uint8Array.from(parts.flatMap((p) => [...p]))
})()
// SOI, a DQT segment, SOS with a 2-byte header, some scan bytes, EOI.
const JPEG = Uint8Array.of(
  0xff,
  0xd8,
  0xff,
  0xdb,
  0x00,
  0x03,
  0x00,
  0xff,
  0xda,
  0x00,
  0x02,
  9,
  9,
  0xff,
  0xd9,
)

const text = fc.string({ minLength: 1, maxLength: 40 }).filter((s) => s.trim() === s && s !== '')

describe('readXmpLicence', () => {
  it('reads back what buildXmpPacket wrote, in PNG and JPEG (extended XMP too)', () => {
    fc.assert(
      fc.property(
        text,
        fc.array(text, { minLength: 1, maxLength: 3 }),
        fc.boolean(),
        fc.integer({ min: 0, max: 120_000 }),
        (rights, creators, granted, padding) => {
          const licence: XmpLicence = {
            rights,
            creators,
            webStatement: 'https://s.example/licences/a?x=1&y=2',
            usageTerms: `Print <${rights}>`,
            licensor: { name: rights, url: 'https://s.example/' },
            copyrightOwners: [{ name: 'Atelier' }],
            ...(granted ? { licenseId: 'urn:selvedge:agreement:agr_1' } : {}),
            dataMining: DATA_MINING.prohibitedAiTraining,
            rightsExpression: JSON.stringify({ uid: 'u', pad: 'x'.repeat(padding) }),
            digitalSourceType: DCR,
          }
          const png = readXmpLicence(insertPngXmp(PNG, buildXmpPacket(licence)))
          const jpeg = readXmpLicence(insertJpegXmp(JPEG, buildXmpPackets(licence, 65_502)))
          for (const read of [png, jpeg]) {
            expect(read).toEqual({
              rights,
              creators,
              webStatement: licence.webStatement,
              usageTerms: licence.usageTerms,
              licensor: licence.licensor,
              licenseId: licence.licenseId ?? null,
              dataMining: licence.dataMining,
              digitalSourceType: DCR,
              rightsExpression: licence.rightsExpression,
            })
          }
        },
      ),
      { numRuns: 40 },
    )
  })

  it('reads a file without XMP, or not an image, as null', () => {
    expect(readXmpLicence(PNG)).toBeNull()
    expect(readXmpLicence(JPEG)).toBeNull()
    expect(readXmpLicence(new TextEncoder().encode('hello'))).toBeNull()
  })
})

/** A JUMBF `c2pa` superbox of `bodyBytes` bytes of content. */
function c2paBox(bodyBytes: number): Uint8Array {
  const label = new TextEncoder().encode('c2pa\0')
  const jumd = new Uint8Array(8 + 16 + 1 + label.length)
  new DataView(jumd.buffer).setUint32(0, jumd.length)
  jumd.set(new TextEncoder().encode('jumd'), 4)
  jumd.set(label, 8 + 16 + 1)
  const box = new Uint8Array(8 + jumd.length + bodyBytes)
  new DataView(box.buffer).setUint32(0, box.length)
  box.set(new TextEncoder().encode('jumb'), 4)
  box.set(jumd, 8)
  for (let i = 8 + jumd.length; i < box.length; i++) box[i] = i % 251
  return box
}

/** Splits a box into APP11 segments as C2PA 2.1 §A.3.1 does: "JP", En, Z, repeated header. */
function app11Segments(box: Uint8Array, chunk: number): Uint8Array[] {
  const out: Uint8Array[] = []
  const header = box.subarray(0, 8)
  for (let at = 0, z = 1; at < box.length; z++) {
    const piece = at === 0 ? box.subarray(0, chunk) : box.subarray(at, at + chunk - 8)
    const payload = new Uint8Array(8 + (at === 0 ? 0 : 8) + piece.length)
    payload.set([0x4a, 0x50, 0x00, 0x01], 0)
    new DataView(payload.buffer).setUint32(4, z)
    if (at !== 0) payload.set(header, 8)
    payload.set(piece, at === 0 ? 8 : 16)
    at += piece.length
    const seg = new Uint8Array(4 + payload.length)
    seg.set([0xff, 0xeb, (payload.length + 2) >> 8, (payload.length + 2) & 0xff])
    seg.set(payload, 4)
    out.push(seg)
  }
  return out
}

describe('extractManifestStore', () => {
  it('reassembles a manifest store split over APP11 segments', () => {
    const box = c2paBox(150_000)
    const segments = app11Segments(box, 60_000)
    expect(segments.length).toBeGreaterThan(2)
    const jpeg = Uint8Array.from([
      0xff,
      0xd8,
      ...segments.flatMap((s) => [...s]),
      ...JPEG.subarray(2),
    ])
    expect(extractManifestStore(jpeg)).toEqual(box)
  })

  it('takes the caBX chunk of a PNG, and finds nothing in a file without one', () => {
    const box = c2paBox(100)
    const png = Uint8Array.from([
      ...PNG.subarray(0, 8 + 25),
      ...pngChunk('caBX', box),
      ...PNG.subarray(8 + 25),
    ])
    expect(extractManifestStore(png)).toEqual(box)
    expect(extractManifestStore(PNG)).toBeNull()
    expect(extractManifestStore(JPEG)).toBeNull()
    expect(extractManifestStore(new Uint8Array(3))).toBeNull()
  })
})

import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { renderPdf } from '../../src/app/documents/index.js'
import { statementPdfSpec } from '../../src/app/provenance/index.js'
import {
  type AuthorshipStep,
  DRAFT_FOR_COUNSEL,
  deriveTier,
  type StatementInput,
} from '../../src/core/provenance/index.js'
import { aiStep, humanStep, softwareStep } from '../../src/core/provenance/test-steps.js'
import { createApi } from '../../src/http/server.js'
import { encode, noiseImage } from '../support/images.js'
import { multipartBody } from '../support/multipart.js'
import { compact, readPdf } from '../support/pdf-text.js'
import { runCli } from '../support/run-cli.js'
import { tempSelvedge } from '../support/temp-selvedge.js'

const OUT = 'f'.repeat(64)
const IN = 'e'.repeat(64)
const GENERATED = '2025-04-01T08:15:30.000Z'

function input(steps: AuthorshipStep[]): StatementInput {
  return {
    assetId: 'ast_1',
    title: 'Indigo | Paisley → Ł',
    claimant: 'Atelier Nord',
    sha256: OUT,
    repeatType: 'half-drop',
    designers: ['Credited Designer'],
    tier: deriveTier(steps),
    steps: steps.map((step, i) => ({
      seq: i + 1,
      step: { ...step, when: `2025-03-0${i + 1}T10:00:00.000Z` },
      sha256: String(i).repeat(64),
      logIndex: i === 0 ? 7 : null,
    })),
    generatedAt: GENERATED,
  }
}

const thumb = (r: number) =>
  sharp({ create: { width: 32, height: 24, channels: 3, background: { r, g: 40, b: 90 } } })
    .jpeg()
    .toBuffer()

describe('statementPdfSpec', () => {
  it('says what the Markdown says, with before/after thumbnails of the human steps', async () => {
    const steps = [
      aiStep(),
      humanStep({
        action: 'slv.selected',
        selection: { chosen: ['a'.repeat(64)], rejected: ['b'.repeat(64), 'c'.repeat(64)] },
        rationale: 'the warmest one',
      }),
      humanStep({
        action: 'c2pa.placed',
        inputs: [{ sha256: IN, relationship: 'parentOf' }],
        outputSha256: OUT,
      }),
      humanStep({ action: 'c2pa.color_adjustments' }),
      softwareStep(),
    ]
    const thumbnails = new Map([
      [IN, await thumb(10)],
      [OUT, await thumb(200)],
    ])
    const pdf = await readPdf(await renderPdf(statementPdfSpec(input(steps), thumbnails)))
    expect(pdf.doc.getPageCount()).toBeGreaterThanOrEqual(2)
    expect(pdf.doc.getTitle()).toBe('Copyright disclosure statement: Indigo | Paisley -> L')
    expect(pdf.doc.getAuthor()).toBe('Atelier Nord')
    expect(pdf.doc.getCreator()).toBe('Selvedge')
    expect(pdf.doc.getCreationDate()?.toISOString()).toBe(GENERATED)
    const text = pdf.text.replace(/\s+/g, ' ')
    for (const phrase of [
      'Copyright disclosure statement',
      'Title of work Indigo | Paisley -> L',
      'Claimant Atelier Nord',
      'Human authors Ada Weaver',
      'Provenance tier human-directed',
      'Proposed "Author Created"',
      'Selection of 1 of 3 candidate images and their arrangement into a half-drop repeat and colourways and colour adjustments.',
      'Proposed "Material Excluded"',
      'AI-generated material produced by stable-diffusion-xl 1.0 with LoRA paisley (weight 0.7), which is excluded from the claim.',
      'Tools used',
      'Photoshop 26.1',
      '(generative model)',
      'Steps in the journal: 5',
      'Human steps: 3 (of which modification or arrangement: 2)',
      'AI steps: 1',
      'Other software steps: 1',
      'Appendix: chronological evidence',
      'Step 3: c2pa.placed (human)',
      '\u201cthe warmest one\u201d',
      'Before: input eeeeeeeeeeee',
      'After: output ffffffffffff',
      'No before or after file of this step is in the archive.',
      'Page 1 of',
    ]) {
      expect(text).toContain(phrase)
    }
    expect(compact(pdf.text)).toContain(compact(DRAFT_FOR_COUNSEL))
    expect(compact(pdf.text)).toContain(OUT)
    expect(compact(pdf.text)).toContain('2'.repeat(64))
    expect(pdf.imageCount).toBe(2)
  })

  it('states an empty journal and embeds nothing', async () => {
    const pdf = await readPdf(await renderPdf(statementPdfSpec(input([]), new Map())))
    expect(pdf.text).toContain('The authorship journal is empty.')
    expect(pdf.text).toContain('No human authorship is documented in the journal')
    expect(pdf.text).toContain('None: the journal records no AI-generated material.')
    expect(pdf.imageCount).toBe(0)
  })
})

describe('the PDF statement over HTTP and the CLI', () => {
  let env: Awaited<ReturnType<typeof tempSelvedge>>
  let app: FastifyInstance
  let owner: string
  let licensee: string
  const auth = (key: string) => ({ authorization: `Bearer ${key}` })

  async function upload(seed: number, visibility: 'published' | 'private') {
    const body = multipartBody([
      { name: 'file', filename: `p${seed}.png`, data: await encode(noiseImage(48, 40, seed)) },
      { name: 'metadata', value: JSON.stringify({ title: `Pattern ${seed}`, visibility }) },
    ])
    const r = await app.inject({
      method: 'POST',
      url: '/v1/assets',
      payload: body.payload,
      headers: { ...body.headers, ...auth(owner) },
    })
    expect(r.statusCode).toBe(201)
    return r.json() as { id: string; sha256: string }
  }

  const statement = (id: string, key = owner, format = 'pdf') =>
    app.inject({
      method: 'GET',
      url: `/v1/assets/${id}/authorship/statement?format=${format}`,
      headers: auth(key),
    })

  beforeAll(async () => {
    env = await tempSelvedge()
    app = await createApi(env.selvedge)
    owner = (await env.selvedge.studios.init({ name: 'Atelier Nord' })).ownerKey
    const r = await app.inject({
      method: 'POST',
      url: '/v1/keys',
      payload: { role: 'licensee', party: 'https://buyer.example/acme' },
      headers: auth(owner),
    })
    licensee = r.json().key as string
  })
  afterAll(async () => {
    await app.close()
    await env.dispose()
  })

  it('answers application/pdf with thumbnails of the versions before and after a human step', async () => {
    const a = await upload(21, 'published')
    const ai = await app.inject({
      method: 'POST',
      url: `/v1/assets/${a.id}/authorship`,
      payload: { ...aiStep(), outputSha256: a.sha256 } as unknown as Record<string, unknown>,
      headers: auth(owner),
    })
    expect(ai.statusCode).toBe(201)
    const v2 = await encode(noiseImage(48, 40, 22))
    const body = multipartBody([
      { name: 'file', filename: 'v2.png', data: v2 },
      {
        name: 'steps',
        value: JSON.stringify([
          {
            actor: { kind: 'human', name: 'Ada Weaver' },
            action: 'c2pa.edited',
            inputs: [{ assetId: a.id, sha256: a.sha256, relationship: 'parentOf' }],
            rationale: 'redrew the teardrops',
          },
        ]),
      },
    ])
    const version = await app.inject({
      method: 'POST',
      url: `/v1/assets/${a.id}/versions`,
      payload: body.payload,
      headers: { ...body.headers, ...auth(owner) },
    })
    expect(version.statusCode).toBe(201)
    const v2Sha = version.json().sha256 as string

    const before = Date.now()
    const r = await statement(a.id)
    expect(r.statusCode).toBe(200)
    expect(r.headers['content-type']).toBe('application/pdf')
    expect(r.headers['content-disposition']).toContain(`${a.id}-statement.pdf`)
    const pdf = await readPdf(r.rawPayload)
    expect(pdf.doc.getTitle()).toBe('Copyright disclosure statement: Pattern 21')
    expect(pdf.doc.getAuthor()).toBe('Atelier Nord')
    expect(pdf.doc.getCreator()).toBe('Selvedge')
    const created = pdf.doc.getCreationDate()?.getTime() ?? 0
    expect(created).toBeGreaterThanOrEqual(before - 1000)
    expect(created).toBeLessThanOrEqual(Date.now())
    expect(pdf.doc.getPageCount()).toBeGreaterThanOrEqual(2)
    expect(pdf.text).toContain('Provenance tier human-directed')
    expect(pdf.text).toContain(`Before: input ${a.sha256.slice(0, 12)}`)
    expect(pdf.text).toContain(`After: output ${v2Sha.slice(0, 12)}`)
    expect(pdf.imageCount).toBe(2)
    expect(compact(pdf.text)).toContain(v2Sha)

    // The licensee sees the published asset's statement, thumbnails included.
    expect((await readPdf((await statement(a.id, licensee)).rawPayload)).imageCount).toBe(2)
    const docx = await statement(a.id, owner, 'docx')
    expect(docx.statusCode).toBe(406)
    expect(docx.json().error.code).toBe('AUTHORSHIP_FORMAT_UNSUPPORTED')
  })

  it('shows no thumbnail of a private file to an outside party, nor of a file the studio lacks', async () => {
    const a = await upload(23, 'published')
    const secret = await upload(24, 'private')
    const step = await app.inject({
      method: 'POST',
      url: `/v1/assets/${a.id}/authorship`,
      payload: {
        actor: { kind: 'human', name: 'Ada Weaver' },
        action: 'c2pa.placed',
        inputs: [
          { sha256: secret.sha256, relationship: 'componentOf' },
          { sha256: 'd'.repeat(64), relationship: 'componentOf' },
        ],
      },
      headers: auth(owner),
    })
    expect(step.statusCode).toBe(201)
    const mine = await readPdf((await statement(a.id)).rawPayload)
    expect(mine.imageCount).toBe(1)
    const theirs = await readPdf((await statement(a.id, licensee)).rawPayload)
    expect(theirs.imageCount).toBe(0)
    expect(theirs.text).toContain('No before or after file of this step is in the archive.')
    expect((await statement(secret.id, licensee)).statusCode).toBe(404)
  })

  it('selvedge authorship statement --format pdf writes the PDF to stdout or --out', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'selvedge-statement-cli-'))
    const data = join(dir, 'data')
    try {
      const cli = (...args: string[]) => runCli(args, { dataDir: data, cwd: dir })
      const png = join(dir, 'p.png')
      await writeFile(png, await encode(noiseImage(40, 32, 31)))
      const asset = JSON.parse((await cli('ingest', png, '--json')).stdout)[0] as {
        id: string
        sha256: string
      }
      const stepFile = join(dir, 'step.json')
      await writeFile(
        stepFile,
        JSON.stringify({
          actor: { kind: 'human', name: 'Ada Weaver' },
          action: 'c2pa.drawing',
          outputSha256: asset.sha256,
        }),
      )
      expect((await cli('authorship', 'add', asset.id, '--step', stepFile)).code).toBe(0)

      const raw = await cli('authorship', 'statement', asset.id, '--format', 'pdf')
      expect(raw.code).toBe(0)
      expect(raw.raw.subarray(0, 5).toString('latin1')).toBe('%PDF-')
      const fromStdout = await readPdf(raw.raw)
      expect(fromStdout.text).toContain('Hand-drawn motifs.')
      expect(fromStdout.imageCount).toBe(1)

      const file = join(dir, 'statement.pdf')
      const written = await cli(
        'authorship',
        'statement',
        asset.id,
        '--format',
        'pdf',
        '--out',
        file,
        '--json',
      )
      expect(written.code).toBe(0)
      const summary = JSON.parse(written.stdout)
      const bytes = await readFile(file)
      expect(summary).toMatchObject({ assetId: asset.id, format: 'pdf', out: file })
      expect(summary.sizeBytes).toBe(bytes.byteLength)
      expect((await readPdf(bytes)).doc.getTitle()).toBe('Copyright disclosure statement: p')

      const json = await cli('authorship', 'statement', asset.id, '--format', 'pdf', '--json')
      const encoded = JSON.parse(json.stdout) as { mediaType: string; statement: string }
      expect(encoded.mediaType).toBe('application/pdf')
      const decoded = await readPdf(Buffer.from(encoded.statement, 'base64'))
      expect(decoded.text).toContain('Copyright disclosure statement')

      expect((await cli('authorship', 'show', asset.id, '--out', file)).code).toBe(2)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  }, 120_000)
})

import {
  composeStatement,
  DRAFT_FOR_COUNSEL,
  describeStepActor,
  isGenerativeStep,
  type StatementInput,
  type StatementStep,
  stepSourceTypeCode,
} from '../../core/provenance/index.js'
import type { PdfBlock, PdfDocumentSpec, PdfImage } from '../documents/index.js'

/** Longest side of an evidence thumbnail, in pixels (drawn at most 140 pt high). */
export const STATEMENT_THUMBNAIL_PX = 320

/** Before/after previews of the files a step names, by SHA-256 (JPEG bytes). */
export type StatementThumbnails = ReadonlyMap<string, Uint8Array>

const short = (sha: string) => `${sha.slice(0, 12)}…`

/**
 * Lays out the copyright disclosure statement as a PDF document: the same content as the
 * Markdown form (title, claimant, human authors, proposed "Author Created" and "Material
 * Excluded" texts, tools, counts, the chronological evidence appendix with hashes), plus
 * thumbnails before (the step's inputs) and after (its output) each human step, for the files
 * found in `thumbnails`. Pure: the caller gathers the thumbnails and renders the spec.
 */
export function statementPdfSpec(
  input: StatementInput,
  thumbnails: StatementThumbnails,
): PdfDocumentSpec {
  const content = composeStatement(input)
  const { counts } = content
  const blocks: PdfBlock[] = [
    { kind: 'heading', text: 'Copyright disclosure statement', level: 1 },
    { kind: 'heading', text: input.title, level: 2 },
    { kind: 'paragraph', text: DRAFT_FOR_COUNSEL, style: 'bold', boxed: true },
    {
      kind: 'table',
      header: false,
      columns: [
        { header: 'Field', weight: 1, style: 'bold' },
        { header: 'Value', weight: 3, style: 'body' },
      ],
      rows: [
        ['Title of work', input.title],
        ['Asset', input.assetId],
        ['File SHA-256', input.sha256],
        ['Claimant', input.claimant],
        [
          'Human authors',
          content.humanAuthors.length === 0 ? 'none recorded' : content.humanAuthors.join(', '),
        ],
        ['Provenance tier', input.tier],
        ['Generated', input.generatedAt],
      ],
    },
    { kind: 'heading', text: 'Proposed "Author Created"', level: 2 },
    {
      kind: 'paragraph',
      text:
        content.authorCreated ??
        'No human authorship is documented in the journal; no claim is proposed.',
    },
    { kind: 'heading', text: 'Proposed "Material Excluded"', level: 2 },
    { kind: 'paragraph', text: content.materialExcluded },
    { kind: 'heading', text: 'Tools used', level: 2 },
    content.tools.length === 0 && content.models.length === 0
      ? { kind: 'paragraph', text: 'None recorded.' }
      : {
          kind: 'list',
          items: [...content.tools, ...content.models.map((m) => `${m} (generative model)`)],
        },
    { kind: 'heading', text: 'Counts', level: 2 },
    {
      kind: 'list',
      items: [
        `Steps in the journal: ${counts.steps}`,
        `Human steps: ${counts.human} (of which modification or arrangement: ${counts.humanAuthorship})`,
        `AI steps: ${counts.ai}`,
        `Other software steps: ${counts.software}`,
      ],
    },
    { kind: 'pageBreak' },
    { kind: 'heading', text: 'Appendix: chronological evidence', level: 1 },
  ]
  if (input.steps.length === 0) {
    blocks.push({ kind: 'paragraph', text: 'The authorship journal is empty.' })
  } else {
    blocks.push(
      {
        kind: 'paragraph',
        text: 'Each step is logged in the transparency log as an authorship.step entry carrying the step hash (the SHA-256 of the step\u2019s canonical JSON). Thumbnails show the files a human step names as its inputs (before) and its output (after), where the archive holds them.',
      },
      {
        kind: 'table',
        columns: [
          { header: '#', weight: 0.4, align: 'right' },
          { header: 'When (UTC)', weight: 2.1 },
          { header: 'Actor', weight: 2.2 },
          { header: 'Action', weight: 1.8 },
          { header: 'Source type', weight: 2.2 },
          { header: 'Log index', weight: 0.9, align: 'right' },
        ],
        rows: input.steps.map((s) => [
          String(s.seq),
          s.step.when,
          `${s.step.actor.kind}: ${s.step.actor.name}`,
          s.step.action,
          stepSourceTypeCode(s.step),
          s.logIndex === null ? 'pending' : String(s.logIndex),
        ]),
      },
    )
    for (const s of input.steps) blocks.push(...stepBlocks(s, thumbnails))
  }
  blocks.push({ kind: 'rule' }, { kind: 'paragraph', text: DRAFT_FOR_COUNSEL, style: 'italic' })
  return {
    metadata: {
      title: `Copyright disclosure statement: ${input.title}`,
      author: input.claimant,
      subject: `Draft copyright-registration disclosure for asset ${input.assetId}, for counsel`,
      keywords: ['copyright disclosure', 'draft for counsel', input.assetId, input.tier],
      createdAt: input.generatedAt,
    },
    footer: `Selvedge \u00b7 ${input.assetId} \u00b7 draft for counsel, not legal advice`,
    blocks,
  }
}

function stepBlocks(s: StatementStep, thumbnails: StatementThumbnails): PdfBlock[] {
  const st = s.step
  const rows: [string, string][] = [
    ['When (UTC)', st.when],
    ['Actor', describeStepActor(st)],
    ['Action', st.action],
  ]
  const source = stepSourceTypeCode(st)
  if (source !== '') rows.push(['Source type', source])
  for (const [i, input] of (st.inputs ?? []).entries()) {
    rows.push([
      `Input ${i + 1}`,
      `${input.relationship} ${input.sha256}${input.assetId === undefined ? '' : ` (${input.assetId})`}`,
    ])
  }
  if (st.outputSha256 !== undefined) rows.push(['Output SHA-256', st.outputSha256])
  if (st.selection !== undefined) {
    rows.push([
      'Selection',
      `chose ${st.selection.chosen.length} of ${st.selection.chosen.length + st.selection.rejected.length} candidates: ${st.selection.chosen.join(', ')}`,
    ])
  }
  if (st.parameters !== undefined)
    rows.push(['Prompts and settings', JSON.stringify(st.parameters)])
  if (st.region !== undefined) rows.push(['Region', JSON.stringify(st.region)])
  if (st.rationale !== undefined) rows.push(['Rationale', `\u201c${st.rationale}\u201d`])
  rows.push(['Step SHA-256', s.sha256])
  rows.push(['Log index', s.logIndex === null ? 'pending' : String(s.logIndex)])

  const kind = isGenerativeStep(st) ? 'AI' : st.actor.kind === 'human' ? 'human' : 'software'
  const blocks: PdfBlock[] = [
    { kind: 'heading', text: `Step ${s.seq}: ${st.action} (${kind})`, level: 3 },
    {
      kind: 'table',
      header: false,
      columns: [
        { header: 'Field', weight: 1, style: 'bold' },
        { header: 'Value', weight: 3.4, style: 'small' },
      ],
      rows,
    },
  ]
  if (st.actor.kind !== 'human') return blocks
  const before: PdfImage[] = []
  for (const input of st.inputs ?? []) {
    const bytes = thumbnails.get(input.sha256)
    if (bytes !== undefined) {
      before.push({ bytes, format: 'jpeg', caption: `Before: input ${short(input.sha256)}` })
    }
  }
  const out = st.outputSha256
  const afterBytes = out === undefined ? undefined : thumbnails.get(out)
  const after: PdfImage[] =
    out === undefined || afterBytes === undefined
      ? []
      : [{ bytes: afterBytes, format: 'jpeg', caption: `After: output ${short(out)}` }]
  // At most four previews fit side by side at a legible size; the output always keeps its place.
  const images = [...before.slice(0, 4 - after.length), ...after]
  blocks.push(
    images.length === 0
      ? {
          kind: 'paragraph',
          style: 'small',
          text: 'No before or after file of this step is in the archive.',
        }
      : { kind: 'images', images, maxHeightPt: 140 },
  )
  return blocks
}

/** Every file hash the human steps name (inputs, then output), each once, in journal order. */
export function statementThumbnailHashes(input: StatementInput): string[] {
  const out = new Set<string>()
  for (const s of input.steps) {
    if (s.step.actor.kind !== 'human') continue
    for (const i of s.step.inputs ?? []) out.add(i.sha256)
    if (s.step.outputSha256 !== undefined) out.add(s.step.outputSha256)
  }
  return [...out]
}

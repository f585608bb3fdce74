import type { AuthorshipStep } from './authorship-step.js'
import {
  isGenerativeStep,
  isHumanAuthorshipStep,
  isHumanSelectionStep,
  type ProvenanceTier,
} from './tier.js'
import { digitalSourceTypeCode } from './vocabulary.js'

/** One journal step as the statement cites it. */
export interface StatementStep {
  readonly seq: number
  /** The step, with its `when` resolved. */
  readonly step: AuthorshipStep & { readonly when: string }
  /** SHA-256 of the step's canonical JSON (the hash the transparency log holds). */
  readonly sha256: string
  /** Index of its `authorship.step` log entry; null while not yet sequenced or unlogged. */
  readonly logIndex: number | null
}

/** Everything the disclosure statement says, gathered by the caller. */
export interface StatementInput {
  readonly assetId: string
  readonly title: string
  /** The copyright claimant: the studio. */
  readonly claimant: string
  /** The current file's SHA-256. */
  readonly sha256: string
  /** The pattern's repeat (`block`, `half-drop`, `half-brick`, `mirror`, `none`). */
  readonly repeatType: string
  /** The asset's credited designers, used when the journal names no person. */
  readonly designers: readonly string[]
  readonly tier: ProvenanceTier
  /** Oldest first. */
  readonly steps: readonly StatementStep[]
  /** The date the statement is generated (ISO 8601). */
  readonly generatedAt: string
}

/** The line every statement carries: it is a draft for counsel, not legal advice. */
export const DRAFT_FOR_COUNSEL =
  'DRAFT FOR COUNSEL: this text was generated from the authorship journal. It is not legal advice; a qualified attorney must review it before anything is filed with the Copyright Office.'

// Markdown control characters in user-supplied text are escaped so that a designer's name or
// rationale cannot restructure the document (tables, links, headings, raw HTML).
function md(text: string): string {
  return text.replace(/[\\`*_[\]<>|#!~]/g, (c) => `\\${c}`).replace(/\s*[\r\n]+\s*/g, ' ')
}

function list<T>(items: readonly T[]): T[] {
  return [...new Set(items)]
}

function joinWords(items: readonly string[]): string {
  if (items.length <= 1) return items.join('')
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`
}

function modelName(step: AuthorshipStep): string {
  const m = step.actor.model
  if (m === undefined) return step.actor.name
  const version = m.version === undefined ? '' : ` ${m.version}`
  const loras =
    m.loras === undefined || m.loras.length === 0
      ? ''
      : ` with LoRA ${m.loras.map((l) => `${l.id} (weight ${l.weight})`).join(', ')}`
  const hash = m.sha256 === undefined ? '' : ` (sha256 ${m.sha256.slice(0, 12)}…)`
  return `${m.name}${version}${hash}${loras}`
}

function toolName(step: AuthorshipStep): string | null {
  const t = step.actor.tool
  if (t !== undefined) return t.version === undefined ? t.name : `${t.name} ${t.version}`
  return step.actor.kind === 'software' ? step.actor.name : null
}

function repeatPhrase(repeatType: string): string {
  switch (repeatType) {
    case 'block':
    case 'half-drop':
    case 'half-brick':
    case 'mirror':
      return `into a ${repeatType} repeat`
    default:
      return 'into the composition'
  }
}

function authorCreated(input: StatementInput): string[] {
  const human = input.steps.map((s) => s.step).filter((s) => s.actor.kind === 'human')
  const hasAi = input.steps.some((s) => isGenerativeStep(s.step))
  const parts: string[] = []
  const actions = new Set(human.filter((s) => !isGenerativeStep(s)).map((s) => s.action))
  if (actions.has('c2pa.created')) {
    parts.push(hasAi ? 'original human-created artwork' : 'the original two-dimensional artwork')
  }
  if (actions.has('c2pa.drawing')) parts.push('hand-drawn motifs')
  const selections = human.filter(isHumanSelectionStep)
  if (selections.length > 0 || actions.has('c2pa.placed')) {
    const chosen = selections.reduce((n, s) => n + (s.selection?.chosen.length ?? 0), 0)
    const seen = selections.reduce(
      (n, s) => n + (s.selection?.chosen.length ?? 0) + (s.selection?.rejected.length ?? 0),
      0,
    )
    const sel =
      selections.length === 0
        ? 'arrangement of elements'
        : seen > 0
          ? `selection of ${chosen} of ${seen} candidate images and their arrangement`
          : 'selection and arrangement of elements'
    parts.push(actions.has('c2pa.placed') ? `${sel} ${repeatPhrase(input.repeatType)}` : sel)
  }
  if (
    ['c2pa.edited', 'c2pa.filtered', 'c2pa.cropped', 'c2pa.removed', 'c2pa.deleted'].some((a) =>
      actions.has(a as AuthorshipStep['action']),
    )
  ) {
    parts.push(hasAi ? 'modifications to the AI-generated material' : 'modifications')
  }
  if (actions.has('c2pa.color_adjustments')) parts.push('colourways and colour adjustments')
  return parts
}

function humanAuthors(input: StatementInput): string[] {
  const names = list(
    input.steps.filter((s) => s.step.actor.kind === 'human').map((s) => s.step.actor.name),
  )
  return names.length > 0 ? names : [...input.designers]
}

/** What every form of the statement says, worked out once from the journal. */
export interface StatementContent {
  /** People named in the journal, else the asset's credited designers. */
  readonly humanAuthors: readonly string[]
  /** The proposed "Author Created" text; null when the journal documents no human authorship. */
  readonly authorCreated: string | null
  /** The proposed "Material Excluded" text (it says "None: …" when no AI material is recorded). */
  readonly materialExcluded: string
  /** Conventional tools, each once, in journal order. */
  readonly tools: readonly string[]
  /** Generative models (name, version, hash, LoRAs), each once, in journal order. */
  readonly models: readonly string[]
  readonly counts: {
    readonly steps: number
    readonly human: number
    /** Human steps that modify or arrange the work (they can support a claim). */
    readonly humanAuthorship: number
    readonly ai: number
    readonly software: number
  }
}

/**
 * Works out the statement's claims from its input: human authors, the proposed "Author
 * Created" and "Material Excluded" texts, tools, models and counts. Pure; the texts are plain
 * (not escaped for any output format).
 */
export function composeStatement(input: StatementInput): StatementContent {
  const steps = input.steps
  const created = authorCreated(input)
  const models = list(steps.filter((s) => isGenerativeStep(s.step)).map((s) => modelName(s.step)))
  return {
    humanAuthors: humanAuthors(input),
    authorCreated: created.length === 0 ? null : `${capitalise(joinWords(created))}.`,
    materialExcluded:
      models.length === 0
        ? 'None: the journal records no AI-generated material.'
        : `AI-generated material produced by ${joinWords(models)}, which is excluded from the claim.`,
    tools: list(steps.map((s) => toolName(s.step)).filter((t): t is string => t !== null)),
    models,
    counts: {
      steps: steps.length,
      human: steps.filter((s) => s.step.actor.kind === 'human').length,
      humanAuthorship: steps.filter((s) => isHumanAuthorshipStep(s.step)).length,
      ai: steps.filter((s) => isGenerativeStep(s.step)).length,
      software: steps.filter((s) => s.step.actor.kind === 'software' && !isGenerativeStep(s.step))
        .length,
    },
  }
}

/**
 * The step's actor in words: `kind: name`, then the model (name, version, hash, LoRAs), the
 * tool and the backend when recorded. Plain text.
 */
export function describeStepActor(step: AuthorshipStep): string {
  const a = step.actor
  const parts = [`${a.kind}: ${a.name}`]
  if (a.model !== undefined) parts.push(`model ${modelName(step)}`)
  const tool = a.tool === undefined ? null : toolName(step)
  if (tool !== null) parts.push(`tool ${tool}`)
  if (a.backend !== undefined) parts.push(`backend ${a.backend}`)
  return parts.join('; ')
}

/** The IPTC source-type code of a step (e.g. `trainedAlgorithmicMedia`), or '' when none. */
export function stepSourceTypeCode(step: AuthorshipStep): string {
  return step.digitalSourceType === undefined
    ? ''
    : (digitalSourceTypeCode(step.digitalSourceType) ?? '')
}

/**
 * Renders the copyright-registration disclosure statement as Markdown: title, claimant, human
 * authors, proposed "Author Created" and "Material Excluded" texts, tools, counts and a
 * chronological evidence appendix with hashes. Deterministic: the same input gives the same
 * bytes. Thumbnails are not part of the Markdown form (the PDF form has them).
 */
export function renderStatementMarkdown(input: StatementInput): string {
  const steps = input.steps
  const content = composeStatement(input)
  const { counts, models, tools } = content
  const authors = content.humanAuthors

  const out: string[] = []
  out.push(`# Copyright disclosure statement: ${md(input.title)}`, '')
  out.push(`> **${DRAFT_FOR_COUNSEL}**`, '')
  out.push('| | |', '|---|---|')
  out.push(`| Title of work | ${md(input.title)} |`)
  out.push(`| Asset | \`${input.assetId}\` |`)
  out.push(`| File SHA-256 | \`${input.sha256}\` |`)
  out.push(`| Claimant | ${md(input.claimant)} |`)
  out.push(
    `| Human authors | ${authors.length === 0 ? 'none recorded' : authors.map(md).join(', ')} |`,
  )
  out.push(`| Provenance tier | ${input.tier} |`)
  out.push(`| Generated | ${input.generatedAt} |`, '')

  out.push('## Proposed "Author Created"', '')
  out.push(
    content.authorCreated ??
      'No human authorship is documented in the journal; no claim is proposed.',
    '',
  )

  out.push('## Proposed "Material Excluded"', '')
  if (models.length === 0) {
    out.push(content.materialExcluded, '')
  } else {
    out.push(
      `AI-generated material produced by ${joinWords(models.map(md))}, which is excluded from the claim.`,
      '',
    )
  }

  out.push('## Tools used', '')
  if (tools.length === 0 && models.length === 0) out.push('None recorded.')
  for (const t of tools) out.push(`- ${md(t)}`)
  for (const m of models) out.push(`- ${md(m)} (generative model)`)
  out.push('')

  out.push('## Counts', '')
  out.push(`- Steps in the journal: ${counts.steps}`)
  out.push(
    `- Human steps: ${counts.human} (of which modification or arrangement: ${counts.humanAuthorship})`,
  )
  out.push(`- AI steps: ${counts.ai}`)
  out.push(`- Other software steps: ${counts.software}`, '')

  out.push('## Appendix: chronological evidence', '')
  if (steps.length === 0) {
    out.push('The authorship journal is empty.', '')
  } else {
    out.push(
      'Each step is logged in the transparency log as an `authorship.step` entry carrying the step hash. Thumbnails are omitted from the Markdown form.',
      '',
    )
    out.push(
      '| # | When (UTC) | Actor | Action | Source type | Inputs | Output SHA-256 | Step SHA-256 | Log index |',
    )
    out.push('|---|---|---|---|---|---|---|---|---|')
    for (const s of steps) {
      const st = s.step
      const source = stepSourceTypeCode(st)
      const inputs = (st.inputs ?? [])
        .map(
          (i) =>
            `${i.relationship} \`${i.sha256}\`${i.assetId === undefined ? '' : ` (${md(i.assetId)})`}`,
        )
        .join('<br>')
      out.push(
        `| ${s.seq} | ${st.when} | ${st.actor.kind}: ${md(st.actor.name)} | ${st.action} | ${source} | ${inputs} | ${st.outputSha256 === undefined ? '' : `\`${st.outputSha256}\``} | \`${s.sha256}\` | ${s.logIndex ?? 'pending'} |`,
      )
    }
    out.push('')
    const settings = steps.filter((s) => s.step.parameters !== undefined)
    if (settings.length > 0) {
      out.push('### Prompts and settings', '')
      for (const s of settings)
        out.push(`- Step ${s.seq}: ${md(JSON.stringify(s.step.parameters))}`)
      out.push('')
    }
    const rationales = steps.filter((s) => s.step.rationale !== undefined)
    if (rationales.length > 0) {
      out.push('### Rationale in the designers\u2019 own words', '')
      for (const s of rationales)
        out.push(`- Step ${s.seq}: \u201c${md(s.step.rationale ?? '')}\u201d`)
      out.push('')
    }
  }
  out.push(`_${DRAFT_FOR_COUNSEL}_`, '')
  return out.join('\n')
}

function capitalise(s: string): string {
  return s.length === 0 ? s : `${s[0]?.toUpperCase()}${s.slice(1)}`
}

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

/**
 * Renders the copyright-registration disclosure statement as Markdown: title, claimant, human
 * authors, proposed "Author Created" and "Material Excluded" texts, tools, counts and a
 * chronological evidence appendix with hashes. Deterministic: the same input gives the same
 * bytes. Thumbnails are not part of the Markdown form.
 */
export function renderStatementMarkdown(input: StatementInput): string {
  const steps = input.steps
  const humanCount = steps.filter((s) => s.step.actor.kind === 'human').length
  const aiCount = steps.filter((s) => isGenerativeStep(s.step)).length
  const softwareCount = steps.filter(
    (s) => s.step.actor.kind === 'software' && !isGenerativeStep(s.step),
  ).length
  const qualifying = steps.filter((s) => isHumanAuthorshipStep(s.step)).length
  const created = authorCreated(input)
  const models = list(steps.filter((s) => isGenerativeStep(s.step)).map((s) => modelName(s.step)))
  const tools = list(steps.map((s) => toolName(s.step)).filter((t): t is string => t !== null))
  const authors = humanAuthors(input)

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
  if (created.length === 0) {
    out.push('No human authorship is documented in the journal; no claim is proposed.', '')
  } else {
    out.push(`${capitalise(joinWords(created))}.`, '')
  }

  out.push('## Proposed "Material Excluded"', '')
  if (models.length === 0) {
    out.push('None: the journal records no AI-generated material.', '')
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
  out.push(`- Steps in the journal: ${steps.length}`)
  out.push(`- Human steps: ${humanCount} (of which modification or arrangement: ${qualifying})`)
  out.push(`- AI steps: ${aiCount}`)
  out.push(`- Other software steps: ${softwareCount}`, '')

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
      const source =
        st.digitalSourceType === undefined
          ? ''
          : (digitalSourceTypeCode(st.digitalSourceType) ?? '')
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

import { describe, expect, it } from 'vitest'
import type { AuthorshipStep } from './authorship-step.js'
import {
  DRAFT_FOR_COUNSEL,
  renderStatementMarkdown,
  type StatementInput,
} from './disclosure-statement.js'
import { aiStep, humanStep, softwareStep } from './test-steps.js'
import { deriveTier } from './tier.js'

const OUT = 'f'.repeat(64)

function input(steps: AuthorshipStep[]): StatementInput {
  return {
    assetId: 'ast_1',
    title: 'Indigo | Paisley',
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
    generatedAt: '2025-04-01T00:00:00.000Z',
  }
}

describe('renderStatementMarkdown', () => {
  it('states the human contribution, the excluded AI material, tools, counts and evidence', () => {
    const md = renderStatementMarkdown(
      input([
        aiStep(),
        humanStep({
          action: 'slv.selected',
          selection: { chosen: ['a'.repeat(64)], rejected: ['b'.repeat(64), 'c'.repeat(64)] },
          rationale: 'the *warmest* one',
        }),
        humanStep({ action: 'c2pa.placed', outputSha256: OUT }),
        humanStep({ action: 'c2pa.color_adjustments' }),
        softwareStep(),
      ]),
    )
    expect(md).toContain('# Copyright disclosure statement: Indigo \\| Paisley')
    expect(md).toContain('| Claimant | Atelier Nord |')
    expect(md).toContain('| Human authors | Ada Weaver |')
    expect(md).toContain('| Provenance tier | human-directed |')
    expect(md).toContain(
      'Selection of 1 of 3 candidate images and their arrangement into a half-drop repeat and colourways and colour adjustments.',
    )
    expect(md).toContain(
      'AI-generated material produced by stable-diffusion-xl 1.0 with LoRA paisley (weight 0.7)',
    )
    expect(md).toContain('- Photoshop 26.1')
    expect(md).toContain('- Human steps: 3')
    expect(md).toContain('- AI steps: 1')
    expect(md).toContain(`\`${OUT}\``)
    expect(md).toContain('| 7 |')
    expect(md).toContain('| pending |')
    expect(md).toContain('Step 2: \u201cthe \\*warmest\\* one\u201d')
    expect(md).toContain('- Step 1: {"prompt":"paisley on indigo","seed":42}')
    expect(md).toContain(DRAFT_FOR_COUNSEL)
  })

  it('says so when no AI material and no steps are recorded', () => {
    const md = renderStatementMarkdown(input([]))
    expect(md).toContain('None: the journal records no AI-generated material.')
    expect(md).toContain('The authorship journal is empty.')
    expect(md).toContain('| Human authors | Credited Designer |')
    expect(md).toContain('| Provenance tier | unknown |')
  })

  it('is deterministic', () => {
    const i = input([humanStep(), humanStep({ action: 'c2pa.edited' })])
    expect(renderStatementMarkdown(i)).toBe(renderStatementMarkdown(i))
  })
})

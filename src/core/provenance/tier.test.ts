import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { AuthorshipStep } from './authorship-step.js'
import { aiStep, humanStep, softwareStep } from './test-steps.js'
import { deriveTier, tierRank } from './tier.js'
import { AUTHORSHIP_ACTIONS, DIGITAL_SOURCE_TYPES, digitalSourceTypeIri } from './vocabulary.js'

const anyStep: fc.Arbitrary<AuthorshipStep> = fc
  .record({
    kind: fc.constantFrom('human', 'ai', 'software') as fc.Arbitrary<'human' | 'ai' | 'software'>,
    action: fc.constantFrom(...AUTHORSHIP_ACTIONS),
    source: fc.option(fc.constantFrom(...DIGITAL_SOURCE_TYPES), { nil: undefined }),
  })
  .map(({ kind, action, source }) => ({
    actor: { kind, name: kind },
    action,
    ...(source === undefined ? {} : { digitalSourceType: digitalSourceTypeIri(source) }),
  }))
const journals = fc.array(anyStep, { maxLength: 12 })

const humanModification = fc
  .record({
    action: fc.constantFrom(
      'c2pa.drawing',
      'c2pa.edited',
      'c2pa.color_adjustments',
      'c2pa.placed',
    ) as fc.Arbitrary<AuthorshipStep['action']>,
    source: fc.constantFrom(
      'humanEdits',
      'digitalCreation',
      'minorHumanEdits',
      'print',
    ) as fc.Arbitrary<(typeof DIGITAL_SOURCE_TYPES)[number]>,
  })
  .map(({ action, source }) =>
    humanStep({ action, digitalSourceType: digitalSourceTypeIri(source) }),
  )

describe('deriveTier', () => {
  it('gives an empty journal the tier unknown', () => {
    expect(deriveTier([])).toBe('unknown')
  })

  it('calls work by people and conventional software human-made', () => {
    expect(
      deriveTier([humanStep(), softwareStep(), humanStep({ action: 'c2pa.color_adjustments' })]),
    ).toBe('human-made')
    expect(deriveTier([humanStep({ digitalSourceType: digitalSourceTypeIri('print') })])).toBe(
      'human-made',
    )
    expect(deriveTier([softwareStep()])).toBe('unknown')
  })

  it('calls AI output alone, or with prompts and selection only, synthetic', () => {
    expect(deriveTier([aiStep()])).toBe('synthetic')
    const prompt: AuthorshipStep = { actor: { kind: 'human', name: 'Ada' }, action: 'c2pa.created' }
    const selected = humanStep({
      action: 'slv.selected',
      selection: { chosen: ['a'.repeat(64)], rejected: ['b'.repeat(64)] },
    })
    expect(deriveTier([aiStep(), selected])).toBe('synthetic')
    // Human work before the generation is not shown to survive in its output.
    expect(deriveTier([prompt, aiStep()])).toBe('synthetic')
  })

  it('calls AI material with later human modification or arrangement human-directed', () => {
    expect(deriveTier([aiStep(), humanStep({ action: 'c2pa.placed' })])).toBe('human-directed')
    expect(deriveTier([aiStep(), softwareStep(), humanStep({ action: 'c2pa.edited' })])).toBe(
      'human-directed',
    )
  })

  it('counts a human step that generates (e.g. generative fill) as AI material', () => {
    const fill = humanStep({
      action: 'c2pa.edited',
      digitalSourceType: digitalSourceTypeIri('compositeWithTrainedAlgorithmicMedia'),
    })
    expect(deriveTier([humanStep(), fill])).toBe('synthetic')
  })

  it('never lowers the tier when a human modification is added', () => {
    fc.assert(
      fc.property(journals, humanModification, (steps, step) => {
        expect(tierRank(deriveTier([...steps, step]))).toBeGreaterThanOrEqual(
          tierRank(deriveTier(steps)),
        )
      }),
    )
  })

  it('never keeps a human-made journal human-made once AI generation is added', () => {
    fc.assert(
      fc.property(journals, fc.nat(), (steps, at) => {
        fc.pre(deriveTier(steps) === 'human-made')
        const i = at % (steps.length + 1)
        const withAi = [...steps.slice(0, i), aiStep(), ...steps.slice(i)]
        expect(deriveTier(withAi)).not.toBe('human-made')
      }),
    )
  })

  it('is human-made only without generative steps', () => {
    fc.assert(
      fc.property(journals, (steps) => {
        if (deriveTier(steps) === 'human-made') {
          expect(steps.every((s) => s.actor.kind !== 'ai')).toBe(true)
        }
      }),
    )
  })
})

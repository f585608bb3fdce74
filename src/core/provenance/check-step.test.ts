import { describe, expect, it } from 'vitest'
import { checkStepFits } from './check-step.js'
import { humanStep } from './test-steps.js'

const V1 = '1'.repeat(64)
const V2 = '2'.repeat(64)

function code(fn: () => void): string {
  try {
    fn()
    return 'ok'
  } catch (err) {
    return (err as { code: string }).code
  }
}

describe('checkStepFits', () => {
  const ctx = {
    when: '2025-03-02T00:00:00.000Z',
    versionHashes: [V1, V2],
    previousWhen: '2025-03-01T00:00:00.000Z',
    inputsCreatedAt: [{ index: 0, createdAt: '2025-02-01T00:00:00.000Z' }],
  }

  it('accepts an output that is a version of the asset, dated after its inputs', () => {
    expect(code(() => checkStepFits(humanStep({ outputSha256: V2 }), ctx))).toBe('ok')
    expect(code(() => checkStepFits(humanStep(), { ...ctx, previousWhen: null }))).toBe('ok')
  })

  it('refuses an output hash that is not a version', () => {
    expect(code(() => checkStepFits(humanStep({ outputSha256: '3'.repeat(64) }), ctx))).toBe(
      'AUTHORSHIP_OUTPUT_MISMATCH',
    )
  })

  it('refuses a step dated before the previous step or before an input existed', () => {
    expect(
      code(() => checkStepFits(humanStep(), { ...ctx, previousWhen: '2025-03-03T00:00:00.000Z' })),
    ).toBe('AUTHORSHIP_ORDER')
    expect(
      code(() =>
        checkStepFits(humanStep(), {
          ...ctx,
          inputsCreatedAt: [{ index: 0, createdAt: '2025-04-01T00:00:00.000Z' }],
        }),
      ),
    ).toBe('AUTHORSHIP_ORDER')
  })
})

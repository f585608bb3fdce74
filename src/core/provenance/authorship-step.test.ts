import { describe, expect, it } from 'vitest'
import { parseAuthorshipStep } from './authorship-step.js'
import { ProvenanceError } from './provenance-error.js'

const HASH = 'AB'.repeat(32)

function codeAndMessage(raw: unknown): [string, string] {
  try {
    parseAuthorshipStep(raw)
  } catch (err) {
    if (err instanceof ProvenanceError) return [err.code, err.message]
    throw err
  }
  return ['ok', '']
}

describe('parseAuthorshipStep', () => {
  it('accepts the contract and normalises it', () => {
    const step = parseAuthorshipStep({
      actor: {
        kind: 'ai',
        name: 'SDXL',
        model: {
          name: 'sdxl',
          version: '1.0',
          sha256: HASH,
          loras: [{ id: 'paisley', weight: 0.6 }],
        },
      },
      action: 'c2pa.created',
      digitalSourceType: 'trainedAlgorithmicMedia',
      when: '2025-03-01T10:00:00+01:00',
      inputs: [{ assetId: 'ast_1', sha256: HASH, relationship: 'inputTo' }],
      parameters: { prompt: 'paisley', seed: 7, cfg: 6.5 },
      outputSha256: HASH,
      selection: { chosen: [HASH], rejected: ['cd'.repeat(32)] },
      rationale: 'kept the warmest one',
    })
    expect(step.digitalSourceType).toBe(
      'http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia',
    )
    expect(step.when).toBe('2025-03-01T09:00:00.000Z')
    expect(step.outputSha256).toBe(HASH.toLowerCase())
    expect(step.actor.model?.sha256).toBe(HASH.toLowerCase())
    expect(step.inputs?.[0]?.sha256).toBe(HASH.toLowerCase())
  })

  it('accepts full IRIs and slv.selected', () => {
    const step = parseAuthorshipStep({
      actor: { kind: 'human', name: 'Ada' },
      action: 'slv.selected',
      digitalSourceType: 'http://cv.iptc.org/newscodes/digitalsourcetype/humanEdits',
      selection: { chosen: [HASH] },
    })
    expect(step.selection).toEqual({ chosen: [HASH.toLowerCase()], rejected: [] })
  })

  it.each([
    [null, ''],
    [{ action: 'c2pa.created' }, 'actor'],
    [{ actor: { kind: 'robot', name: 'x' }, action: 'c2pa.created' }, 'actor.kind'],
    [{ actor: { kind: 'human', name: '' }, action: 'c2pa.created' }, 'actor.name'],
    [{ actor: { kind: 'human', name: 'a' }, action: 'c2pa.painted' }, 'action'],
    [
      { actor: { kind: 'human', name: 'a' }, action: 'c2pa.created', digitalSourceType: 'x' },
      'digitalSourceType',
    ],
    [{ actor: { kind: 'human', name: 'a' }, action: 'c2pa.created', when: '2025-03-01' }, 'when'],
    [
      { actor: { kind: 'human', name: 'a' }, action: 'c2pa.created', outputSha256: 'abc' },
      'outputSha256',
    ],
    [
      {
        actor: { kind: 'human', name: 'a' },
        action: 'c2pa.created',
        inputs: [{ sha256: HASH, relationship: 'sibling' }],
      },
      'inputs[0].relationship',
    ],
    [{ actor: { kind: 'human', name: 'a' }, action: 'c2pa.created', colour: 'red' }, 'colour'],
    [
      {
        actor: { kind: 'ai', name: 'a', model: { name: 'm', loras: [{ id: 'l', weight: 'x' }] } },
        action: 'c2pa.created',
      },
      'actor.model.loras[0].weight',
    ],
    [
      {
        actor: { kind: 'human', name: 'a' },
        action: 'slv.selected',
        selection: { chosen: [HASH], rejected: [HASH] },
      },
      'selection',
    ],
  ])('refuses %j naming %s', (raw, field) => {
    const [code, message] = codeAndMessage(raw)
    expect(code).toBe('AUTHORSHIP_STEP_INVALID')
    expect(message.startsWith(`${field}:`)).toBe(true)
  })
})

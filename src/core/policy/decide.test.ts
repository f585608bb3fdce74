import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { decide, PolicyError, parsePolicy, policyFromTemplate } from './index.js'

// Known answer from issue 3 ("commercial print allowed up to 10,000 units with attribution; above
// that 0.02 EUR per unit, postpaid; AI training prohibited unless a training licence is held").
const fixture = JSON.parse(
  readFileSync(
    resolve(import.meta.dirname, '../../../test/fixtures/odrl/print-10k-policy.json'),
    'utf8',
  ),
) as unknown
const policy = parsePolicy(fixture)
const NOW = '2025-06-01T12:00:00Z'
const TARGET = 'https://studio.example/assets/a1'
const BUYER = 'https://buyer.example/'
const TRAINING = 'https://studio.example/licences/training'
const print = {
  assignee: BUYER,
  action: 'reproduce',
  target: TARGET,
  purpose: 'slv:commercialPrint',
}

describe('issue 3 known answer', () => {
  it('5,000 units with 0 prior: permit with attribution', () => {
    const d = decide(policy, { ...print, units: 5000 }, {}, NOW)
    expect(d.outcome).toBe('permit')
    expect(d.duties).toEqual([{ action: 'attribute', attributedParty: 'https://studio.example/' }])
  })
  it('5,000 units with 7,000 prior: attribution and 40.00 EUR postpaid', () => {
    const d = decide(policy, { ...print, units: 5000 }, { cumulativeUnits: 7000 }, NOW)
    expect(d.outcome).toBe('permit')
    expect(d.duties).toEqual([
      { action: 'attribute', attributedParty: 'https://studio.example/' },
      { action: 'compensate', amount: { minor: 4000, currency: 'EUR' }, settlement: 'postpaid' },
    ])
    expect(d.terms?.billableUnits).toBe(2000)
  })
  it('training without the training licence: deny by the prohibition', () => {
    const d = decide(policy, { assignee: BUYER, action: 'slv:aiTraining', target: TARGET }, {}, NOW)
    expect(d.outcome).toBe('deny')
    expect(d.rules.find((r) => r.uid.endsWith('#no-training'))?.active).toBe(true)
  })
  it('training with the licence: permit', () => {
    const d = decide(
      policy,
      { assignee: BUYER, action: 'slv:aiTraining', target: TARGET },
      { heldLicences: [TRAINING] },
      NOW,
    )
    expect(d.outcome).toBe('permit')
  })
  it('fine-tuning is training: denied without the licence (full IRI request)', () => {
    const d = decide(
      policy,
      { assignee: BUYER, action: 'https://selvedge.dev/ns/odrl/v1#fineTune', target: TARGET },
      {},
      NOW,
    )
    expect(d.outcome).toBe('deny')
  })
  it('the extended template gives the same answers', () => {
    const t = parsePolicy(
      policyFromTemplate(
        'extended',
        { unitCap: '10000', unitPrice: '0.02', trainingLicence: TRAINING },
        {
          policyUid: 'https://studio.example/policies/p2',
          assigner: 'https://studio.example/',
          target: TARGET,
        },
      ),
    )
    expect(decide(t, { ...print, units: 5000 }, { cumulativeUnits: 7000 }, NOW).duties[1]).toEqual({
      action: 'compensate',
      amount: { minor: 4000, currency: 'EUR' },
      settlement: 'postpaid',
    })
    expect(
      decide(t, { assignee: BUYER, action: 'slv:aiTraining', target: TARGET }, {}, NOW).outcome,
    ).toBe('deny')
    expect(
      decide(
        t,
        { assignee: BUYER, action: 'slv:aiTraining', target: TARGET },
        { heldLicences: [TRAINING] },
        NOW,
      ).outcome,
    ).toBe('permit')
  })
})

const base = (permission: unknown[], extra: Record<string, unknown> = {}): unknown => ({
  '@context': 'http://www.w3.org/ns/odrl.jsonld',
  '@type': 'Set',
  uid: 'urn:p',
  conflict: 'prohibit',
  permission,
  ...extra,
})
const req = { assignee: 'urn:a', action: 'reproduce', target: 'urn:t' }
const one = (leftOperand: string, operator: string, rightOperand: unknown) =>
  parsePolicy(base([{ action: 'use', constraint: [{ leftOperand, operator, rightOperand }] }]))

describe('operators', () => {
  const cases: [string, string, unknown, Record<string, unknown>, string][] = [
    ['count', 'eq', 5, { units: 5 }, 'permit'],
    ['count', 'gt', 5, { units: 5 }, 'deny'],
    ['count', 'gteq', 5, { units: 5 }, 'permit'],
    ['count', 'lt', 5, { units: 4 }, 'permit'],
    ['count', 'lteq', 5, { units: 6 }, 'deny'],
    ['count', 'neq', 5, { units: 6 }, 'permit'],
    ['purpose', 'isA', 'slv:commercial', { purpose: 'slv:commercialPrint' }, 'permit'],
    ['purpose', 'isA', 'slv:commercial', { purpose: 'slv:personal' }, 'deny'],
    ['spatial', 'isPartOf', 'EU', { spatial: 'FR' }, 'permit'],
    ['spatial', 'isPartOf', 'EU', { spatial: 'US' }, 'deny'],
    ['spatial', 'hasPart', 'FR', { spatial: 'FR' }, 'permit'],
    ['spatial', 'isAnyOf', ['FR', 'DE'], { spatial: 'DE' }, 'permit'],
    ['spatial', 'isNoneOf', ['FR', 'DE'], { spatial: 'DE' }, 'deny'],
    ['spatial', 'isAllOf', ['FR'], { spatial: 'FR' }, 'permit'],
    ['industry', 'isAnyOf', ['urn:i:fashion', 'urn:i:home'], { industry: 'urn:i:home' }, 'permit'],
    ['product', 'eq', 'urn:p:scarf', { product: 'urn:p:tie' }, 'deny'],
    ['dateTime', 'lt', '2026-01-01', {}, 'permit'],
    ['dateTime', 'gteq', '2026-01-01T00:00:00Z', {}, 'deny'],
    ['slv:heldLicence', 'hasPart', ['urn:l1', 'urn:l2'], {}, 'deny'],
    ['slv:heldLicence', 'isAllOf', ['urn:l1'], {}, 'deny'],
    ['slv:heldLicence', 'isPartOf', ['urn:l1', 'urn:l2'], {}, 'permit'],
  ]
  it.each(cases)('%s %s %j with %j → %s', (left, op, right, r, expected) => {
    expect(decide(one(left, op, right), { ...req, ...r }, {}, NOW).outcome).toBe(expected)
  })
  it('held licences: hasPart / isAllOf / isAnyOf', () => {
    const st = { heldLicences: ['urn:l1', 'urn:l2', 'urn:l3'] }
    expect(
      decide(one('slv:heldLicence', 'hasPart', ['urn:l1', 'urn:l2']), req, st, NOW).outcome,
    ).toBe('permit')
    expect(
      decide(one('slv:heldLicence', 'isAnyOf', ['urn:l9', 'urn:l3']), req, st, NOW).outcome,
    ).toBe('permit')
    expect(
      decide(one('slv:heldLicence', 'isNoneOf', ['urn:l9', 'urn:l3']), req, st, NOW).outcome,
    ).toBe('deny')
    expect(
      decide(
        one('slv:cumulativeUnits', 'gt', 10),
        { ...req, units: 5 },
        { cumulativeUnits: 6 },
        NOW,
      ).outcome,
    ).toBe('permit')
  })
  it('a constraint on an operand the request does not give never permits', () => {
    expect(decide(one('purpose', 'eq', 'slv:editorial'), req, {}, NOW).outcome).toBe('deny')
  })
})

describe('logical constraints and refinements', () => {
  const c = (left: string, op: string, right: unknown) => ({
    leftOperand: left,
    operator: op,
    rightOperand: right,
  })
  const logical = (key: string) =>
    parsePolicy(
      base([
        { action: 'use', constraint: [{ [key]: [c('count', 'gt', 10), c('count', 'lt', 20)] }] },
      ]),
    )
  it('or / xone / and / andSequence', () => {
    const at = (p: ReturnType<typeof parsePolicy>, units: number) =>
      decide(p, { ...req, units }, {}, NOW).outcome
    expect(at(logical('or'), 5)).toBe('permit')
    expect(at(logical('xone'), 15)).toBe('deny')
    expect(at(logical('xone'), 25)).toBe('permit')
    expect(at(logical('and'), 15)).toBe('permit')
    expect(at(logical('andSequence'), 25)).toBe('deny')
  })
  it('an action refinement narrows the permitted action without deactivating the rule', () => {
    const p = parsePolicy(
      base([
        {
          uid: 'urn:r',
          action: [
            {
              'rdf:value': { '@id': 'odrl:reproduce' },
              refinement: [c('resolution', 'lteq', 300)],
            },
          ],
        },
      ]),
    )
    expect(decide(p, { ...req, resolution: 300 }, {}, NOW).outcome).toBe('permit')
    const d = decide(p, { ...req, resolution: 600 }, {}, NOW)
    expect(d.outcome).toBe('deny')
    expect(d.rules[0]?.active).toBe(true)
  })
  it('a duty constraint decides whether the duty applies', () => {
    const p = parsePolicy(
      base([
        {
          action: 'use',
          duty: [
            {
              action: 'attribute',
              attributedParty: 'urn:s',
              constraint: [c('spatial', 'eq', 'FR')],
            },
          ],
        },
      ]),
    )
    expect(decide(p, { ...req, spatial: 'FR' }, {}, NOW).duties).toHaveLength(1)
    expect(decide(p, { ...req, spatial: 'DE' }, {}, NOW).duties).toHaveLength(0)
  })
})

describe('conflicts, exclusivity, prepaid duties', () => {
  const both = (conflict: string) =>
    parsePolicy(base([{ action: 'use' }], { conflict, prohibition: [{ action: 'reproduce' }] }))
  it('prohibit, perm and invalid', () => {
    expect(decide(both('prohibit'), req, {}, NOW).outcome).toBe('deny')
    expect(decide(both('perm'), req, {}, NOW).outcome).toBe('permit')
    expect(decide(both('invalid'), req, {}, NOW).outcome).toBe('deny')
    expect(decide(both('invalid'), { ...req, action: 'display' }, {}, NOW).outcome).toBe('permit')
  })
  it('the ODRL default conflict strategy is invalid', () => {
    const { conflict: _, ...rest } = base([{ action: 'use' }], {
      prohibition: [{ action: 'reproduce' }],
    }) as Record<string, unknown>
    const p = parsePolicy(rest)
    expect(p.conflict).toBe('invalid')
    expect(decide(p, req, {}, NOW).outcome).toBe('deny')
  })
  it('exclusive buyout: payment first, then withdrawn for everyone else', () => {
    const p = parsePolicy(
      policyFromTemplate(
        'exclusive',
        { price: '2500.00' },
        { policyUid: 'urn:x', assigner: 'urn:studio', target: 'urn:t' },
      ),
    )
    const d = decide(p, req, {}, NOW)
    expect(d.outcome).toBe('payment-required')
    expect(d.duties).toContainEqual({
      action: 'compensate',
      amount: { minor: 250000, currency: 'EUR' },
      settlement: 'prepaid',
    })
    expect(d.terms?.exclusive).toBe(true)
    expect(decide(p, req, { exclusiveSoldTo: 'urn:a' }, NOW).outcome).toBe('permit')
    expect(decide(p, req, { exclusiveSoldTo: 'urn:someone-else' }, NOW).outcome).toBe('deny')
    expect(
      decide(p, { ...req, action: 'slv:aiTraining' }, { exclusiveSoldTo: 'urn:a' }, NOW).outcome,
    ).toBe('deny')
  })
  it('a fulfilled prepaid duty no longer gates; a violated duty deactivates', () => {
    const p = parsePolicy(
      policyFromTemplate(
        'training',
        { price: '80' },
        { policyUid: 'urn:tr', assigner: 'urn:studio', target: 'urn:t' },
      ),
    )
    const r = { ...req, action: 'slv:fineTune' }
    expect(decide(p, r, {}, NOW).outcome).toBe('payment-required')
    expect(
      decide(p, r, { dutyStates: { 'urn:tr#training#duty-2': 'fulfilled' } }, NOW).outcome,
    ).toBe('permit')
    expect(
      decide(p, r, { dutyStates: { 'urn:tr#training#duty-1': 'violated' } }, NOW).outcome,
    ).toBe('deny')
    expect(decide(p, { ...req, action: 'slv:aiTraining' }, {}, NOW).outcome).toBe('deny')
  })
})

describe('validation', () => {
  const problems = (j: unknown): { path: string; message: string }[] => {
    try {
      parsePolicy(j)
    } catch (e) {
      expect(e).toBeInstanceOf(PolicyError)
      expect((e as PolicyError).code).toBe('POLICY_INVALID')
      return [...(e as PolicyError).problems]
    }
    throw new Error('expected POLICY_INVALID')
  }
  it('reports every problem with its JSON path', () => {
    const p = problems(
      base([
        { action: 'fly' },
        {
          action: 'use',
          constraint: [
            { leftOperand: 'count', operator: 'eq', rightOperand: 'many' },
            { leftOperand: 'colour', operator: 'eq', rightOperand: 'red' },
          ],
        },
        { action: 'use', duty: [{ attributedParty: 'urn:s' }] },
        {
          action: 'use',
          constraint: [{ leftOperand: 'purpose', operator: 'gt', rightOperand: 'x' }],
        },
      ]),
    ).map((x) => x.path)
    expect(p).toEqual([
      '$.permission[0].action',
      '$.permission[1].constraint[0].rightOperand',
      '$.permission[1].constraint[1].leftOperand',
      '$.permission[2].duty[0].action',
      '$.permission[3].constraint[0].operator',
    ])
  })
  it('rejects what is not JSON-LD and never fetches a remote context', () => {
    expect(
      problems({ '@type': 'Set', uid: 'urn:p', permission: [{ action: 'use' }] })[0]?.path,
    ).toBe("$['@context']")
    expect(problems('{}')[0]?.path).toBe('$')
    expect(
      problems(
        base([{ action: 'use' }], {
          '@context': ['http://www.w3.org/ns/odrl.jsonld', 'https://evil.example/ctx'],
        }),
      )[0]?.message,
    ).toMatch(/never fetched/)
  })
  it('rejects a bad country code and a bad date', () => {
    expect(
      problems(
        base([
          {
            action: 'use',
            constraint: [{ leftOperand: 'spatial', operator: 'eq', rightOperand: 'XX' }],
          },
        ]),
      ),
    ).toHaveLength(1)
    expect(
      problems(
        base([
          {
            action: 'use',
            constraint: [{ leftOperand: 'dateTime', operator: 'lt', rightOperand: '2025-13-01' }],
          },
        ]),
      ),
    ).toHaveLength(1)
  })
  it('accepts full IRIs, compact and prefixed forms alike', () => {
    const p = parsePolicy({
      '@context': ['http://www.w3.org/ns/odrl.jsonld', { ex: 'https://ex.org/' }],
      '@type': 'http://www.w3.org/ns/odrl/2/Set',
      'http://www.w3.org/ns/odrl/2/uid': 'ex:p',
      'odrl:permission': [
        {
          'odrl:action': { '@id': 'https://selvedge.dev/ns/odrl/v1#generateVariants' },
          assignee: 'ex:alice',
        },
      ],
    })
    expect(
      decide(
        p,
        { assignee: 'https://ex.org/alice', action: 'slv:generateVariants', target: 'urn:t' },
        {},
        NOW,
      ).outcome,
    ).toBe('permit')
    expect(
      decide(p, { assignee: 'https://ex.org/alice', action: 'derive', target: 'urn:t' }, {}, NOW)
        .outcome,
    ).toBe('deny')
  })
  it('names each bad request field', () => {
    try {
      decide(policy, { assignee: '', action: 'fly', target: 'urn:t', units: -1 } as never, {}, NOW)
      throw new Error('expected an error')
    } catch (e) {
      expect((e as PolicyError).code).toBe('POLICY_REQUEST_INVALID')
      expect((e as PolicyError).problems.map((p) => p.path)).toEqual([
        '$.assignee',
        '$.action',
        '$.units',
      ])
    }
  })
})

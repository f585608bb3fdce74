import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { decide, minorUnits, parseDecimal, parsePolicy, unitsAbove } from './index.js'

const NOW = '2025-06-01T12:00:00Z'
const ACTIONS = [
  'use',
  'reproduce',
  'distribute',
  'display',
  'derive',
  'slv:generateVariants',
  'slv:aiTraining',
  'slv:fineTune',
  'slv:aiInference',
]
const PURPOSES = ['slv:commercialPrint', 'slv:personal', 'slv:editorial']
const COUNTRIES = ['FR', 'DE', 'US', 'JP']
const RANK = { deny: 0, 'payment-required': 1, permit: 2 } as const

const atom = fc.oneof(
  fc.record({
    leftOperand: fc.constant('purpose'),
    operator: fc.constantFrom('eq', 'neq'),
    rightOperand: fc.constantFrom(...PURPOSES),
  }),
  fc.record({
    leftOperand: fc.constant('purpose'),
    operator: fc.constant('isA'),
    rightOperand: fc.constantFrom('slv:commercial', 'slv:nonCommercial'),
  }),
  fc.record({
    leftOperand: fc.constant('spatial'),
    operator: fc.constantFrom('isAnyOf', 'isNoneOf'),
    rightOperand: fc.subarray(COUNTRIES, { minLength: 1 }),
  }),
  fc.record({
    leftOperand: fc.constantFrom('count', 'slv:cumulativeUnits'),
    operator: fc.constantFrom('lt', 'lteq', 'gt', 'gteq', 'eq', 'neq'),
    rightOperand: fc.integer({ min: 0, max: 200 }),
  }),
  fc.record({
    leftOperand: fc.constant('slv:heldLicence'),
    operator: fc.constantFrom('isAnyOf', 'isNoneOf', 'isAllOf'),
    rightOperand: fc.subarray(['urn:l1', 'urn:l2'], { minLength: 1 }),
  }),
)
const constraint = fc.oneof(
  { weight: 3, arbitrary: atom },
  { weight: 1, arbitrary: fc.record({ or: fc.array(atom, { minLength: 1, maxLength: 3 }) }) },
  { weight: 1, arbitrary: fc.record({ xone: fc.array(atom, { minLength: 1, maxLength: 3 }) }) },
)
const duty = fc.oneof(
  fc.constant({ action: 'attribute', attributedParty: 'urn:studio' }),
  fc.record({
    action: fc.constant([
      {
        'rdf:value': { '@id': 'odrl:compensate' },
        refinement: [
          { leftOperand: 'payAmount', operator: 'eq', rightOperand: '1.50', unit: 'EUR' },
        ],
      },
    ]),
    'slv:settlement': fc.constantFrom('slv:prepaid', 'slv:postpaid'),
  }),
)
const rule = fc.record({
  action: fc.constantFrom(...ACTIONS),
  constraint: fc.array(constraint, { maxLength: 2 }),
  duty: fc.array(duty, { maxLength: 2 }),
})
const policyJson = fc.record({
  conflict: fc.constantFrom('perm', 'prohibit', 'invalid'),
  permission: fc.array(rule, { minLength: 1, maxLength: 4 }),
  prohibition: fc.array(
    rule.map(({ action, constraint }) => ({ action, constraint })),
    { maxLength: 2 },
  ),
})
const request = fc.record(
  {
    assignee: fc.constant('urn:a'),
    target: fc.constant('urn:t'),
    action: fc.constantFrom(...ACTIONS),
    purpose: fc.constantFrom(...PURPOSES),
    spatial: fc.constantFrom(...COUNTRIES),
    units: fc.integer({ min: 0, max: 200 }),
  },
  { requiredKeys: ['assignee', 'target', 'action'] },
)
const state = fc.record(
  {
    cumulativeUnits: fc.integer({ min: 0, max: 200 }),
    heldLicences: fc.subarray(['urn:l1', 'urn:l2']),
  },
  { requiredKeys: [] },
)
const wrap = (p: object) =>
  parsePolicy({
    '@context': 'http://www.w3.org/ns/odrl.jsonld',
    '@type': 'Set',
    uid: 'urn:p',
    ...p,
  })

describe('policy properties', () => {
  it('narrowing a grant (one more constraint on a permission) never allows more', () => {
    fc.assert(
      fc.property(policyJson, fc.nat(), atom, request, state, (p, i, extra, r, s) => {
        const k = i % p.permission.length
        const narrowed = {
          ...p,
          permission: p.permission.map((x, j) =>
            j === k ? { ...x, constraint: [...x.constraint, extra] } : x,
          ),
        }
        const wide = decide(wrap(p), r, s, NOW).outcome
        const narrow = decide(wrap(narrowed), r, s, NOW).outcome
        expect(RANK[narrow]).toBeLessThanOrEqual(RANK[wide])
      }),
      { numRuns: 400 },
    )
  })
  it('narrowing the action of a permission to a child action never allows more', () => {
    const children: Record<string, string> = {
      use: 'reproduce',
      derive: 'slv:generateVariants',
      'slv:aiTraining': 'slv:fineTune',
    }
    fc.assert(
      fc.property(policyJson, request, state, (p, r, s) => {
        const narrowed = {
          ...p,
          permission: p.permission.map((x) => ({ ...x, action: children[x.action] ?? x.action })),
        }
        expect(RANK[decide(wrap(narrowed), r, s, NOW).outcome]).toBeLessThanOrEqual(
          RANK[decide(wrap(p), r, s, NOW).outcome],
        )
      }),
      { numRuns: 300 },
    )
  })
  it('prohibiting a parent action prohibits its child actions', () => {
    const pairs: [string, string][] = [
      ['use', 'reproduce'],
      ['use', 'slv:fineTune'],
      ['derive', 'slv:generateVariants'],
      ['slv:aiTraining', 'slv:fineTune'],
    ]
    fc.assert(
      fc.property(
        policyJson,
        fc.constantFrom(...pairs),
        request,
        state,
        (p, [parent, child], r, s) => {
          const pol = wrap({ ...p, conflict: 'prohibit', prohibition: [{ action: parent }] })
          expect(decide(pol, { ...r, action: child }, s, NOW).outcome).toBe('deny')
        },
      ),
      { numRuns: 200 },
    )
  })
  it('threshold fees are additive across split requests', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e6 }),
        fc.integer({ min: 0, max: 1e5 }),
        fc.integer({ min: 0, max: 1e5 }),
        fc.integer({ min: 0, max: 1e6 }),
        fc.integer({ min: 0, max: 100_000 }),
        (u0, q1, q2, t, cents) => {
          expect(unitsAbove(u0, q1, t) + unitsAbove(u0 + q1, q2, t)).toBe(
            unitsAbove(u0, q1 + q2, t),
          )
          // A price in whole minor units is exact, so the fee is additive too.
          const price = parseDecimal((cents / 100).toFixed(2))
          if (price === undefined) throw new Error('bad price')
          const fee = (u: number, q: number) => minorUnits(price, unitsAbove(u, q, t), 'EUR')
          expect(fee(u0, q1) + fee(u0 + q1, q2)).toBe(fee(u0, q1 + q2))
        },
      ),
    )
  })
})

describe('rounding', () => {
  it('rounds half-up once on the total, exactly', () => {
    const p = (s: string) =>
      parseDecimal(s) ??
      (() => {
        throw new Error(s)
      })()
    expect(minorUnits(p('0.02'), 2000, 'EUR')).toBe(4000)
    expect(minorUnits(p('0.005'), 1, 'EUR')).toBe(1) // 0.5 cent → 1
    expect(minorUnits(p('0.004'), 1, 'EUR')).toBe(0)
    expect(minorUnits(p('0.0015'), 3, 'EUR')).toBe(0) // 0.45 cent → 0
    expect(minorUnits(p('0.0015'), 1000, 'EUR')).toBe(150)
    expect(minorUnits(p('0.1'), 3, 'EUR')).toBe(30) // no binary floating point error
    expect(minorUnits(p('12.5'), 1, 'JPY')).toBe(13)
  })
})

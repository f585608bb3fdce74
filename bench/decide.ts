import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import * as cedar from '@cedar-policy/cedar-wasm/nodejs'
import {
  type DecisionRequest,
  decide,
  parsePolicy,
  type WorldState,
} from '../src/core/policy/index.js'

// A 10-rule policy with mixed constraints, and the same policy written in Cedar. Requests always
// carry every attribute, so both engines see the same facts.
const T = 'https://studio.example/assets/a1'
const TRAINING = 'https://studio.example/licences/training'
const EU = ['FR', 'DE', 'IT', 'ES', 'NL', 'BE', 'PT', 'AT']
const c = (leftOperand: string, operator: string, rightOperand: unknown) => ({
  leftOperand,
  operator,
  rightOperand,
})
const POLICY = {
  '@context': ['http://www.w3.org/ns/odrl.jsonld', { slv: 'https://selvedge.dev/ns/odrl/v1#' }],
  '@type': 'Offer',
  uid: 'https://studio.example/policies/bench',
  assigner: 'https://studio.example/',
  conflict: 'prohibit',
  target: T,
  permission: [
    {
      uid: 'urn:r1',
      action: 'reproduce',
      constraint: [
        c('purpose', 'eq', 'slv:commercialPrint'),
        c('slv:cumulativeUnits', 'lteq', 10000),
        c('spatial', 'isAnyOf', EU),
      ],
      duty: [{ action: 'attribute', attributedParty: 'https://studio.example/' }],
    },
    {
      uid: 'urn:r2',
      action: 'reproduce',
      constraint: [
        c('purpose', 'eq', 'slv:commercialPrint'),
        c('slv:cumulativeUnits', 'gt', 10000),
        c('spatial', 'isAnyOf', EU),
      ],
      duty: [
        { action: 'attribute', attributedParty: 'https://studio.example/' },
        {
          action: [
            {
              'rdf:value': { '@id': 'odrl:compensate' },
              refinement: [
                c('slv:unitPrice', 'eq', '0.02'),
                { ...c('slv:settlement', 'eq', 'slv:postpaid') },
              ].map((r, i) => (i === 0 ? { ...r, unit: 'EUR' } : r)),
            },
          ],
        },
      ],
    },
    { uid: 'urn:r3', action: 'display' },
    {
      uid: 'urn:r4',
      action: 'distribute',
      constraint: [c('spatial', 'isPartOf', 'EU'), c('count', 'lteq', 5000)],
    },
    { uid: 'urn:r5', action: 'derive', constraint: [c('purpose', 'isA', 'slv:nonCommercial')] },
    { uid: 'urn:r6', action: 'slv:aiTraining', constraint: [c('slv:heldLicence', 'eq', TRAINING)] },
    {
      uid: 'urn:r7',
      action: 'slv:aiInference',
      constraint: [
        {
          or: [
            c('industry', 'eq', 'urn:industry:fashion'),
            c('dateTime', 'lt', '2025-01-01T00:00:00Z'),
          ],
        },
      ],
    },
  ],
  prohibition: [
    {
      uid: 'urn:r8',
      action: 'slv:aiTraining',
      constraint: [c('slv:heldLicence', 'isNoneOf', [TRAINING])],
    },
    { uid: 'urn:r9', action: 'use', constraint: [c('spatial', 'isAnyOf', ['RU', 'KP'])] },
    { uid: 'urn:r10', action: 'reproduce', constraint: [c('product', 'eq', 'urn:product:flag')] },
  ],
}

const EU_ALL =
  'AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE'.split(' ')
const q = (xs: readonly string[]) => `[${xs.map((x) => JSON.stringify(x)).join(', ')}]`
const CEDAR = `
permit (principal, action in Action::"reproduce", resource) when { context.purpose == "commercialPrint" && context.cumulative <= 10000 && ${q(EU)}.contains(context.spatial) };
permit (principal, action in Action::"reproduce", resource) when { context.purpose == "commercialPrint" && context.cumulative > 10000 && ${q(EU)}.contains(context.spatial) };
permit (principal, action in Action::"display", resource);
permit (principal, action in Action::"distribute", resource) when { ${q(EU_ALL)}.contains(context.spatial) && context.units <= 5000 };
permit (principal, action in Action::"derive", resource) when { ["personal", "editorial", "education", "research", "nonCommercial"].contains(context.purpose) };
permit (principal, action in Action::"aiTraining", resource) when { context.held.contains("${TRAINING}") };
permit (principal, action in Action::"aiInference", resource) when { context.industry == "urn:industry:fashion" || context.time < 1735689600 };
forbid (principal, action in Action::"aiTraining", resource) when { !context.held.contains("${TRAINING}") };
forbid (principal, action in Action::"use", resource) when { ["RU", "KP"].contains(context.spatial) };
forbid (principal, action in Action::"reproduce", resource) when { context.product == "urn:product:flag" };
`
// ODRL 2.2 includedIn, for the actions the requests use.
const PARENTS: Record<string, string[]> = {
  use: [],
  reproduce: ['use'],
  distribute: ['use'],
  play: ['use'],
  display: ['play'],
  derive: ['use'],
  generateVariants: ['derive'],
  aiTraining: ['use'],
  fineTune: ['aiTraining'],
  aiInference: ['use'],
}
const ENTITIES = Object.entries(PARENTS).map(([id, ps]) => ({
  uid: { type: 'Action', id },
  attrs: {},
  parents: ps.map((p) => ({ type: 'Action', id: p })),
}))

const ACTIONS = [
  'use',
  'reproduce',
  'distribute',
  'display',
  'derive',
  'generateVariants',
  'aiTraining',
  'fineTune',
  'aiInference',
]
const PURPOSES = ['commercialPrint', 'personal', 'editorial', 'commercialPrint', 'advertising']
const COUNTRIES = ['FR', 'DE', 'IT', 'US', 'JP', 'PL', 'RU', 'ES', 'GB', 'NL']
const PRODUCTS = [
  'urn:product:scarf',
  'urn:product:dress',
  'urn:product:flag',
  'urn:product:cushion',
]
const INDUSTRIES = ['urn:industry:fashion', 'urn:industry:home', 'urn:industry:auto']

/** Deterministic PRNG (mulberry32), so every run decides the same requests. */
function rng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

interface Case {
  readonly request: DecisionRequest
  readonly state: WorldState
  readonly now: Date
}
function makeCases(n: number): Case[] {
  const r = rng(42)
  const pick = <X>(xs: readonly X[]): X => xs[Math.floor(r() * xs.length)] as X
  const out: Case[] = []
  for (let i = 0; i < n; i++) {
    const action = pick(ACTIONS)
    out.push({
      request: {
        assignee: `https://buyer${i % 50}.example/`,
        action:
          action === 'generateVariants' || action.startsWith('ai') || action === 'fineTune'
            ? `slv:${action}`
            : action,
        target: T,
        purpose: `slv:${pick(PURPOSES)}`,
        units: Math.floor(r() * 12000),
        spatial: pick(COUNTRIES),
        industry: pick(INDUSTRIES),
        product: pick(PRODUCTS),
      },
      state: { cumulativeUnits: Math.floor(r() * 8000), heldLicences: r() < 0.3 ? [TRAINING] : [] },
      now: new Date(Date.UTC(2024, 0, 1) + Math.floor(r() * 2 * 365 * 86400_000)),
    })
  }
  return out
}

function cedarCall(cs: Case) {
  const rq = cs.request
  const action = rq.action.replace(/^slv:/, '')
  return {
    principal: { type: 'Party', id: rq.assignee },
    action: { type: 'Action', id: action },
    resource: { type: 'Asset', id: rq.target },
    context: {
      purpose: (rq.purpose ?? '').replace(/^slv:/, ''),
      cumulative: (cs.state.cumulativeUnits ?? 0) + (rq.units ?? 0),
      units: rq.units ?? 0,
      spatial: rq.spatial ?? '',
      held: [...(cs.state.heldLicences ?? [])],
      industry: rq.industry ?? '',
      product: rq.product ?? '',
      time: Math.floor(cs.now.getTime() / 1000),
    },
    preparsedPolicySetId: 'bench',
    entities: ENTITIES,
  }
}

const median = (xs: number[]): number =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number

async function httpLatency(): Promise<{ p50: number | null; p99: number | null; note?: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'selvedge-bench-'))
  try {
    const { openSelvedge } = await import('../src/compose.js')
    const { createApi } = await import('../src/http/server.js')
    const { SharpImageCodec } = await import('../src/adapters/image-sharp/index.js')
    const { demoPatterns } = await import('../src/core/demo/index.js')
    const autocannon = (await import('autocannon')).default
    const s = await openSelvedge({ dataDir: dir })
    try {
      const { ownerKey } = await s.studios.init()
      const caller = await s.keys.authenticate(ownerKey)
      const pattern = demoPatterns()[0]
      if (pattern === undefined) throw new Error('no demo pattern')
      const bytes = await new SharpImageCodec().encodePng(pattern.image)
      const ingested = await s.assets.ingest(caller, {
        bytes,
        filename: 'bench.png',
        metadata: { title: 'bench', visibility: 'published' },
      })
      const assetId = ingested.asset.id
      // The service binds the policy to the asset; the bench policy's own target is dropped.
      const { target: _target, ...attached } = POLICY
      await s.licences.attach(caller, assetId, { kind: 'policy', policy: attached })
      const app = await createApi(s)
      await app.listen({ host: '127.0.0.1', port: 0 })
      try {
        const addr = app.server.address()
        const port = typeof addr === 'object' && addr !== null ? addr.port : 0
        const body = JSON.stringify({
          assetId,
          request: {
            action: 'reproduce',
            purpose: 'slv:commercialPrint',
            units: 500,
            spatial: 'FR',
          },
        })
        const probe = await fetch(`http://127.0.0.1:${port}/v1/decisions`, {
          method: 'POST',
          headers: { authorization: `Bearer ${ownerKey}`, 'content-type': 'application/json' },
          body,
        })
        if (probe.status !== 200)
          return {
            p50: null,
            p99: null,
            note: `POST /v1/decisions answered ${probe.status}: ${(await probe.text()).slice(0, 200)}`,
          }
        const result = await autocannon({
          url: `http://127.0.0.1:${port}/v1/decisions`,
          connections: 64,
          duration: 5,
          method: 'POST',
          headers: { authorization: `Bearer ${ownerKey}`, 'content-type': 'application/json' },
          body,
        })
        if (result.non2xx > 0)
          return {
            p50: null,
            p99: null,
            note: `${result.non2xx} non-2xx answers from POST /v1/decisions`,
          }
        return { p50: result.latency.p50, p99: result.latency.p99 }
      } finally {
        await app.close()
      }
    } finally {
      await s.close()
    }
  } catch (err) {
    return {
      p50: null,
      p99: null,
      note: `POST /v1/decisions not measurable: ${(err as Error).message}`,
    }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

async function main(): Promise<void> {
  const N = Number(process.env['BENCH_N'] ?? 100_000)
  const policy = parsePolicy(POLICY)
  const cases = makeCases(N)
  const parsed = cedar.preparsePolicySet('bench', { staticPolicies: CEDAR })
  if (parsed.type !== 'success') throw new Error(`cedar: ${JSON.stringify(parsed)}`)

  const ours: boolean[] = new Array(N)
  const runs: number[] = []
  for (let rep = 0; rep < 6; rep++) {
    const t0 = performance.now()
    for (let i = 0; i < N; i++) {
      const cs = cases[i] as Case
      ours[i] = decide(policy, cs.request, cs.state, cs.now).outcome !== 'deny'
    }
    // The first pass warms the JIT up and is not counted.
    if (rep > 0) runs.push(N / ((performance.now() - t0) / 1000))
  }
  if (process.env['BENCH_ONLY_OURS'] === '1') {
    process.stdout.write(
      `${JSON.stringify({ decisionsPerSecond: Math.round(median(runs)), runs: runs.map(Math.round) })}\n`,
    )
    return
  }
  const theirs: boolean[] = new Array(N)
  const cedarRuns: number[] = []
  const calls = cases.map(cedarCall)
  for (let rep = 0; rep < 4; rep++) {
    const t0 = performance.now()
    for (let i = 0; i < N; i++) {
      const a = cedar.statefulIsAuthorized(
        calls[i] as Parameters<typeof cedar.statefulIsAuthorized>[0],
      )
      if (a.type !== 'success') throw new Error(`cedar: ${JSON.stringify(a.errors)}`)
      theirs[i] = a.response.decision === 'allow'
    }
    if (rep > 0) cedarRuns.push(N / ((performance.now() - t0) / 1000))
  }
  let disagreements = 0
  let permits = 0
  for (let i = 0; i < N; i++) {
    if (ours[i] !== theirs[i]) disagreements++
    if (ours[i]) permits++
  }
  const decisionsPerSecond = Math.round(median(runs))
  const cedarDecisionsPerSecond = Math.round(median(cedarRuns))
  process.stdout.write(
    `selvedge decide: ${decisionsPerSecond}/s (runs ${runs.map(Math.round).join(', ')}); permits ${permits}/${N}\n`,
  )
  process.stdout.write(
    `cedar-wasm ${cedar.getCedarVersion()}: ${cedarDecisionsPerSecond}/s (runs ${cedarRuns.map(Math.round).join(', ')})\n`,
  )
  const http =
    process.env['BENCH_SKIP_HTTP'] === '1'
      ? { p50: null, p99: null, note: 'skipped (BENCH_SKIP_HTTP=1)' }
      : await httpLatency()
  if (http.note !== undefined) process.stdout.write(`http: ${http.note}\n`)
  const summary = {
    requests: N,
    decisionsPerSecond,
    cedarDecisionsPerSecond,
    ratioVsCedar: Number((decisionsPerSecond / cedarDecisionsPerSecond).toFixed(2)),
    disagreements,
    httpP50Ms: http.p50,
    httpP99Ms: http.p99,
    ...(http.note === undefined ? {} : { httpNote: http.note }),
  }
  process.stdout.write(`${JSON.stringify(summary)}\n`)
}

await main()

import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { main } from '../main.js'

const POLICY = resolve(import.meta.dirname, '../../../test/fixtures/odrl/print-10k-policy.json')

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = ''
  let err = ''
  const code = await main(args, { stdout: (s) => (out += s), stderr: (s) => (err += s), env: {} })
  return { code, out, err }
}

describe('selvedge decide', () => {
  it('prints the decision as JSON and exits 0 for any outcome', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'selvedge-decide-'))
    const request = join(dir, 'request.json')
    const state = join(dir, 'state.json')
    await writeFile(
      request,
      JSON.stringify({
        assignee: 'https://buyer.example/',
        action: 'reproduce',
        target: 'https://studio.example/assets/a1',
        purpose: 'slv:commercialPrint',
        units: 5000,
      }),
    )
    await writeFile(state, JSON.stringify({ cumulativeUnits: 7000 }))
    const r = await run([
      'decide',
      '--policy',
      POLICY,
      '--request',
      request,
      '--state',
      state,
      '--now',
      '2025-01-01T00:00:00Z',
      '--json',
    ])
    expect(r.code).toBe(0)
    const d = JSON.parse(r.out) as { outcome: string; duties: unknown[] }
    expect(d.outcome).toBe('permit')
    expect(d.duties).toContainEqual({
      action: 'compensate',
      amount: { minor: 4000, currency: 'EUR' },
      settlement: 'postpaid',
    })
  })
  it('exits 4 with POLICY_INVALID and every problem path for a bad policy', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'selvedge-decide-'))
    const policy = join(dir, 'policy.jsonld')
    const request = join(dir, 'request.json')
    await writeFile(
      policy,
      JSON.stringify({
        '@context': 'http://www.w3.org/ns/odrl.jsonld',
        '@type': 'Set',
        uid: 'urn:p',
        permission: [{ action: 'fly' }, { action: 'use', duty: [{}] }],
      }),
    )
    await writeFile(request, JSON.stringify({ assignee: 'urn:a', action: 'use', target: 'urn:t' }))
    const r = await run(['decide', '--policy', policy, '--request', request, '--json'])
    expect(r.code).toBe(4)
    const body = JSON.parse(r.out) as { error: { code: string; problems: { path: string }[] } }
    expect(body.error.code).toBe('POLICY_INVALID')
    expect(body.error.problems.map((p) => p.path)).toEqual([
      '$.permission[0].action',
      '$.permission[1].duty[0].action',
    ])
  })
})

import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runOdrlConformance, summarise } from '../../conformance/odrl-suite.js'

const dir = resolve(
  process.env['ODRL_DATA'] ?? resolve(import.meta.dirname, '../../../shared/data/odrl'),
)

describe.skipIf(!existsSync(resolve(dir, 'cases.csv')))(
  'ODRL conformance (../shared/data/odrl)',
  () => {
    it('passes every case within scope, with at least 90% of SolidLab in scope', () => {
      const results = runOdrlConformance(dir)
      const failures = results
        .filter((r) => r.status === 'failed')
        .map((r) => `${r.suite} ${r.id}: ${r.detail}`)
      expect(failures).toEqual([])
      const solid = summarise(results).get('solidlab')
      expect(solid).toBeDefined()
      const s = solid as { passed: number; failed: number; skipped: number }
      expect(s.passed / (s.passed + s.failed + s.skipped)).toBeGreaterThanOrEqual(0.9)
      for (const r of results.filter((x) => x.status === 'skipped'))
        expect(r.detail).toMatch(/outside the decision model/)
    })
  },
)

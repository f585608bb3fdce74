import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { runOdrlConformance, summarise } from './odrl-suite.js'

const dir = resolve(
  process.env['ODRL_DATA'] ?? resolve(import.meta.dirname, '../../shared/data/odrl'),
)
if (!existsSync(resolve(dir, 'cases.csv'))) {
  process.stderr.write(`conformance:odrl: no cases.csv under ${dir} (set ODRL_DATA)\n`)
  process.exit(2)
}
const results = runOdrlConformance(dir)
for (const r of results)
  process.stdout.write(`${r.suite} ${r.id}: ${r.status.toUpperCase()} — ${r.detail}\n`)
const names: Record<string, string> = {
  solidlab: 'SolidLab ODRL-Test-Suite',
  w3c: 'W3C ODRL formal semantics',
}
let failed = 0
for (const [suite, s] of summarise(results)) {
  failed += s.failed
  const total = s.passed + s.failed + s.skipped
  const inScope = total === 0 ? 0 : ((s.passed + s.failed) / total) * 100
  process.stdout.write(
    `${names[suite] ?? suite} (${inScope.toFixed(1)}% in scope): ${s.passed} passed, ${s.failed} failed, ${s.skipped} skipped\n`,
  )
}
process.exitCode = failed === 0 ? 0 : 1

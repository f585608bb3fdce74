import D from 'better-sqlite3'
import { Kysely, SqliteDialect, sql } from 'kysely'
const d = new D(':memory:')
d.exec(`create table e(s text not null, k text not null, src text, eid text, b text, seq integer, g text, a text, asset text, asg text, kind text, units bigint, time text, period text, canonical text, rec text, primary key(s,k))`)
const db = new Kysely<any>({ dialect: new SqliteDialect({ database: d }) })
let run = 0
function rows() { run++; return Array.from({ length: 1000 }, (_, i) => ({ s: 'std_x', k: `["https://mill.example/printers/line-1","load-${run}-${i}"]`, src: 'https://mill.example/printers/line-1', eid: `load-${run}-${i}`, b: 'ubt_abc', seq: i, g: '0123456789abcdef', a: 'agr_x', asset: 'ast_x', asg: 'https://mill.example/', kind: 'units', units: 1 + i % 7, time: '2026-10-02T00:00:00.000Z', period: '2026-10', canonical: JSON.stringify({ data: { units: 1 }, datacontenttype: 'application/json', id: `load-${run}-${i}`, source: 'https://mill.example/printers/line-1', specversion: '1.0', subject: '0123456789abcdef', time: '2026-10-02T00:00:00.000Z', type: 'dev.selvedge.usage.units' }), rec: '2026-10-28T12:00:00.000Z' })) }
async function t(name: string, f: (rs: any[]) => Promise<unknown>) { const ts: number[] = []; for (let r = 0; r < 40; r++) { const rs = rows(); const t0 = performance.now(); await f(rs); ts.push(performance.now() - t0) } ts.sort((a, b) => a - b); console.log(name, ts[20]!.toFixed(2)) }
await t('kysely-values', (rs) => db.insertInto('e').values(rs).execute())
const cols = ['s','k','src','eid','b','seq','g','a','asset','asg','kind','units','time','period','canonical','rec']
await t('kysely-jsonb', (rs) => sql`insert into e select ${sql.raw(cols.map((_, i) => `j->>${i}`).join(','))} from (select jsonb(value) as j from json_each(${JSON.stringify(rs.map((r) => cols.map((c) => r[c])))}))`.execute(db))
await t('kysely-values-again', (rs) => db.insertInto('e').values(rs).execute())

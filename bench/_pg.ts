import pg from 'pg'
const c = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/test' })
await c.connect()
await c.query('create schema if not exists zz_bench_tmp; set search_path to zz_bench_tmp')
await c.query(`drop table if exists e; create table e(s text not null, k text not null, src text not null, eid text not null, b text not null, seq integer not null, g text not null, a text not null, asset text not null, asg text not null, kind text not null, units bigint not null, time text not null, period text not null, canonical text not null, rec text not null, primary key(s,k)); create index on e(s, period, g); create index on e(s,b,seq)`)
let run = 0
function rows() { run++; return Array.from({ length: 1000 }, (_, i) => ['std_x', `["https://mill.example/printers/line-1","load-${run}-${i}"]`, 'https://mill.example/printers/line-1', `load-${run}-${i}`, 'ubt_abc', i, '0123456789abcdef', 'agr_x', 'ast_x', 'https://mill.example/', 'units', 1 + i % 7, '2026-10-02T00:00:00.000Z', '2026-10', JSON.stringify({ data: { units: 1 }, datacontenttype: 'application/json', id: `load-${run}-${i}`, source: 'https://mill.example/printers/line-1', specversion: '1.0', subject: '0123456789abcdef', time: '2026-10-02T00:00:00.000Z', type: 'dev.selvedge.usage.units' }), '2026-10-28T12:00:00.000Z'] as unknown[]) }
async function t(name: string, f: (rs: unknown[][]) => Promise<unknown>) { const ts: number[] = []; for (let r = 0; r < 25; r++) { const rs = rows(); const t0 = performance.now(); await f(rs); ts.push(performance.now() - t0) } ts.sort((a, b) => a - b); console.log(name, ts[12]!.toFixed(2)) }
const ph = (r: number) => '(' + Array.from({ length: 16 }, (_, j) => `$${r * 16 + j + 1}`).join(',') + ')'
const values = 'insert into e values ' + Array.from({ length: 1000 }, (_, r) => ph(r)).join(',')
await t('values', (rs) => c.query(values, rs.flat()))
const types = ['text','text','text','text','text','int','text','text','text','text','text','bigint','text','text','text','text']
await t('unnest', (rs) => c.query(`insert into e select * from unnest(${types.map((ty, j) => `$${j + 1}::${ty}[]`).join(',')})`, types.map((_, j) => rs.map((r) => r[j]))))
await t('jsonb', (rs) => c.query(`insert into e select ${types.map((ty, j) => `(x->>${j})::${ty}`).join(',')} from jsonb_array_elements($1::jsonb) x`, [JSON.stringify(rs)]))
await t('json', (rs) => c.query(`insert into e select ${types.map((ty, j) => `(x->>${j})::${ty}`).join(',')} from json_array_elements($1::json) x`, [JSON.stringify(rs)]))
const keys = () => Array.from({ length: 1000 }, (_, i) => `["https://mill.example/printers/line-1","load-${run - 3}-${i}"]`)
await t('exist-in', async () => { const k = keys(); await c.query(`select k from e where s = $1 and k in (${k.map((_, i) => `$${i + 2}`).join(',')})`, ['std_x', ...k]) })
await t('exist-any', async () => { const k = keys(); await c.query(`select k from e where s = $1 and k = any($2::text[])`, ['std_x', k]) })
await t('exist-json', async () => { const k = keys(); await c.query(`select k from e where s = $1 and k in (select json_array_elements_text($2::json))`, ['std_x', JSON.stringify(k)]) })
await c.query('drop schema zz_bench_tmp cascade')
await c.end()

import { type Command, localCaller, UsageError } from '../context.js'

export const ledgerCommand: Command = {
  name: 'ledger',
  summary: 'the double-entry ledger: transactions, balances, credit notes',
  usage:
    'selvedge ledger transactions [--period YYYY-MM] | balances [--period YYYY-MM] | credit TX_ID [--memo TEXT] [--json]',
  options: { period: { type: 'string' }, memo: { type: 'string' } },
  async run(ctx) {
    const [action, id, ...rest] = ctx.positionals
    if (rest.length > 0) throw new UsageError('too many arguments')
    const period = typeof ctx.flags['period'] === 'string' ? ctx.flags['period'] : undefined
    const selvedge = await ctx.open()
    try {
      const caller = await localCaller(selvedge, ctx.env)
      switch (action) {
        case 'transactions': {
          const items = await selvedge.ledger.transactions(caller, period)
          ctx.result(
            { items: items.map((r) => ({ period: r.period, ...r.tx })) },
            items
              .map(
                (r) =>
                  `${r.tx.id} ${r.period} ${r.tx.kind} ${r.tx.currency} ${r.tx.entries
                    .map((e) => `${e.account}:${e.amountMinor}`)
                    .join(' ')}`,
              )
              .join('\n'),
          )
          return 0
        }
        case 'balances': {
          const items = await selvedge.ledger.balances(caller, period)
          ctx.result({ items }, items.map((b) => `${b.account} ${b.currency} ${b.sum}`).join('\n'))
          return 0
        }
        case 'credit': {
          if (id === undefined) throw new UsageError('credit takes TX_ID')
          const memo = typeof ctx.flags['memo'] === 'string' ? ctx.flags['memo'] : undefined
          const record = await selvedge.ledger.creditNote(caller, id, memo)
          ctx.result(
            { period: record.period, ...record.tx },
            `credit note ${record.tx.id} in ${record.period}`,
          )
          return 0
        }
        default:
          throw new UsageError('give transactions, balances or credit')
      }
    } finally {
      await selvedge.close()
    }
  },
}

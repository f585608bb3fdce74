import { type Command, localCaller, UsageError } from '../context.js'

export const walletCommand: Command = {
  name: 'wallet',
  summary: 'prepaid wallets: balances, top-ups and their confirmation',
  usage:
    'selvedge wallet balance [--party IRI] | topup --currency EUR --amount MINOR [--party IRI] [--confirm] | confirm PAYMENT_ID | payments [--json]',
  options: {
    party: { type: 'string' },
    currency: { type: 'string' },
    amount: { type: 'string' },
    confirm: { type: 'boolean' },
  },
  async run(ctx) {
    const [action, id, ...rest] = ctx.positionals
    if (rest.length > 0) throw new UsageError('too many arguments')
    const party = ctx.flags['party'] as string | undefined
    const selvedge = await ctx.open()
    try {
      const caller = await localCaller(selvedge, ctx.env)
      switch (action) {
        case 'balance': {
          const balances = await selvedge.wallets.balances(caller, party)
          ctx.result(
            { balances },
            balances.length === 0
              ? 'no balance'
              : balances.map((b) => `${b.currency} ${b.balanceMinor} (minor units)`).join('\n'),
          )
          return 0
        }
        case 'topup': {
          const currency = ctx.flags['currency']
          const amount = ctx.flags['amount']
          if (typeof currency !== 'string' || typeof amount !== 'string') {
            throw new UsageError('topup needs --currency and --amount (minor units)')
          }
          const amountMinor = /^\d+$/.test(amount) ? Number(amount) : Number.NaN
          const payment = await selvedge.wallets.requestTopUp(caller, {
            ...(party === undefined ? {} : { party }),
            currency,
            amountMinor,
            confirm: ctx.flags['confirm'] === true,
          })
          ctx.result(
            payment,
            `payment ${payment.id}: ${payment.amountMinor} ${payment.currency}, ${payment.status}`,
          )
          return 0
        }
        case 'confirm': {
          if (id === undefined) throw new UsageError('confirm takes PAYMENT_ID')
          const payment = await selvedge.wallets.confirm(caller, id)
          ctx.result(payment, `payment ${payment.id} confirmed`)
          return 0
        }
        case 'payments': {
          const items = await selvedge.wallets.payments(caller, party)
          ctx.result(
            { items },
            items
              .map((p) => `${p.id} ${p.party} ${p.amountMinor} ${p.currency} ${p.status}`)
              .join('\n'),
          )
          return 0
        }
        default:
          throw new UsageError('give balance, topup, confirm or payments')
      }
    } finally {
      await selvedge.close()
    }
  },
}

import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { toErrorResponse } from '../http/errors.js'
import { agreementCommand } from './commands/agreement.js'
import { analyseCommand } from './commands/analyse.js'
import { authorshipCommand } from './commands/authorship.js'
import { billingCommand } from './commands/billing.js'
import { credentialsCommand } from './commands/credentials.js'
import { decideCommand } from './commands/decide.js'
import { exportCommand } from './commands/export.js'
import { forensicsCommand } from './commands/forensics.js'
import { grantCommand } from './commands/grant.js'
import { ingestCommand } from './commands/ingest.js'
import { initCommand } from './commands/init.js'
import { keysCommand } from './commands/keys.js'
import { ledgerCommand } from './commands/ledger.js'
import { licenceCommand } from './commands/licence.js'
import { logCommand } from './commands/log.js'
import { searchCommand } from './commands/search.js'
import { serveCommand } from './commands/serve.js'
import { showCommand } from './commands/show.js'
import { usageCommand } from './commands/usage.js'
import { verifyCommand } from './commands/verify.js'
import { walletCommand } from './commands/wallet.js'
import { watermarkCommand } from './commands/watermark.js'
import { witnessCommand } from './commands/witness.js'
import { type Command, makeContext, UsageError } from './context.js'
import { EXIT_CODES, EXIT_USAGE } from './exit-codes.js'

const COMMANDS: readonly Command[] = [
  initCommand,
  serveCommand,
  analyseCommand,
  ingestCommand,
  showCommand,
  searchCommand,
  keysCommand,
  logCommand,
  witnessCommand,
  decideCommand,
  licenceCommand,
  agreementCommand,
  grantCommand,
  exportCommand,
  authorshipCommand,
  watermarkCommand,
  forensicsCommand,
  usageCommand,
  walletCommand,
  billingCommand,
  ledgerCommand,
  credentialsCommand,
  verifyCommand,
]

const COMMON = {
  data: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const

export interface Io {
  stdout(s: string): void
  stderr(s: string): void
  env: NodeJS.ProcessEnv
}

const processIo: Io = {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  env: process.env,
}

/** Runs the `selvedge` command line; resolves to the exit status. */
export async function main(argv: readonly string[], io: Io = processIo): Promise<number> {
  const [name, ...rest] = argv
  if (name === '--version' || name === '-v' || name === 'version') {
    io.stdout(`${version()}\n`)
    return 0
  }
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(helpText())
    return name === undefined ? EXIT_USAGE : 0
  }
  const command = COMMANDS.find((c) => c.name === name)
  if (command === undefined) {
    io.stderr(`selvedge: unknown command ${JSON.stringify(name)}\n\n${helpText()}`)
    return EXIT_USAGE
  }
  let parsed: ReturnType<typeof parseArgs>
  try {
    parsed = parseArgs({
      args: [...rest],
      options: { ...COMMON, ...command.options },
      allowPositionals: true,
      strict: true,
    })
  } catch (err) {
    io.stderr(`selvedge ${command.name}: ${(err as Error).message}\nusage: ${command.usage}\n`)
    return EXIT_USAGE
  }
  if (parsed.values['help'] === true) {
    io.stdout(`${command.summary}\n\nusage: ${command.usage}\n`)
    return 0
  }
  const ctx = makeContext({
    positionals: parsed.positionals,
    flags: parsed.values as Record<string, string | boolean | string[] | undefined>,
    stdout: io.stdout,
    stderr: io.stderr,
    env: io.env,
  })
  try {
    return await command.run(ctx)
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(`selvedge ${command.name}: ${err.message}\nusage: ${command.usage}\n`)
      return EXIT_USAGE
    }
    const { body } = toErrorResponse(err)
    const code = body.error.code as keyof typeof EXIT_CODES
    if (body.error.code === 'INTERNAL') io.stderr(`${(err as Error)?.stack ?? String(err)}\n`)
    if (ctx.json) io.stdout(`${JSON.stringify(body)}\n`)
    io.stderr(`selvedge ${command.name}: ${body.error.code}: ${body.error.message}\n`)
    return EXIT_CODES[code] ?? 1
  }
}

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string
  }
  return pkg.version
}

function helpText(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length))
  const lines = COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`)
  return `selvedge ${version()} — licensing, provenance and royalties for pattern studios

usage: selvedge <command> [--data DIR] [--json] …

commands:
${lines.join('\n')}

Every command takes --data DIR (default ./selvedge-data or $SELVEDGE_DATA) and --json
(machine-readable output on stdout). Run selvedge <command> --help for its options.
`
}

const DECIMAL = /^(?:0|[1-9][0-9]{0,15})$/

/** Parses an ASCII decimal without leading zeros as a safe integer, or undefined. */
export function parseDecimal(text: string): number | undefined {
  if (!DECIMAL.test(text)) return undefined
  const n = Number(text)
  return Number.isSafeInteger(n) ? n : undefined
}

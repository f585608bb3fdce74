// RFC 3339 §5.6 date-time, parsed by hand: Date.parse accepts forms RFC 3339 does not (no
// timezone, "2026-10-15 12:00", two-digit years) and treats a missing offset as local time,
// which would make parsing depend on the machine.
const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/

const MS_PER_MINUTE = 60_000

/**
 * Epoch milliseconds of an RFC 3339 date-time with a timezone (`Z` or `±hh:mm`); undefined when
 * malformed or out of range. Fractions beyond milliseconds are truncated. Leap seconds (`:60`)
 * are rejected: JavaScript time has no representation for them.
 */
export function parseTimestamp(text: string): number | undefined {
  const m = DATE_TIME.exec(text)
  if (m === null) return undefined
  const [year, month, day, hour, minute, second] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i]))
  if (
    year === undefined ||
    month === undefined ||
    day === undefined ||
    hour === undefined ||
    minute === undefined ||
    second === undefined
  ) {
    return undefined
  }
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined
  if (hour > 23 || minute > 59 || second > 59) return undefined
  const ms = Number((m[7] ?? '').padEnd(3, '0').slice(0, 3))
  let offsetMinutes = 0
  if (m[8] === undefined) {
    const oh = Number(m[10])
    const om = Number(m[11])
    if (oh > 23 || om > 59) return undefined
    offsetMinutes = (m[9] === '-' ? -1 : 1) * (oh * 60 + om)
  }
  const d = new Date(0)
  // setUTCFullYear, not Date.UTC: Date.UTC maps years 0–99 to 1900–1999.
  d.setUTCFullYear(year, month - 1, day)
  d.setUTCHours(hour, minute, second, ms)
  const t = d.getTime() - offsetMinutes * MS_PER_MINUTE
  // Keep to what toISOString writes with a four-digit year, so normalised times stay RFC 3339.
  return t < MIN_TIME || t > MAX_TIME ? undefined : t
}

// 0000-01-01T00:00:00.000Z and 9999-12-31T23:59:59.999Z.
const MIN_TIME = -62_167_219_200_000
const MAX_TIME = Date.UTC(9999, 11, 31, 23, 59, 59, 999)

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28
  return [4, 6, 9, 11].includes(month) ? 30 : 31
}

/** Epoch milliseconds as ISO 8601 UTC with milliseconds, e.g. `2026-10-15T12:00:00.000Z`. */
export function formatTimestamp(ms: number): string {
  return new Date(ms).toISOString()
}

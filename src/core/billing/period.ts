/**
 * Billing periods are calendar months in UTC, written `YYYY-MM`. Pure helpers: the caller
 * supplies every instant.
 */

const PERIOD = /^(\d{4})-(0[1-9]|1[0-2])$/

/** True for a well-formed `YYYY-MM` between 1970-01 and 9999-12. */
export function isPeriod(text: string): boolean {
  const m = PERIOD.exec(text)
  return m !== null && Number(m[1]) >= 1970
}

/** The period an ISO 8601 UTC instant falls in. */
export function periodOf(iso: string): string {
  const d = new Date(iso)
  return `${String(d.getUTCFullYear()).padStart(4, '0')}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`
}

/** The first instant of the period, ISO 8601 UTC. */
export function periodStart(period: string): string {
  return `${period}-01T00:00:00.000Z`
}

/** The first instant after the period (the start of the next one). */
export function periodEnd(period: string): string {
  return periodStart(nextPeriod(period))
}

/** The month after `period`. */
export function nextPeriod(period: string): string {
  const year = Number(period.slice(0, 4))
  const month = Number(period.slice(5, 7))
  return month === 12
    ? `${String(year + 1).padStart(4, '0')}-01`
    : `${period.slice(0, 4)}-${String(month + 1).padStart(2, '0')}`
}

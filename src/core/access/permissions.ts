import type { Role } from '../archive/index.js'
import { AccessError } from './access-error.js'

/** Who is calling: resolved from an API key, never from the request body. */
export interface Caller {
  readonly studioId: string
  readonly keyId: string
  readonly role: Role
  /** IRI of the party holding the key. */
  readonly party: string
}

export type Permission =
  /** See published assets' public fields. */
  | 'asset.read'
  /** See private assets and every field (designer shares, lineage to private work). */
  | 'asset.readPrivate'
  /** Ingest files and edit metadata. */
  | 'asset.write'
  /** Create and revoke keys. */
  | 'key.manage'
  /** Scan a file for the studio's watermark and near duplicates, and read the findings. */
  | 'forensics.scan'
  /** Report usage under a grant (outside parties: only their own grants). */
  | 'usage.report'
  /** Ask for a wallet top-up (outside parties: only their own wallet). */
  | 'wallet.topUp'
  /** Confirm payments, set prices, close billing periods. */
  | 'billing.manage'
  /** Read every wallet, the ledger and the billing documents. */
  | 'billing.read'

const PERMISSIONS: Record<Role, readonly Permission[]> = {
  owner: [
    'asset.read',
    'asset.readPrivate',
    'asset.write',
    'key.manage',
    'forensics.scan',
    'usage.report',
    'wallet.topUp',
    'billing.manage',
    'billing.read',
  ],
  designer: ['asset.read', 'asset.readPrivate', 'asset.write', 'forensics.scan'],
  licensee: ['asset.read', 'usage.report', 'wallet.topUp'],
  agent: ['asset.read', 'usage.report', 'wallet.topUp'],
  auditor: ['asset.read', 'forensics.scan', 'billing.read'],
}

/** Whether a role holds a permission. Closed world: anything not listed is refused. */
export function can(role: Role, permission: Permission): boolean {
  return PERMISSIONS[role].includes(permission)
}

/** Throws `AccessError('AUTH_FORBIDDEN')` unless the caller's role holds the permission. */
export function requirePermission(caller: Caller, permission: Permission): void {
  if (!can(caller.role, permission)) {
    throw new AccessError('AUTH_FORBIDDEN', `a ${caller.role} key may not do this (${permission})`)
  }
}

/**
 * True for an absolute IRI (RFC 3987 scheme followed by ':' and a non-empty rest, no spaces
 * or control characters). Parties are named by IRIs so that licences can refer to them.
 */
export function isAbsoluteIri(value: string): boolean {
  if (value.length > 2000 || !/^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>"{}|\\^`]+$/.test(value)) return false
  for (let i = 0; i < value.length; i++) if (value.charCodeAt(i) < 0x20) return false
  return true
}

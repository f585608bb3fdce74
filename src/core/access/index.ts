export type { AccessErrorCode } from './access-error.js'
export { AccessError } from './access-error.js'
export type { Caller, Permission } from './permissions.js'
export { can, isAbsoluteIri, requirePermission } from './permissions.js'

type MetadataKey = unknown
type Target = object
type Table = Map<string | symbol | undefined, Map<MetadataKey, unknown>>

/**
 * Installs the three `Reflect` metadata functions tsyringe (a dependency of @peculiar/x509)
 * calls, when no `reflect-metadata` polyfill is loaded: tsyringe refuses to load without them.
 * A WeakMap per target; idempotent; leaves an existing polyfill alone.
 */
export function installReflectMetadata(): void {
  const reflect = Reflect as unknown as Record<string, unknown>
  if (typeof reflect['getMetadata'] === 'function') return
  const tables = new WeakMap<Target, Table>()
  const slot = (target: Target, property: string | symbol | undefined, create: boolean) => {
    let table = tables.get(target)
    if (table === undefined) {
      if (!create) return undefined
      table = new Map()
      tables.set(target, table)
    }
    let entries = table.get(property)
    if (entries === undefined && create) {
      entries = new Map()
      table.set(property, entries)
    }
    return entries
  }
  reflect['defineMetadata'] = (
    key: MetadataKey,
    value: unknown,
    target: Target,
    property?: string | symbol,
  ) => {
    slot(target, property, true)?.set(key, value)
  }
  reflect['getOwnMetadata'] = (key: MetadataKey, target: Target, property?: string | symbol) =>
    slot(target, property, false)?.get(key)
  reflect['getMetadata'] = (key: MetadataKey, target: Target, property?: string | symbol) => {
    for (let t: Target | null = target; t !== null; t = Object.getPrototypeOf(t) as Target | null) {
      const entries = slot(t, property, false)
      if (entries?.has(key) === true) return entries.get(key)
    }
    return undefined
  }
}

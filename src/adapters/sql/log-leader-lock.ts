import type { LeaderLease, LeaderLock } from '../../app/ports.js'

/**
 * A leader lock for one process: the role goes to the first caller in this process until it
 * releases it. Right for SQLite, where the database has no session locks; appends from other
 * processes still serialise on the write lock and re-check the tree size.
 */
export class ProcessLeaderLock implements LeaderLock {
  private readonly held = new Set<string>()

  async tryAcquire(name: string): Promise<LeaderLease | null> {
    if (this.held.has(name)) return null
    this.held.add(name)
    let isHeld = true
    const held = this.held
    return {
      get isHeld() {
        return isHeld
      },
      async release() {
        if (!isHeld) return
        isHeld = false
        held.delete(name)
      },
    }
  }
}

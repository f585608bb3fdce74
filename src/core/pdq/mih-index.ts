import { PDQ_PACKED_WORDS, packPdqHash } from './hash-format.js'
import { popcount32 } from './popcount.js'

/**
 * How `MihIndex.search` finds candidates. `auto` (the default) probes buckets unless that would
 * cost more than reading every entry; `probe` and `scan` force one way, for tests and
 * benchmarks. All three return the same results.
 */
export type MihSearchStrategy = 'auto' | 'probe' | 'scan'

/** Construction options for `MihIndex`. */
export interface MihIndexOptions {
  /** Entries to allocate room for up front; the index grows past it as needed. Default 1024. */
  readonly capacity?: number
  /** Default `auto`. */
  readonly strategy?: MihSearchStrategy
}

/** One search hit: the id it was added under and its Hamming distance to the query. */
export interface MihMatch {
  readonly id: string
  readonly distance: number
}

// 16 slots of 16 bits: the split the reference's MIH uses for 256-bit PDQ (pdq/README-MIH.md).
const SLOTS = 16
const SLOT_BITS = 16
const SLOT_VALUES = 1 << SLOT_BITS
const NONE = -1
const MIN_CAPACITY = 16
// Entries added since the last bucket build sit in linked lists; rebuild once they exceed this
// many and an eighth of the built ones, so bulk loads pay for one counting sort at the end.
const MIN_PENDING_TO_BUILD = 1024
// Removed entries stay in place until they outnumber the live ones.
const MIN_DEAD_TO_COMPACT = 1024
// A probed candidate costs random reads (bucket order, then hash); a scanned entry costs
// sequential ones. Measured at a million entries, one candidate ≈ 24 scanned entries.
const CANDIDATE_COST = 24

const masksByRadius: Uint16Array[] = []

/** Every 16-bit mask with at most `radius` bits set, fewest bits first; cached per radius. */
function masksWithin(radius: number): Uint16Array {
  let masks = masksByRadius[radius]
  if (masks === undefined) {
    const list: number[] = []
    for (let bits = 0; bits <= radius; bits++) {
      for (let m = 0; m < SLOT_VALUES; m++) if (popcount32(m) === bits) list.push(m)
    }
    masks = Uint16Array.from(list)
    masksByRadius[radius] = masks
  }
  return masks
}

function slotOf(words: Uint32Array, at: number, s: number): number {
  return ((words[at + (s >> 1)] as number) >>> ((s & 1) * SLOT_BITS)) & 0xffff
}

function compareMatches(a: MihMatch, b: MihMatch): number {
  if (a.distance !== b.distance) return a.distance - b.distance
  if (a.id === b.id) return 0
  return a.id < b.id ? -1 : 1
}

/**
 * Multi-index hashing over 256-bit PDQ hashes (Norouzi, Punjani and Fleet, 2012): each hash is
 * cut into 16 slots of 16 bits and bucketed under each slot's value. If two hashes are within
 * distance `d`, some slot differs in at most `floor(d / 16)` bits (pigeonhole), so probing the
 * buckets of every slot value within that radius of the query's finds every match; candidates
 * are then checked at full length. `search` is therefore exact at every distance; at PDQ's
 * match threshold of 31 it probes 17 buckets per slot. When the probes would cost more than
 * reading every entry, it scans instead, with the same result.
 *
 * Storage is typed arrays: per entry 8 words of hash plus one 32-bit position in each slot's
 * bucket order, about 100 bytes before the ids themselves, so a million hashes take a few
 * hundred megabytes with their ids. Buckets are rebuilt lazily (a counting sort per slot) when
 * enough entries were added since the last build; bulk loading then searching pays for one
 * build. Not safe for concurrent use.
 */
export class MihIndex {
  private words: Uint32Array
  /** Entry number to id; `undefined` once removed. */
  private ids: (string | undefined)[] = []
  private readonly entryOf = new Map<string, number>()
  private used = 0
  private dead = 0

  /** Entries `[0, built)`, bucketed: slot `s` value `v` is `order[s·built + starts[s·65537 + v] …]`. */
  private built = 0
  private order = new Int32Array(0)
  private starts = new Int32Array(0)

  /** Entries `[built, used)`: newest-first lists, `pendingLinks[(e - built)·16 + s]` → next. */
  private readonly pendingHeads = new Int32Array(SLOTS * SLOT_VALUES).fill(NONE)
  private pendingLinks: Int32Array

  private readonly query = new Uint32Array(PDQ_PACKED_WORDS)
  private readonly strategy: MihSearchStrategy

  /** An empty index. */
  constructor(options: MihIndexOptions = {}) {
    this.strategy = options.strategy ?? 'auto'
    const n = Math.max(MIN_CAPACITY, Math.floor(options.capacity ?? 1024) || 0)
    this.words = new Uint32Array(n * PDQ_PACKED_WORDS)
    this.pendingLinks = new Int32Array(Math.min(n, 4 * MIN_PENDING_TO_BUILD) * SLOTS)
  }

  /** Number of ids currently indexed. */
  get size(): number {
    return this.entryOf.size
  }

  /** Whether `id` is indexed. */
  has(id: string): boolean {
    return this.entryOf.has(id)
  }

  /**
   * Indexes `hashHex` under `id`, replacing any hash `id` already had. Throws
   * `PdqError('PDQ_INVALID_HASH')` for malformed hashes, leaving the index unchanged.
   */
  add(id: string, hashHex: string): void {
    packPdqHash(hashHex, this.query)
    this.remove(id)
    const e = this.used
    if ((e + 1) * PDQ_PACKED_WORDS > this.words.length) {
      const words = new Uint32Array(this.words.length * 2)
      words.set(this.words.subarray(0, e * PDQ_PACKED_WORDS))
      this.words = words
    }
    this.words.set(this.query, e * PDQ_PACKED_WORDS)
    this.used++
    this.ids[e] = id
    this.entryOf.set(id, e)
    this.linkPending(e)
  }

  /** Removes `id`; returns whether it was indexed. */
  remove(id: string): boolean {
    const e = this.entryOf.get(id)
    if (e === undefined) return false
    this.entryOf.delete(id)
    this.ids[e] = undefined
    this.dead++
    if (this.dead >= MIN_DEAD_TO_COMPACT && this.dead > this.entryOf.size) this.compact()
    return true
  }

  /**
   * Every indexed id whose hash is within `maxDistance` bits of `hashHex`, sorted by distance
   * then by id (UTF-16 code unit order). Exact: the result equals a linear scan's at any
   * distance. `maxDistance` is floored; below 0 (or NaN) nothing matches. Throws
   * `PdqError('PDQ_INVALID_HASH')` for a malformed query.
   */
  search(hashHex: string, maxDistance: number): MihMatch[] {
    const q = packPdqHash(hashHex, this.query)
    const limit = Math.min(Math.floor(maxDistance), SLOTS * SLOT_BITS)
    if (!(limit >= 0)) return []
    const radius = Math.floor(limit / SLOTS)
    const probes = SLOTS * masksWithin(radius).length
    const candidates = (probes * this.used) / SLOT_VALUES
    const isScan =
      this.strategy === 'auto'
        ? probes + CANDIDATE_COST * candidates >= this.used
        : this.strategy === 'scan'
    const out = isScan ? this.scan(q, limit) : this.probe(q, limit, radius)
    return out.sort(compareMatches)
  }

  private probe(q: Uint32Array, limit: number, radius: number): MihMatch[] {
    if (this.isBuildDue()) this.build()
    const masks = masksWithin(radius)
    const out: MihMatch[] = []
    const { words, order, starts, built, pendingHeads, pendingLinks } = this
    for (let s = 0; s < SLOTS; s++) {
      const value = slotOf(q, 0, s)
      const orderBase = s * built
      const startBase = s * (SLOT_VALUES + 1)
      const headBase = s * SLOT_VALUES
      for (let k = 0; k < masks.length; k++) {
        const v = value ^ (masks[k] as number)
        const end = built > 0 ? (starts[startBase + v + 1] as number) : 0
        for (let i = built > 0 ? (starts[startBase + v] as number) : 0; i < end; i++) {
          const e = order[orderBase + i] as number
          if (distanceAt(words, e * PDQ_PACKED_WORDS, q) <= limit) this.report(e, q, s, radius, out)
        }
        for (let e = pendingHeads[headBase + v] as number; e !== NONE; ) {
          if (distanceAt(words, e * PDQ_PACKED_WORDS, q) <= limit) this.report(e, q, s, radius, out)
          e = pendingLinks[(e - built) * SLOTS + s] as number
        }
      }
    }
    return out
  }

  /**
   * Reports entry `e`, already known to be within the limit and reached through slot `s`,
   * unless it was removed or an earlier slot is also within `radius` of the query: a match is
   * reached through every such slot, and keeping only the first needs no visited set.
   */
  private report(e: number, q: Uint32Array, s: number, radius: number, out: MihMatch[]): void {
    const id = this.ids[e]
    if (id === undefined) return
    const at = e * PDQ_PACKED_WORDS
    for (let t = 0; t < s; t++) {
      if (popcount32(slotOf(this.words, at, t) ^ slotOf(q, 0, t)) <= radius) return
    }
    out.push({ id, distance: distanceAt(this.words, at, q) })
  }

  private scan(q: Uint32Array, limit: number): MihMatch[] {
    const out: MihMatch[] = []
    for (let e = 0; e < this.used; e++) {
      const id = this.ids[e]
      if (id === undefined) continue
      const distance = distanceAt(this.words, e * PDQ_PACKED_WORDS, q)
      if (distance <= limit) out.push({ id, distance })
    }
    return out
  }

  /** Whether enough entries arrived since the last build to rebuild before the next probe. */
  private isBuildDue(): boolean {
    const pending = this.used - this.built
    return pending >= MIN_PENDING_TO_BUILD && pending * 8 > this.built
  }

  private linkPending(e: number): void {
    // Once a rebuild is due, the lists will be discarded unread: skip the work (bulk loads).
    if (this.isBuildDue()) return
    const p = e - this.built
    if ((p + 1) * SLOTS > this.pendingLinks.length) {
      const links = new Int32Array(this.pendingLinks.length * 2)
      links.set(this.pendingLinks)
      this.pendingLinks = links
    }
    const at = e * PDQ_PACKED_WORDS
    for (let s = 0; s < SLOTS; s++) {
      const h = s * SLOT_VALUES + slotOf(this.words, at, s)
      this.pendingLinks[p * SLOTS + s] = this.pendingHeads[h] as number
      this.pendingHeads[h] = e
    }
  }

  /** Counting-sorts every entry into per-slot bucket order and empties the pending lists. */
  private build(): void {
    const n = this.used
    if (this.order.length < n * SLOTS) this.order = new Int32Array(n * SLOTS)
    if (this.starts.length === 0) this.starts = new Int32Array(SLOTS * (SLOT_VALUES + 1))
    const { words, order, starts } = this
    const cursor = new Int32Array(SLOT_VALUES)
    for (let s = 0; s < SLOTS; s++) {
      const startBase = s * (SLOT_VALUES + 1)
      starts.fill(0, startBase, startBase + SLOT_VALUES + 1)
      for (let e = 0; e < n; e++) {
        const v = slotOf(words, e * PDQ_PACKED_WORDS, s)
        starts[startBase + v + 1] = (starts[startBase + v + 1] as number) + 1
      }
      for (let v = 0; v < SLOT_VALUES; v++) {
        starts[startBase + v + 1] =
          (starts[startBase + v + 1] as number) + (starts[startBase + v] as number)
      }
      cursor.set(starts.subarray(startBase, startBase + SLOT_VALUES))
      const orderBase = s * n
      for (let e = 0; e < n; e++) {
        const v = slotOf(words, e * PDQ_PACKED_WORDS, s)
        const pos = cursor[v] as number
        order[orderBase + pos] = e
        cursor[v] = pos + 1
      }
    }
    this.built = n
    this.pendingHeads.fill(NONE)
    if (this.pendingLinks.length > 4 * MIN_PENDING_TO_BUILD * SLOTS) {
      this.pendingLinks = new Int32Array(4 * MIN_PENDING_TO_BUILD * SLOTS)
    }
  }

  /** Drops removed entries, keeping the survivors' order, and rebuilds the buckets. */
  private compact(): void {
    let live = 0
    for (let e = 0; e < this.used; e++) {
      const id = this.ids[e]
      if (id === undefined) continue
      if (live !== e) {
        this.words.copyWithin(
          live * PDQ_PACKED_WORDS,
          e * PDQ_PACKED_WORDS,
          (e + 1) * PDQ_PACKED_WORDS,
        )
      }
      this.ids[live] = id
      this.entryOf.set(id, live)
      live++
    }
    this.ids.length = live
    this.used = live
    this.dead = 0
    this.build()
  }
}

function distanceAt(words: Uint32Array, at: number, q: Uint32Array): number {
  let d = 0
  for (let k = 0; k < PDQ_PACKED_WORDS; k++) {
    d += popcount32((words[at + k] as number) ^ (q[k] as number))
  }
  return d
}

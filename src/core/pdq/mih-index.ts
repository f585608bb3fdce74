import { PDQ_PACKED_WORDS, packPdqHash } from './hash-format.js'
import { linearScan } from './linear-scan.js'
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
// A bucket record: the entry number, then three whole hash words (96 bits) that do not hold
// the record's slot. 16 bytes, so four records share a cache line and none straddles two.
const RECORD_WORDS = 4
const EMPTY_RECORDS = new Uint32Array(0)
// A cache line holds 16 words: four records.
const LINE_WORDS = 16
// Entries added since the last bucket build sit in linked lists; rebuild once they exceed this
// many and an eighth of the built ones, so bulk loads pay for one counting sort at the end.
const MIN_PENDING_TO_BUILD = 1024
// Removed entries stay in place until they outnumber the live ones.
const MIN_DEAD_TO_COMPACT = 1024
// Search costs in units of one scanned entry (`linearScan`, about 10 ns), measured from 256 to
// 131,072 entries at distances 0 to 47: a probed bucket costs a random read of its bounds,
// about 2 to 4 units; a candidate's record costs well under one unit, more when the pre-filter
// passes many (wide distances). Small indexes are scanned; either way takes microseconds.
const PROBE_COST = 4
const CANDIDATE_COST = 1

/**
 * For the slots in packed word `w` (slots `2w` and `2w + 1`), the three packed words their
 * bucket records carry. Any three words other than `w` will do: the slot's own word is already
 * half known from the bucket it sits in.
 */
const TAG_WORDS: readonly (readonly [number, number, number])[] = Array.from(
  { length: PDQ_PACKED_WORDS },
  (_, w) => [(w + 1) & 7, (w + 3) & 7, (w + 5) & 7] as const,
)

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
 * match threshold of 31 it probes 17 buckets per slot, about 4,200 candidates at a million
 * uniformly random entries. When the probes would cost more than reading every entry, it scans
 * instead, with the same result.
 *
 * Candidates are filtered before the hash is read. A bucket holds records, not bare entry
 * numbers: each carries three of the hash's eight words, so a candidate is first bounded from
 * the bucket's own sequential memory by the bits the probe flipped in its slot plus its
 * distance over those 96 bits, a lower bound on its full distance. A random candidate differs
 * in about 48 of them, so at distance 31 only about 1 in 6,000 survives to the random read of
 * its full hash; nothing is deduplicated until a candidate is known to match (a match is met
 * once per slot within the radius, and reported through the first). Before filtering a slot's
 * buckets, `touchBuckets` reads one word per cache line of them, so their misses overlap.
 *
 * Memory: per entry 32 bytes of hash plus 16 slots × 16-byte records, 288 bytes, plus its id
 * string and a `Map` entry; fixed costs are two 4 MiB tables, allocated on first use. A
 * million entries hold about 290 MB of typed arrays, 256 MB of it records. That buys the
 * speed: at a million uniformly random entries and distance 31 a query takes about 0.05 to
 * 0.08 ms of CPU, around 100 times less than `linearScan` (`npm run bench:analyse`). Records
 * carrying two words (192 bytes per entry) let about 40% of candidates through, for about
 * 0.33 ms; bare 4-byte entry numbers (64 bytes per entry) cost about 0.7 ms.
 * Buckets are rebuilt lazily (a counting sort per slot) when enough entries were added since
 * the last build; bulk loading then searching pays for one build. Not safe for concurrent use.
 */
export class MihIndex {
  private words: Uint32Array
  /** Entry number to id; `undefined` once removed. */
  private ids: (string | undefined)[] = []
  private readonly entryOf = new Map<string, number>()
  private used = 0
  private dead = 0

  /**
   * Entries `[0, built)`, bucketed: slot `s` value `v` is records `starts[s·65537 + v]` up to
   * `starts[s·65537 + v + 1]` of `records[s]`, each `RECORD_WORDS` words. One array per slot
   * keeps each under the 4 GiB a typed array may hold, up to 2^28 entries.
   */
  private built = 0
  private readonly records: Uint32Array[] = Array.from({ length: SLOTS }, () => EMPTY_RECORDS)
  private starts = new Int32Array(0)
  /** Sum of the words `touchBuckets` read, kept only so those reads cannot be optimised away. */
  private touched = 0

  /**
   * Entries `[built, linked)`: newest-first lists, `pendingLinks[(e - built)·16 + s]` → next.
   * Entries are linked only when a probe needs them, so an index that is only scanned, or bulk
   * loaded and then rebuilt, never pays for the lists.
   */
  private linked = 0
  private pendingHeads = new Int32Array(0)
  private pendingLinks = new Int32Array(0)

  private readonly query = new Uint32Array(PDQ_PACKED_WORDS)
  private readonly strategy: MihSearchStrategy

  /** An empty index. */
  constructor(options: MihIndexOptions = {}) {
    this.strategy = options.strategy ?? 'auto'
    const n = Math.max(MIN_CAPACITY, Math.floor(options.capacity ?? 1024) || 0)
    this.words = new Uint32Array(n * PDQ_PACKED_WORDS)
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
        ? PROBE_COST * probes + CANDIDATE_COST * candidates >= this.used
        : this.strategy === 'scan'
    const out = isScan ? this.scan(q, limit) : this.probe(q, limit, radius)
    return out.sort(compareMatches)
  }

  private probe(q: Uint32Array, limit: number, radius: number): MihMatch[] {
    if (this.isBuildDue()) this.build()
    else this.linkPending()
    const masks = masksWithin(radius)
    const out: MihMatch[] = []
    const { words, starts, built, pendingHeads, pendingLinks } = this
    const hasPending = this.linked > built
    // Locals, not module constants, in the loops below: a loader that compiles modules to
    // CommonJS turns every imported name into a property read.
    const stride = PDQ_PACKED_WORDS
    let touched = this.touched
    for (let s = 0; s < SLOTS; s++) {
      const records = this.records[s] as Uint32Array
      const value = slotOf(q, 0, s)
      const [ta, tb, tc] = TAG_WORDS[s >> 1] as readonly [number, number, number]
      const qa = q[ta] as number
      const qb = q[tb] as number
      const qc = q[tc] as number
      const startBase = s * (SLOT_VALUES + 1)
      const headBase = s * SLOT_VALUES
      if (built > 0) touched ^= touchBuckets(records, starts, startBase, value, masks)
      for (let k = 0; k < masks.length; k++) {
        const mask = masks[k] as number
        const v = value ^ mask
        if (built > 0) {
          // Lower bound on a record's distance: the slot bits this probe flipped plus its
          // distance over the 96 bits it carries. Only records within the limit are read in full.
          const budget = limit - popcount32(mask)
          const end = (starts[startBase + v + 1] as number) * RECORD_WORDS
          for (let r = (starts[startBase + v] as number) * RECORD_WORDS; r < end; ) {
            const e = records[r] as number
            const tagDistance = popcount96(
              (records[r + 1] as number) ^ qa,
              (records[r + 2] as number) ^ qb,
              (records[r + 3] as number) ^ qc,
            )
            r += RECORD_WORDS
            if (tagDistance > budget) continue
            const distance = distanceAt(words, e * stride, q)
            if (distance <= limit) this.report(e, distance, q, s, radius, out)
          }
        }
        if (!hasPending) continue
        for (let e = pendingHeads[headBase + v] as number; e !== NONE; ) {
          const distance = distanceAt(words, e * stride, q)
          if (distance <= limit) this.report(e, distance, q, s, radius, out)
          e = pendingLinks[(e - built) * SLOTS + s] as number
        }
      }
    }
    this.touched = touched
    return out
  }

  /**
   * Reports entry `e`, already known to be `distance` from the query and reached through slot
   * `s`, unless it was removed or an earlier slot is also within `radius` of the query: a match
   * is reached through every such slot, and keeping only the first needs no visited set.
   */
  private report(
    e: number,
    distance: number,
    q: Uint32Array,
    s: number,
    radius: number,
    out: MihMatch[],
  ): void {
    const id = this.ids[e]
    if (id === undefined) return
    const at = e * PDQ_PACKED_WORDS
    for (let t = 0; t < s; t++) {
      if (popcount32(slotOf(this.words, at, t) ^ slotOf(q, 0, t)) <= radius) return
    }
    out.push({ id, distance })
  }

  private scan(q: Uint32Array, limit: number): MihMatch[] {
    const out: MihMatch[] = []
    const words = this.words.subarray(0, this.used * PDQ_PACKED_WORDS)
    for (const { index, distance } of linearScan(words, q, limit)) {
      const id = this.ids[index]
      if (id !== undefined) out.push({ id, distance })
    }
    return out
  }

  /** Whether enough entries arrived since the last build to rebuild before the next probe. */
  private isBuildDue(): boolean {
    const pending = this.used - this.built
    return pending >= MIN_PENDING_TO_BUILD && pending * 8 > this.built
  }

  /** Links entries `[linked, used)` into the pending lists. */
  private linkPending(): void {
    if (this.linked === this.used) return
    if (this.pendingHeads.length === 0) {
      this.pendingHeads = new Int32Array(SLOTS * SLOT_VALUES).fill(NONE)
    }
    const needed = (this.used - this.built) * SLOTS
    if (needed > this.pendingLinks.length) {
      const links = new Int32Array(Math.max(needed, 2 * this.pendingLinks.length))
      links.set(this.pendingLinks)
      this.pendingLinks = links
    }
    const { words, pendingHeads, pendingLinks, built } = this
    for (let e = this.linked; e < this.used; e++) {
      const at = e * PDQ_PACKED_WORDS
      const p = (e - built) * SLOTS
      for (let s = 0; s < SLOTS; s++) {
        const h = s * SLOT_VALUES + slotOf(words, at, s)
        pendingLinks[p + s] = pendingHeads[h] as number
        pendingHeads[h] = e
      }
    }
    this.linked = this.used
  }

  /** Counting-sorts every entry into per-slot bucket records and empties the pending lists. */
  private build(): void {
    const n = this.used
    if (this.starts.length === 0) this.starts = new Int32Array(SLOTS * (SLOT_VALUES + 1))
    const { words, starts } = this
    starts.fill(0)
    for (let e = 0; e < n; e++) {
      const at = e * PDQ_PACKED_WORDS
      for (let s = 0; s < SLOTS; s++) {
        const i = s * (SLOT_VALUES + 1) + slotOf(words, at, s) + 1
        starts[i] = (starts[i] as number) + 1
      }
    }
    const cursor = new Int32Array(SLOT_VALUES)
    for (let s = 0; s < SLOTS; s++) {
      const startBase = s * (SLOT_VALUES + 1)
      for (let v = 0; v < SLOT_VALUES; v++) {
        starts[startBase + v + 1] =
          (starts[startBase + v + 1] as number) + (starts[startBase + v] as number)
      }
      cursor.set(starts.subarray(startBase, startBase + SLOT_VALUES))
      let records = this.records[s] as Uint32Array
      if (records.length < n * RECORD_WORDS) {
        // Drop the old array before allocating its successor: a slot's records for a million
        // entries are 16 MB, and they are about to be rewritten anyway.
        this.records[s] = EMPTY_RECORDS
        records = new Uint32Array(n * RECORD_WORDS)
        this.records[s] = records
      }
      const [ta, tb, tc] = TAG_WORDS[s >> 1] as readonly [number, number, number]
      for (let e = 0; e < n; e++) {
        const at = e * PDQ_PACKED_WORDS
        const v = slotOf(words, at, s)
        const pos = cursor[v] as number
        cursor[v] = pos + 1
        const r = pos * RECORD_WORDS
        records[r] = e
        records[r + 1] = words[at + ta] as number
        records[r + 2] = words[at + tb] as number
        records[r + 3] = words[at + tc] as number
      }
    }
    this.built = n
    this.linked = n
    this.pendingHeads.fill(NONE)
    if (this.pendingLinks.length > 4 * MIN_PENDING_TO_BUILD * SLOTS) {
      this.pendingLinks = new Int32Array(0)
    }
  }

  /** Drops removed entries, keeping the survivors' order; the next probe rebuilds the buckets. */
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
    this.built = 0
    this.linked = 0
    this.pendingHeads.fill(NONE)
  }
}

function distanceAt(words: Uint32Array, at: number, q: Uint32Array): number {
  let d = 0
  for (let k = 0; k < PDQ_PACKED_WORDS; k++) {
    d += popcount32((words[at + k] as number) ^ (q[k] as number))
  }
  return d
}

/** Set bits in three 32-bit words together: one SWAR popcount that sums before folding. */
function popcount96(a: number, b: number, c: number): number {
  let x = (a - ((a >>> 1) & 0x55555555)) | 0
  let y = (b - ((b >>> 1) & 0x55555555)) | 0
  let z = (c - ((c >>> 1) & 0x55555555)) | 0
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333)
  y = (y & 0x33333333) + ((y >>> 2) & 0x33333333)
  z = (z & 0x33333333) + ((z >>> 2) & 0x33333333)
  // Each nibble now counts at most 4 bits, so the three sum to at most 12 without carrying;
  // `| 0` keeps the sum in 32 bits (its top bit may be set), which is all the folds read.
  const n = (x + y + z) | 0
  const bytes = (n & 0x0f0f0f0f) + ((n >>> 4) & 0x0f0f0f0f)
  return Math.imul(bytes, 0x01010101) >>> 24
}

/**
 * Reads one word of every cache line the buckets of `value ^ mask` (each of `masks`) span in
 * one slot's records, and returns their sum. The reads do not depend on each other, so the
 * processor has all those cache and TLB misses in flight at once, before the filter loop,
 * whose next bucket waits for its first record, would reach them one by one.
 */
function touchBuckets(
  records: Uint32Array,
  starts: Int32Array,
  startBase: number,
  value: number,
  masks: Uint16Array,
): number {
  let sum = 0
  for (let k = 0; k < masks.length; k++) {
    const v = value ^ (masks[k] as number)
    const end = (starts[startBase + v + 1] as number) * RECORD_WORDS
    const begin = (starts[startBase + v] as number) * RECORD_WORDS
    for (let r = begin - (begin % LINE_WORDS); r < end; r += LINE_WORDS) {
      sum = (sum + (records[r] as number)) | 0
    }
  }
  return sum
}

/**
 * An open-addressing hash table from 24-bit packed RGB (`r << 16 | g << 8 | b`) to a 32-bit
 * integer, with a fixed capacity. Much faster than `Map` in per-pixel loops.
 */
export class ColourTable {
  readonly capacity: number
  private readonly keys: Int32Array
  private readonly values: Int32Array
  private readonly shift: number
  private used = 0

  /** A table that holds at most `capacity` keys (rounded up to a power of two, load ≤ 1/2). */
  constructor(capacity: number) {
    let bits = 4
    while (1 << bits < capacity * 2) bits++
    this.capacity = capacity
    this.keys = new Int32Array(1 << bits)
    this.values = new Int32Array(1 << bits)
    this.shift = 32 - bits
  }

  /** Number of keys stored. */
  get size(): number {
    return this.used
  }

  /** The value stored for `key`, or -1 when absent. Values must be ≥ 0 to be told apart. */
  get(key: number): number {
    const mask = this.keys.length - 1
    // Keys are stored plus one so that 0 marks an empty slot.
    const k = key + 1
    for (let i = Math.imul(k, 0x9e3779b1) >>> this.shift; ; i = (i + 1) & mask) {
      const s = this.keys[i] as number
      if (s === k) return this.values[i] as number
      if (s === 0) return -1
    }
  }

  /** Stores `value` for `key`. Returns false, storing nothing, when a new key would not fit. */
  set(key: number, value: number): boolean {
    const mask = this.keys.length - 1
    const k = key + 1
    for (let i = Math.imul(k, 0x9e3779b1) >>> this.shift; ; i = (i + 1) & mask) {
      const s = this.keys[i] as number
      if (s === k) {
        this.values[i] = value
        return true
      }
      if (s === 0) {
        if (this.used >= this.capacity) return false
        this.keys[i] = k
        this.values[i] = value
        this.used++
        return true
      }
    }
  }
}

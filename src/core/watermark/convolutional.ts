// Rate-1/3 convolutional code, constraint length 7, generators 133, 171, 165 (octal): the
// code of 3GPP TS 36.212 §5.1.3.1, here zero-terminated. Its free distance is 15, so maximum-
// likelihood (Viterbi) decoding corrects any 7 wrong coded bits; soft decisions gain a further
// ~2 dB over hard ones, which is why it is used rather than Reed–Solomon.

const K = 7
const STATES = 1 << (K - 1)
const GENERATORS = [0o133, 0o171, 0o165] as const

/** Coded bits per input bit. */
export const CODE_RATE_INVERSE = GENERATORS.length
/** Zero bits appended to terminate the trellis. */
export const TAIL_BITS = K - 1
/** Errors in hard decisions that decoding is guaranteed to correct. */
export const GUARANTEED_CORRECTIONS = 7

function parity(v: number): number {
  let x = v
  x ^= x >> 4
  x ^= x >> 2
  x ^= x >> 1
  return x & 1
}

// OUTPUTS[(b << 6) | state] = the three coded bits (bit j = generator j) for input b.
const OUTPUTS = (() => {
  const out = new Uint8Array(2 * STATES)
  for (let reg = 0; reg < 2 * STATES; reg++) {
    let o = 0
    for (let j = 0; j < GENERATORS.length; j++) o |= parity(reg & (GENERATORS[j] as number)) << j
    out[reg] = o
  }
  return out
})()

/** Number of coded bits for `infoBits` input bits, tail included. */
export function codedLength(infoBits: number): number {
  return (infoBits + TAIL_BITS) * CODE_RATE_INVERSE
}

/** Encodes bits (0/1) and the zero tail; returns `codedLength(bits.length)` bits (0/1). */
export function convolutionalEncode(bits: Uint8Array): Uint8Array {
  const out = new Uint8Array(codedLength(bits.length))
  let state = 0
  for (let t = 0; t < bits.length + TAIL_BITS; t++) {
    const b = t < bits.length ? (bits[t] as number) & 1 : 0
    const reg = (b << (K - 1)) | state
    const o = OUTPUTS[reg] as number
    for (let j = 0; j < CODE_RATE_INVERSE; j++) out[t * CODE_RATE_INVERSE + j] = (o >> j) & 1
    state = reg >> 1
  }
  return out
}

/**
 * Maximum-likelihood decoding of soft values (positive means 1, magnitude the confidence) by the
 * Viterbi algorithm over the terminated trellis. Returns `infoBits` bits (0/1). Throws RangeError
 * when `soft` does not hold `codedLength(infoBits)` values.
 */
export function viterbiDecode(soft: ArrayLike<number>, infoBits: number): Uint8Array {
  const steps = infoBits + TAIL_BITS
  if (soft.length !== steps * CODE_RATE_INVERSE) {
    throw new RangeError(`expected ${steps * CODE_RATE_INVERSE} soft values, got ${soft.length}`)
  }
  let metric = new Float64Array(STATES).fill(Number.NEGATIVE_INFINITY)
  let next = new Float64Array(STATES)
  metric[0] = 0
  const choice = new Uint8Array(steps * STATES)
  const branch = new Float64Array(8)
  for (let t = 0; t < steps; t++) {
    for (let o = 0; o < 8; o++) {
      let m = 0
      for (let j = 0; j < CODE_RATE_INVERSE; j++) {
        const s = soft[t * CODE_RATE_INVERSE + j] as number
        m += (o >> j) & 1 ? s : -s
      }
      branch[o] = m
    }
    const isTail = t >= infoBits
    next.fill(Number.NEGATIVE_INFINITY)
    for (let ns = 0; ns < STATES; ns++) {
      const b = ns >> (K - 2)
      if (isTail && b === 1) continue
      // Predecessors of ns: ((ns << 1) & (STATES−1)) | lsb, for lsb 0 and 1.
      const p0 = (ns << 1) & (STATES - 1)
      const p1 = p0 | 1
      const m0 = (metric[p0] as number) + (branch[OUTPUTS[(b << (K - 1)) | p0] as number] as number)
      const m1 = (metric[p1] as number) + (branch[OUTPUTS[(b << (K - 1)) | p1] as number] as number)
      if (m1 > m0) {
        next[ns] = m1
        choice[t * STATES + ns] = 1
      } else {
        next[ns] = m0
      }
    }
    const tmp = metric
    metric = next
    next = tmp
  }
  const out = new Uint8Array(infoBits)
  let state = 0
  for (let t = steps - 1; t >= 0; t--) {
    if (t < infoBits) out[t] = state >> (K - 2)
    state = ((state << 1) & (STATES - 1)) | (choice[t * STATES + state] as number)
  }
  return out
}

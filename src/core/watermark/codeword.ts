import { convolutionalEncode, viterbiDecode } from './convolutional.js'
import { crc24 } from './crc24.js'
import { INFO_BITS, PAYLOAD_BYTES } from './layout.js'

function withCrc(payload: Uint8Array): Uint8Array {
  const data = new Uint8Array(PAYLOAD_BYTES + 3)
  data.set(payload.subarray(0, PAYLOAD_BYTES))
  const crc = crc24(payload)
  data[PAYLOAD_BYTES] = crc >> 16
  data[PAYLOAD_BYTES + 1] = (crc >> 8) & 255
  data[PAYLOAD_BYTES + 2] = crc & 255
  return data
}

/** Payload → payload ‖ CRC-24 → convolutional code: CODE_BITS coded bits (0/1). */
export function encodePayload(payload: Uint8Array): Uint8Array {
  return convolutionalEncode(bytesToBits(withCrc(payload)))
}

/** Bits (0/1) → bytes, MSB first; a last partial byte is zero-padded. */
export function bitsToBytes(bits: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array((bits.length + 7) >> 3)
  for (let i = 0; i < bits.length; i++) {
    if (bits[i]) out[i >> 3] = (out[i >> 3] as number) | (0x80 >> (i & 7))
  }
  return out
}

/** Bytes → bits (0/1), MSB first. */
export function bytesToBits(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length * 8)
  for (let i = 0; i < out.length; i++) out[i] = ((bytes[i >> 3] as number) >> (7 - (i & 7))) & 1
  return out
}

/**
 * Decodes soft coded values (positive = 1) and checks the CRC-24: the payload, or null when the
 * CRC does not match (a random input passes with probability 2⁻²⁴).
 */
export function decodeSoft(soft: ArrayLike<number>): Uint8Array | null {
  const data = bitsToBytes(viterbiDecode(soft, INFO_BITS))
  const payload = data.slice(0, PAYLOAD_BYTES)
  const crc =
    ((data[PAYLOAD_BYTES] as number) << 16) |
    ((data[PAYLOAD_BYTES + 1] as number) << 8) |
    (data[PAYLOAD_BYTES + 2] as number)
  return crc24(payload) === crc ? payload : null
}

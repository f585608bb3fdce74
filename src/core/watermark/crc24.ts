// CRC-24/OPENPGP (RFC 4880 §6.1): poly 0x864cfb, init 0xb704ce, no reflection, no final xor.
const POLY = 0x864cfb
const INIT = 0xb704ce

/** CRC-24 of `bytes`, as in RFC 4880 §6.1. */
export function crc24(bytes: Uint8Array): number {
  let crc = INIT
  for (const byte of bytes) {
    crc ^= byte << 16
    for (let i = 0; i < 8; i++) {
      crc <<= 1
      if (crc & 0x1000000) crc ^= POLY
    }
  }
  return crc & 0xffffff
}

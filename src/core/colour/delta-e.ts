import type { Lab } from './cielab.js'

const DEG = 180 / Math.PI
const RAD = Math.PI / 180
const POW25_7 = 25 ** 7

/** CIE76 colour difference: Euclidean distance in CIELAB. */
export function deltaE76(lab1: Lab, lab2: Lab): number {
  const dL = lab1[0] - lab2[0]
  const da = lab1[1] - lab2[1]
  const db = lab1[2] - lab2[2]
  return Math.sqrt(dL * dL + da * da + db * db)
}

function hueDegrees(b: number, aPrime: number): number {
  // Sharma et al. eq. (4): h' = 0 when a' = b = 0.
  if (aPrime === 0 && b === 0) return 0
  const h = Math.atan2(b, aPrime) * DEG
  return h < 0 ? h + 360 : h
}

/**
 * CIEDE2000 colour difference with `kL = kC = kH = 1`, exactly as G. Sharma, W. Wu and E. N.
 * Dalal, "The CIEDE2000 color-difference formula: implementation notes, supplementary test data,
 * and mathematical observations", Color Res. Appl. 30(1):21–30, 2005, eqs. (1)–(22). Symmetric,
 * non-negative, and 0 for identical colours.
 */
export function deltaE2000(lab1: Lab, lab2: Lab): number {
  const [L1, a1, b1] = lab1
  const [L2, a2, b2] = lab2

  // Eqs. (2)–(6): a' stretched by G, then C' and h'.
  const cMean = (Math.sqrt(a1 * a1 + b1 * b1) + Math.sqrt(a2 * a2 + b2 * b2)) / 2
  const cMean7 = cMean ** 7
  const g = 0.5 * (1 - Math.sqrt(cMean7 / (cMean7 + POW25_7)))
  const a1p = (1 + g) * a1
  const a2p = (1 + g) * a2
  const c1p = Math.sqrt(a1p * a1p + b1 * b1)
  const c2p = Math.sqrt(a2p * a2p + b2 * b2)
  const h1p = hueDegrees(b1, a1p)
  const h2p = hueDegrees(b2, a2p)

  // Eqs. (8)–(11): differences; Δh' is 0 when either chroma is 0.
  const dLp = L2 - L1
  const dCp = c2p - c1p
  const chromaProduct = c1p * c2p
  let dhp = 0
  if (chromaProduct !== 0) {
    dhp = h2p - h1p
    if (dhp > 180) dhp -= 360
    else if (dhp < -180) dhp += 360
  }
  const dHp = 2 * Math.sqrt(chromaProduct) * Math.sin((dhp / 2) * RAD)

  // Eqs. (12)–(14): means; the mean hue takes the shorter arc, and is the sum when a chroma is 0.
  const lMeanP = (L1 + L2) / 2
  const cMeanP = (c1p + c2p) / 2
  let hMeanP = h1p + h2p
  if (chromaProduct !== 0) {
    if (Math.abs(h1p - h2p) <= 180) hMeanP /= 2
    else if (hMeanP < 360) hMeanP = (hMeanP + 360) / 2
    else hMeanP = (hMeanP - 360) / 2
  }

  // Eqs. (15)–(21): weighting functions and the rotation term.
  const t =
    1 -
    0.17 * Math.cos((hMeanP - 30) * RAD) +
    0.24 * Math.cos(2 * hMeanP * RAD) +
    0.32 * Math.cos((3 * hMeanP + 6) * RAD) -
    0.2 * Math.cos((4 * hMeanP - 63) * RAD)
  const dTheta = 30 * Math.exp(-(((hMeanP - 275) / 25) ** 2))
  const cMeanP7 = cMeanP ** 7
  const rc = 2 * Math.sqrt(cMeanP7 / (cMeanP7 + POW25_7))
  const l50 = (lMeanP - 50) ** 2
  const sl = 1 + (0.015 * l50) / Math.sqrt(20 + l50)
  const sc = 1 + 0.045 * cMeanP
  const sh = 1 + 0.015 * cMeanP * t
  const rt = -Math.sin(2 * dTheta * RAD) * rc

  // Eq. (22). The sum is ≥ 0 in exact arithmetic (|R_T| ≤ 2); the clamp absorbs rounding.
  const l = dLp / sl
  const c = dCp / sc
  const h = dHp / sh
  return Math.sqrt(Math.max(0, l * l + c * c + h * h + rt * c * h))
}

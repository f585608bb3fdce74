import { invertMat3, type Mat3, mulMat3Vec3, type Vec3 } from './mat3.js'

/** CIE 1931 XYZ with the white's `Y` equal to 1. */
export type Xyz = readonly [number, number, number]

function xyToXyz(x: number, y: number): Vec3 {
  return [x / y, 1, (1 - x - y) / y]
}

/** The D65 white of sRGB, from its chromaticity (0.3127, 0.3290), scaled to `Y = 1`. */
export const D65_WHITE: Xyz = xyToXyz(0.3127, 0.329)

// CSS Color 4 §10.8 derives the sRGB matrix from the primaries' chromaticities and the white, so
// that white maps to D65 exactly and the inverse is exact to double precision.
const LINEAR_SRGB_TO_XYZ: Mat3 = (() => {
  const r = xyToXyz(0.64, 0.33)
  const g = xyToXyz(0.3, 0.6)
  const b = xyToXyz(0.15, 0.06)
  const p: Mat3 = [r[0], g[0], b[0], r[1], g[1], b[1], r[2], g[2], b[2]]
  const s = mulMat3Vec3(invertMat3(p), D65_WHITE)
  return [
    p[0] * s[0],
    p[1] * s[1],
    p[2] * s[2],
    p[3] * s[0],
    p[4] * s[1],
    p[5] * s[2],
    p[6] * s[0],
    p[7] * s[1],
    p[8] * s[2],
  ]
})()
const XYZ_TO_LINEAR_SRGB: Mat3 = invertMat3(LINEAR_SRGB_TO_XYZ)

/** Linear-light sRGB (`0..1` per channel) to XYZ relative to {@link D65_WHITE}. */
export function linearSrgbToXyz(rgb: Vec3): Xyz {
  return mulMat3Vec3(LINEAR_SRGB_TO_XYZ, rgb)
}

/** XYZ (D65) to linear-light sRGB; channels fall outside `0..1` for out-of-gamut colours. */
export function xyzToLinearSrgb(xyz: Xyz): Vec3 {
  return mulMat3Vec3(XYZ_TO_LINEAR_SRGB, xyz)
}

/** The matrix behind {@link linearSrgbToXyz}, for hot loops that inline it. */
export const LINEAR_SRGB_TO_XYZ_MATRIX: Mat3 = LINEAR_SRGB_TO_XYZ
/** The matrix behind {@link xyzToLinearSrgb}. */
export const XYZ_TO_LINEAR_SRGB_MATRIX: Mat3 = XYZ_TO_LINEAR_SRGB

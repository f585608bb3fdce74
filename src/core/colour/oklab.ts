import { invertMat3, type Mat3, mulMat3Vec3 } from './mat3.js'
import { linearToSrgb, type Rgb, srgbToLinear } from './srgb.js'

/** OKLab (Ottosson 2020): `L` in `0..1` for sRGB colours, `a` and `b` roughly `-0.4..0.4`. */
export type OkLab = readonly [number, number, number]

// Björn Ottosson, "A perceptual color space for image processing" (2020): M1 maps linear sRGB to
// LMS, M2 maps cube-rooted LMS to Lab. The inverses are computed rather than copied from the post
// so that the round trip is exact to double precision.
const M1: Mat3 = [
  0.4122214708, 0.5363325363, 0.0514459929, 0.2119034982, 0.6806995451, 0.1073969566, 0.0883024619,
  0.2817188376, 0.6299787005,
]
const M2: Mat3 = [
  0.2104542553, 0.793617785, -0.0040720468, 1.9779984951, -2.428592205, 0.4505937099, 0.0259040371,
  0.7827717662, -0.808675766,
]
const M1_INVERSE = invertMat3(M1)
const M2_INVERSE = invertMat3(M2)

/** An sRGB colour (`0..255` per channel) to OKLab. */
export function srgbToOklab(rgb: Rgb): OkLab {
  const lms = mulMat3Vec3(M1, [
    srgbToLinear(rgb[0] / 255),
    srgbToLinear(rgb[1] / 255),
    srgbToLinear(rgb[2] / 255),
  ])
  return mulMat3Vec3(M2, [Math.cbrt(lms[0]), Math.cbrt(lms[1]), Math.cbrt(lms[2])])
}

/** OKLab to sRGB on the `0..255` scale, unclamped and unrounded (outside `0..255` off gamut). */
export function oklabToSrgb(lab: OkLab): Rgb {
  const c = mulMat3Vec3(M2_INVERSE, lab)
  const lin = mulMat3Vec3(M1_INVERSE, [c[0] ** 3, c[1] ** 3, c[2] ** 3])
  return [255 * linearToSrgb(lin[0]), 255 * linearToSrgb(lin[1]), 255 * linearToSrgb(lin[2])]
}

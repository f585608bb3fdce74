// Meta's PDQ hash (facebook/ThreatExchange pdq/, algorithm in pdqhash-2017-10-09.pdf).
//
// Which reference path this matches. The reference library functions
// (pdqHash256FromFloatLuma / pdqDihedralHash256esFromFloatLuma in pdq/cpp/hashing/pdqhashing.cpp,
// PDQHasher.fromBufferedImage in Java, pdqhash.compute in python-threatexchange) filter the
// whole image at full resolution, and so do we. Two file front ends shrink big images first:
// the C++ CLI's pdqHash256FromFile (pdq/cpp/io/pdqio.cpp) squashes anything over 512 px on a
// side to exactly 512×512 with CImg's default nearest-neighbour resize, and the pure-Python
// PDQHasher.fromFile calls PIL's thumbnail((512, 512)). We do neither: decoding and any
// pre-scaling belong to the caller. On the published vectors our hashes equal the Java
// ImageIO test's and the --int64 listing's bit for bit, and stay within 12 bits of the
// pre-shrunk front ends' (pdq-vectors.test.ts).

import type { RgbImage } from '../image/index.js'
import { dctToWords } from './dct-bits.js'
import { dct64To16, PDQ_DCT_SIZE } from './dct16.js'
import type { DihedralName } from './dihedral.js'
import { DIHEDRAL_NAMES, dihedralDct } from './dihedral.js'
import { formatPdqHash } from './hash-format.js'
import { downsampleLuma64, PDQ_DOWNSAMPLE_SIZE } from './jarosz-downsample.js'
import { PdqError } from './pdq-error.js'
import { pdqQuality } from './quality.js'

/** Images smaller than this on either side hash to all zeros with quality 0, as upstream. */
export const PDQ_MIN_DIMENSION = 5

const ZERO_HASH = '0'.repeat(64)

/** A PDQ hash in text form (64 lower-case hex digits) and its quality, 0..100. */
export interface PdqResult {
  readonly hash: string
  readonly quality: number
}

/** The eight dihedral PDQ hashes of one image, which share a single quality. */
export interface PdqDihedralResult {
  readonly hashes: Readonly<Record<DihedralName, string>>
  readonly quality: number
}

function checkImage(img: RgbImage): void {
  const { width, height, data } = img
  if (
    !Number.isInteger(width) ||
    !Number.isInteger(height) ||
    width <= 0 ||
    height <= 0 ||
    data.length !== width * height * 3
  ) {
    throw new PdqError(
      'PDQ_INVALID_IMAGE',
      `image of ${width}x${height} needs ${width * height * 3} RGB bytes, has ${data.length}`,
    )
  }
}

/** Downsample, quality and 16×16 DCT: the work shared by the plain and dihedral hashes. */
function pdqDct(img: RgbImage): { dct: Float64Array; quality: number } {
  const buffer64 = new Float64Array(PDQ_DOWNSAMPLE_SIZE * PDQ_DOWNSAMPLE_SIZE)
  downsampleLuma64(img, buffer64)
  const quality = pdqQuality(buffer64)
  const dct = new Float64Array(PDQ_DCT_SIZE * PDQ_DCT_SIZE)
  dct64To16(buffer64, dct, new Float64Array(PDQ_DCT_SIZE * PDQ_DOWNSAMPLE_SIZE))
  return { dct, quality }
}

function isTooSmall(img: RgbImage): boolean {
  return img.width < PDQ_MIN_DIMENSION || img.height < PDQ_MIN_DIMENSION
}

/**
 * Meta's PDQ perceptual hash of an 8-bit RGB image: BT.601 luma, two-pass Jarosz tent filter
 * and decimation to 64×64, the 16×16 low-frequency DCT block, thresholded at its median into
 * 256 bits. Returns the hash as 64 hex digits (16-bit words 15 down to 0) and its quality
 * (0..100; below 50 do not match on it). Deterministic; images under 5 px on a side give the
 * all-zero hash with quality 0. Throws `PdqError('PDQ_INVALID_IMAGE')` when the sample buffer
 * does not match the dimensions.
 */
export function pdqHash(img: RgbImage): PdqResult {
  checkImage(img)
  if (isTooSmall(img)) return { hash: ZERO_HASH, quality: 0 }
  const { dct, quality } = pdqDct(img)
  return { hash: formatPdqHash(dctToWords(dct)), quality }
}

/**
 * The PDQ hashes of `img` under all eight symmetries of the square, derived from one DCT as
 * the reference does: `hashes.rotate90` is (to within rounding) `pdqHash` of the image rotated
 * by 90°, and so on, and `hashes.original` equals `pdqHash(img).hash`. Same errors and
 * small-image rule as `pdqHash`.
 */
export function pdqHashDihedral(img: RgbImage): PdqDihedralResult {
  checkImage(img)
  const hashes = {} as Record<DihedralName, string>
  if (isTooSmall(img)) {
    for (const name of DIHEDRAL_NAMES) hashes[name] = ZERO_HASH
    return { hashes, quality: 0 }
  }
  const { dct, quality } = pdqDct(img)
  const variant = new Float64Array(PDQ_DCT_SIZE * PDQ_DCT_SIZE)
  for (const name of DIHEDRAL_NAMES) {
    dihedralDct(dct, name, variant)
    hashes[name] = formatPdqHash(dctToWords(variant))
  }
  return { hashes, quality }
}

/** A 3×3 matrix in row-major order. */
export type Mat3 = readonly [number, number, number, number, number, number, number, number, number]

/** A triple of numbers: a colour in some space. */
export type Vec3 = readonly [number, number, number]

/** `m · v`. */
export function mulMat3Vec3(m: Mat3, v: Vec3): [number, number, number] {
  return [
    m[0] * v[0] + m[1] * v[1] + m[2] * v[2],
    m[3] * v[0] + m[4] * v[1] + m[5] * v[2],
    m[6] * v[0] + m[7] * v[1] + m[8] * v[2],
  ]
}

/** The inverse of `m` by the adjugate. Throws RangeError for a singular matrix. */
export function invertMat3(m: Mat3): Mat3 {
  const [a, b, c, d, e, f, g, h, i] = m
  const A = e * i - f * h
  const B = f * g - d * i
  const C = d * h - e * g
  const det = a * A + b * B + c * C
  if (det === 0) throw new RangeError('singular matrix')
  const k = 1 / det
  return [
    A * k,
    (c * h - b * i) * k,
    (b * f - c * e) * k,
    B * k,
    (a * i - c * g) * k,
    (c * d - a * f) * k,
    C * k,
    (b * g - a * h) * k,
    (a * e - b * d) * k,
  ]
}

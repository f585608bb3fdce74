import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { Vec2 } from './lattice.js'
import {
  columnBasis,
  columnLattice,
  isInLattice,
  readLattice,
  reduceBasis,
  rowLattice,
} from './lattice.js'

const vec = fc.record({
  x: fc.integer({ min: -60, max: 60 }),
  y: fc.integer({ min: -60, max: 60 }),
})
const independent = fc.tuple(vec, vec).filter(([a, b]) => a.x * b.y - a.y * b.x !== 0)
const det = (a: Vec2, b: Vec2) => Math.abs(a.x * b.y - a.y * b.x)

describe('columnLattice', () => {
  it('contains every generator and integer combination, with the same cell area', () => {
    fc.assert(
      fc.property(
        independent,
        fc.integer({ min: -5, max: 5 }),
        fc.integer({ min: -5, max: 5 }),
        ([a, b], i, j) => {
          const l = columnLattice([a, b])
          expect(l).not.toBeNull()
          if (l === null) return
          expect(l.stepX * l.periodY).toBe(det(a, b))
          expect(isInLattice(l, a)).toBe(true)
          expect(isInLattice(l, b)).toBe(true)
          expect(isInLattice(l, { x: i * a.x + j * b.x, y: i * a.y + j * b.y })).toBe(true)
          const [g1, g2] = columnBasis(l)
          expect(columnLattice([g1, g2])).toEqual(l)
        },
      ),
    )
  })

  it('is null for collinear vectors and agrees with rowLattice on area', () => {
    expect(
      columnLattice([
        { x: 2, y: 4 },
        { x: -3, y: -6 },
      ]),
    ).toBeNull()
    fc.assert(
      fc.property(independent, ([a, b]) => {
        const r = rowLattice([a, b])
        expect(r?.periodX && r.periodX * r.stepY).toBe(det(a, b))
      }),
    )
  })
})

describe('reduceBasis', () => {
  it('keeps the lattice and returns short, nearly orthogonal vectors', () => {
    fc.assert(
      fc.property(independent, ([a, b]) => {
        const [u, v] = reduceBasis(a, b)
        expect(det(u, v)).toBe(det(a, b))
        const l = columnLattice([a, b])
        if (l === null) return
        expect(isInLattice(l, u) && isInLattice(l, v)).toBe(true)
        const nu = u.x * u.x + u.y * u.y
        expect(nu).toBeLessThanOrEqual(v.x * v.x + v.y * v.y)
        expect(2 * Math.abs(u.x * v.x + u.y * v.y)).toBeLessThanOrEqual(nu)
      }),
    )
  })
})

describe('readLattice', () => {
  it('reads the lattices of the four layouts', () => {
    expect(
      readLattice([
        { x: 150, y: 0 },
        { x: 0, y: 110 },
      ]),
    ).toEqual({
      kind: 'block',
      tileWidth: 150,
      tileHeight: 110,
    })
    // Half-drop with odd height: (w, ⌊h/2⌋) & (0, h).
    expect(
      readLattice([
        { x: 96, y: 65 },
        { x: 0, y: 131 },
      ]),
    ).toEqual({
      kind: 'half-drop',
      tileWidth: 96,
      tileHeight: 131,
    })
    // Half-brick with odd width, given by a reduced basis.
    expect(
      readLattice([
        { x: 171, y: 0 },
        { x: -86, y: 171 },
      ]),
    ).toEqual({
      kind: 'half-brick',
      tileWidth: 171,
      tileHeight: 171,
    })
    // A half-drop with even height is also a half-brick of twice the width and half the height.
    expect(
      readLattice([
        { x: 64, y: 100 },
        { x: 0, y: 200 },
      ]),
    ).toEqual({
      kind: 'drop-or-brick',
      drop: { tileWidth: 64, tileHeight: 200 },
      brick: { tileWidth: 128, tileHeight: 100 },
    })
    expect(
      readLattice([
        { x: 40, y: 10 },
        { x: 0, y: 40 },
      ]),
    ).toEqual({
      kind: 'oblique',
      tileWidth: 160,
      tileHeight: 40,
    })
    expect(readLattice([{ x: 4, y: 0 }])).toBeNull()
  })
})

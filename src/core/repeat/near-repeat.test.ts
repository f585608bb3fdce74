import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createRgbImage } from '../image/index.js'
import { buildRepeat } from './build-repeat.js'
import { columnLattice, isInLattice } from './lattice.js'
import {
  findViolations,
  flipViolationFraction,
  latticePoints,
  violationRate,
} from './near-repeat.js'
import { createBlobTile, createRng } from './test-patterns.js'

describe('latticePoints', () => {
  it('lists exactly the lattice points of the half-window, shortest first', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 0, max: 30 }),
        fc.integer({ min: 1, max: 15 }),
        (stepX, shift, periodY) => {
          const lattice = { stepX, shiftY: shift % periodY, periodY }
          const points = latticePoints(lattice, 40, 30, 100_000)
          let expected = 0
          for (let y = 0; y <= 30; y++) {
            for (let x = -40; x <= 40; x++) {
              if ((y > 0 || x > 0) && isInLattice(lattice, { x, y })) expected++
            }
          }
          expect(points.length).toBe(expected)
          const norms = points.map((p) => p.x * p.x + p.y * p.y)
          expect(norms).toEqual([...norms].sort((a, b) => a - b))
          expect(points.every((p) => isInLattice(lattice, p) && (p.y > 0 || p.x > 0))).toBe(true)
        },
      ),
    )
  })
})

describe('near-repeat exceptions', () => {
  // Vertical stripes of period 10 under a 60×40 block repeat with a small motif in each tile.
  const tile = createRgbImage(60, 40)
  for (let y = 0; y < 40; y++) {
    for (let x = 0; x < 60; x++)
      tile.data.set(x % 10 < 5 ? [20, 40, 160] : [240, 230, 210], (y * 60 + x) * 3)
  }
  for (let y = 10; y < 16; y++)
    for (let x = 22; x < 26; x++) tile.data.set([210, 20, 20], (y * 60 + x) * 3)
  const img = buildRepeat(tile, 'block', 250, 170, { x: 3, y: 8 })

  it('finds the exceptions of a near-repeat and none of a true period', () => {
    expect(findViolations(img, { x: 60, y: 0 }, 100).fraction).toBe(0)
    const stripes = findViolations(img, { x: 10, y: 0 }, 10_000)
    expect(stripes.fraction).toBeGreaterThan(0.005)
    expect(violationRate(img, stripes.sample, stripes.generator, { x: 10, y: 0 }, 1)).toBe(1)
    expect(violationRate(img, stripes.sample, stripes.generator, { x: 60, y: 0 }, 1)).toBe(0)
    expect(violationRate(img, stripes.sample, stripes.generator, { x: 0, y: 40 }, 1)).toBe(0)
    // One pixel off a true period still breaks the exceptions' pairs.
    expect(
      violationRate(img, stripes.sample, stripes.generator, { x: 0, y: 39 }, 1),
    ).toBeGreaterThan(0.15)
    const lattice = columnLattice([
      { x: 10, y: 0 },
      { x: 0, y: 1 },
    ])
    expect(lattice).not.toBeNull()
  })

  it('measures how far an image is from mirror symmetric', () => {
    const rng = createRng(3)
    const mirror = buildRepeat(createBlobTile(30, 20, rng), 'mirror', 200, 150, { x: 4, y: 7 })
    expect(flipViolationFraction(mirror, 'x', 2 * 34 - 1)).toBe(0)
    expect(flipViolationFraction(mirror, 'y', 2 * 27 - 1)).toBe(0)
    expect(flipViolationFraction(img, 'x', 2 * 30 - 1)).toBeGreaterThan(0.001)
  })
})

import type { Prng } from '../colour/index.js'

/**
 * Seeded fractal value noise in `[0, 1]` that repeats with period `width` × `height`, so a
 * tile drawn from it is seamless in a block repeat. `cellsX` × `cellsY` lattice cells at the
 * coarsest octave, doubled per octave, each octave at half the amplitude.
 */
export function tileableNoise(
  width: number,
  height: number,
  cellsX: number,
  cellsY: number,
  octaves: number,
  rng: Prng,
): (x: number, y: number) => number {
  const layers = Array.from({ length: octaves }, (_, o) => {
    const nx = cellsX << o
    const ny = cellsY << o
    const grid = Float64Array.from({ length: nx * ny }, () => rng())
    return { nx, ny, grid, amplitude: 0.5 ** o }
  })
  const norm = layers.reduce((s, l) => s + l.amplitude, 0)
  return (x, y) => {
    let sum = 0
    for (const { nx, ny, grid, amplitude } of layers) {
      const u = ((((x / width) * nx) % nx) + nx) % nx
      const v = ((((y / height) * ny) % ny) + ny) % ny
      const i0 = Math.floor(u)
      const j0 = Math.floor(v)
      const i1 = (i0 + 1) % nx
      const j1 = (j0 + 1) % ny
      const fu = smooth(u - i0)
      const fv = smooth(v - j0)
      const a = grid[j0 * nx + i0] as number
      const b = grid[j0 * nx + i1] as number
      const c = grid[j1 * nx + i0] as number
      const d = grid[j1 * nx + i1] as number
      sum += amplitude * ((a + (b - a) * fu) * (1 - fv) + (c + (d - c) * fu) * fv)
    }
    return sum / norm
  }
}

function smooth(t: number): number {
  return t * t * (3 - 2 * t)
}

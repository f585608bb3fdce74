import type { Shape } from './ink-canvas.js'

/** A disc of radius `r`. */
export function disc(cx: number, cy: number, r: number): Shape {
  return {
    box: [cx - r, cy - r, cx + r, cy + r],
    inside: (x, y) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r,
  }
}

/** A ring between radii `r0 < r1`. */
export function ring(cx: number, cy: number, r0: number, r1: number): Shape {
  return {
    box: [cx - r1, cy - r1, cx + r1, cy + r1],
    inside: (x, y) => {
      const d = (x - cx) ** 2 + (y - cy) ** 2
      return d <= r1 * r1 && d >= r0 * r0
    },
  }
}

/** An ellipse with semi-axes `rx`, `ry`, turned by `angle` radians. */
export function ellipse(cx: number, cy: number, rx: number, ry: number, angle = 0): Shape {
  const c = Math.cos(angle)
  const s = Math.sin(angle)
  const r = Math.max(rx, ry)
  return {
    box: [cx - r, cy - r, cx + r, cy + r],
    inside: (x, y) => {
      const u = (x - cx) * c + (y - cy) * s
      const v = -(x - cx) * s + (y - cy) * c
      return (u / rx) ** 2 + (v / ry) ** 2 <= 1
    },
  }
}

/** An axis-aligned rectangle. */
export function rect(x0: number, y0: number, x1: number, y1: number): Shape {
  return { box: [x0, y0, x1, y1], inside: (x, y) => x >= x0 && x < x1 && y >= y0 && y < y1 }
}

/** A polygon (even-odd rule) through `points`, given as `[x, y]` pairs. */
export function polygon(points: readonly (readonly [number, number])[]): Shape {
  const xs = points.map((p) => p[0])
  const ys = points.map((p) => p[1])
  return {
    box: [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)],
    inside: (x, y) => {
      let inside = false
      for (let i = 0, j = points.length - 1; i < points.length; j = i++) {
        const [xi, yi] = points[i] as readonly [number, number]
        const [xj, yj] = points[j] as readonly [number, number]
        if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside
      }
      return inside
    },
  }
}

/**
 * A flower from the polar rose `r(θ) = R·(core + (1 − core)·|cos(n(θ − turn)/2)|^sharpness)`:
 * `n` petals, rounder for small `sharpness`, with `core` the share of R that is solid centre.
 */
export function rose(
  cx: number,
  cy: number,
  radius: number,
  petals: number,
  turn = 0,
  sharpness = 0.6,
  core = 0.25,
): Shape {
  return {
    box: [cx - radius, cy - radius, cx + radius, cy + radius],
    inside: (x, y) => {
      const dx = x - cx
      const dy = y - cy
      const d = Math.hypot(dx, dy)
      if (d > radius) return false
      const theta = Math.atan2(dy, dx)
      const k = Math.abs(Math.cos((petals * (theta - turn)) / 2)) ** sharpness
      return d <= radius * (core + (1 - core) * k)
    },
  }
}

/**
 * A pointed leaf or petal from `(x, y)` along `angle` (radians), `length` long and `width` wide
 * at its widest: `|v| ≤ width/2 · sin(π·u/length)^0.8` in its own axes.
 */
export function leaf(x: number, y: number, length: number, width: number, angle: number): Shape {
  const c = Math.cos(angle)
  const s = Math.sin(angle)
  const mx = x + (c * length) / 2
  const my = y + (s * length) / 2
  const r = length / 2 + 1
  return {
    box: [mx - r, my - r, mx + r, my + r],
    inside: (px, py) => {
      const u = (px - x) * c + (py - y) * s
      const v = -(px - x) * s + (py - y) * c
      if (u < 0 || u > length) return false
      return Math.abs(v) <= (width / 2) * Math.sin((Math.PI * u) / length) ** 0.8
    },
  }
}

/**
 * A paisley (boteh): a teardrop whose tail curls, centred on its round end at `(cx, cy)`,
 * `size` across the round end, pointing along `angle` and curling to the side of `curl` (±1).
 */
export function paisley(cx: number, cy: number, size: number, angle: number, curl = 1): Shape {
  const c = Math.cos(angle)
  const s = Math.sin(angle)
  const r = size / 2
  const reach = size * 1.6
  return {
    box: [cx - reach, cy - reach, cx + reach, cy + reach],
    inside: (x, y) => {
      const u = (x - cx) * c + (y - cy) * s
      const v0 = -(x - cx) * s + (y - cy) * c
      if (u <= 0) return u * u + v0 * v0 <= r * r
      if (u > reach) return false
      const t = u / reach
      // The spine bends sideways as the tail narrows, which makes the curl.
      const v = v0 - curl * r * 0.9 * t * t
      return Math.abs(v) <= r * Math.sqrt(1 - t) * (1 - 0.35 * t)
    },
  }
}

/** A band of the given `thickness` along the segment from `(x0, y0)` to `(x1, y1)`. */
export function segment(x0: number, y0: number, x1: number, y1: number, thickness: number): Shape {
  const dx = x1 - x0
  const dy = y1 - y0
  const len2 = dx * dx + dy * dy
  const h = thickness / 2
  return {
    box: [Math.min(x0, x1) - h, Math.min(y0, y1) - h, Math.max(x0, x1) + h, Math.max(y0, y1) + h],
    inside: (x, y) => {
      const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((x - x0) * dx + (y - y0) * dy) / len2))
      return (x - x0 - t * dx) ** 2 + (y - y0 - t * dy) ** 2 <= h * h
    },
  }
}

/** Points inside `a` but not `b`. */
export function subtract(a: Shape, b: Shape): Shape {
  return { box: a.box, inside: (x, y) => a.inside(x, y) && !b.inside(x, y) }
}

/** A star polygon with `points` tips at radius `outer` and notches at radius `inner`. */
export function star(
  cx: number,
  cy: number,
  outer: number,
  inner: number,
  points: number,
  turn = 0,
): Shape {
  const vertices = Array.from({ length: 2 * points }, (_, i) => {
    const r = i % 2 === 0 ? outer : inner
    const a = turn + (i * Math.PI) / points
    return [cx + r * Math.cos(a), cy + r * Math.sin(a)] as const
  })
  return polygon(vertices)
}

/**
 * The named palettes of the demo studio, six inks each, `#rrggbb` lower case. The inks of one
 * palette are far apart (CIEDE2000 > 10 pairwise) so a design's inks stay countable.
 */
export const DEMO_PALETTES = {
  'mid-century': ['#f3ead7', '#d9a22b', '#1f6f78', '#c8562c', '#2b2b2b', '#7a7d3a'],
  indigo: ['#efe6d2', '#a9c1d9', '#4a6fa5', '#1d2f5c', '#0e1428', '#c9b68f'],
  terracotta: ['#ecdcc0', '#c4673f', '#8f3b1b', '#dba48f', '#3d2418', '#c99a3c'],
  sage: ['#f2efe4', '#a3b18a', '#5b7f6a', '#2f4229', '#e2b6a6', '#9c8668'],
  nordic: ['#f7f5f0', '#1c1c1c', '#b8312f', '#7d93a8', '#2f5d50', '#d9c9a3'],
  riso: ['#f5f1e8', '#ff48b0', '#0078bf', '#ffe800', '#00a95c', '#765ba7'],
} as const satisfies Record<string, readonly string[]>

/** The name of a demo palette. */
export type DemoPaletteName = keyof typeof DEMO_PALETTES

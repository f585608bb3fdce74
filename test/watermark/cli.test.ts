import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { main } from '../../src/cli/main.js'

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = ''
  let err = ''
  const code = await main(args, { stdout: (s) => (out += s), stderr: (s) => (err += s), env: {} })
  return { code, out, err }
}

// A 320×320 two-ink stripe design with a disc, written as PNG.
async function writeDesign(path: string, side: number): Promise<void> {
  const data = new Uint8Array(side * side * 3)
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const disc = (x - side / 2) ** 2 + (y - side / 2) ** 2 < (side / 5) ** 2
      const ink = disc
        ? [200, 40, 60]
        : Math.floor((x + 2 * y) / 14) % 2
          ? [30, 60, 120]
          : [235, 225, 200]
      data.set(ink, (y * side + x) * 3)
    }
  }
  await sharp(data, { raw: { width: side, height: side, channels: 3 } })
    .png()
    .toFile(path)
}

describe('selvedge watermark', () => {
  it('embeds and detects a payload with the studio key, in PNG and JPEG', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'selvedge-watermark-'))
    const data = join(dir, 'data')
    const input = join(dir, 'in.png')
    await writeDesign(input, 320)
    for (const out of [join(dir, 'out.png'), join(dir, 'out.jpg')]) {
      const e = await run([
        'watermark',
        'embed',
        input,
        out,
        '--payload',
        '0123456789abcdef',
        '--data',
        data,
        '--json',
      ])
      expect(e.code, e.err).toBe(0)
      const { psnr } = JSON.parse(e.out) as { psnr: number }
      expect(psnr).toBeGreaterThanOrEqual(40)
      const d = await run(['watermark', 'detect', out, '--data', data, '--json'])
      expect(d.code, d.err).toBe(0)
      const report = JSON.parse(d.out) as {
        found: boolean
        payload: string | null
        score: number
        bits?: string
      }
      expect(report).toMatchObject({ found: true, payload: '0123456789abcdef' })
      expect(report.bits).toBeUndefined()
    }
    const clean = await run(['watermark', 'detect', input, '--data', data, '--json'])
    expect(JSON.parse(clean.out)).toMatchObject({ found: false, payload: null })
  })

  it('refuses a bad payload and a tiny image with codes', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'selvedge-watermark-'))
    const data = join(dir, 'data')
    const input = join(dir, 'in.png')
    await writeDesign(input, 320)
    const bad = await run([
      'watermark',
      'embed',
      input,
      join(dir, 'o.png'),
      '--payload',
      'xyz',
      '--data',
      data,
      '--json',
    ])
    expect(bad.code).toBe(4)
    expect(JSON.parse(bad.out)).toMatchObject({ error: { code: 'WATERMARK_PAYLOAD_INVALID' } })
    const tiny = join(dir, 'tiny.png')
    await writeDesign(tiny, 100)
    const small = await run(['watermark', 'detect', tiny, '--data', data, '--json'])
    expect(small.code).toBe(5)
    expect(JSON.parse(small.out)).toMatchObject({ error: { code: 'WATERMARK_IMAGE_TOO_SMALL' } })
    const missing = await run([
      'watermark',
      'detect',
      join(dir, 'nope.png'),
      '--data',
      data,
      '--json',
    ])
    expect(missing.code).toBe(4)
  })
})

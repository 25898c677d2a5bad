import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import type { TopLevelSpec } from 'vega-lite'
import { plotFontFiles, renderPng, renderSvg } from './plotBacktest.js'

const bars = (extra: Record<string, unknown> = {}): TopLevelSpec =>
  ({
    width: 200,
    height: 100,
    data: {
      values: [
        { a: 'x', b: 1 },
        { a: 'y', b: 3 },
      ],
    },
    mark: 'bar',
    encoding: { x: { field: 'a', type: 'nominal' }, y: { field: 'b', type: 'quantitative' }, ...extra },
  }) as TopLevelSpec

describe('renderSvg and renderPng', () => {
  it('renders a Vega-Lite specification to SVG without a browser, and the SVG to a PNG twice its size', async () => {
    const warnings: string[] = []
    const svg = await renderSvg(bars(), (warning) => warnings.push(warning))
    expect(warnings).toEqual([])
    expect(svg.startsWith('<svg')).toBe(true)
    const width = Number(/^<svg[^>]* width="(\d+)"/.exec(svg)?.[1])
    expect(width).toBeGreaterThan(200)
    const png = renderPng(svg)
    expect(png.subarray(1, 4).toString('ascii')).toBe('PNG')
    expect(png.readUInt32BE(16)).toBe(width * 2)
  })

  it('draws text with DejaVu Sans from the npm package, not from the system', () => {
    const files = plotFontFiles()
    expect(files.map((file) => file.split(/[\\/]/).slice(-3).join('/'))).toEqual(['dejavu-fonts-ttf/ttf/DejaVuSans.ttf', 'dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf'])
    // A TrueType file starts with the sfnt version 0x00010000.
    for (const file of files) expect(readFileSync(file).readUInt32BE(0)).toBe(0x00010000)
    // System fonts are not loaded: had the package's font not been found, the text would draw nothing and both PNGs would be blank alike.
    const svg = (text: string) => `<svg xmlns="http://www.w3.org/2000/svg" width="120" height="30"><text x="4" y="22" font-family="DejaVu Sans" font-size="18">${text}</text></svg>`
    expect(renderPng(svg('EIGEN')).equals(renderPng(svg('')))).toBe(false)
    expect(renderPng(svg('EIGEN')).equals(renderPng(svg('ETHFI')))).toBe(false)
  })

  it("hands Vega-Lite's warnings to the caller instead of printing them", async () => {
    const warnings: string[] = []
    // A bar has no shape channel: Vega-Lite drops it with a warning.
    await renderSvg(bars({ shape: { field: 'a', type: 'nominal' } }), (warning) => warnings.push(warning))
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toContain('shape')
  })
})

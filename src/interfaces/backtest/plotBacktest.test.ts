import { describe, expect, it } from 'vitest'
import type { TopLevelSpec } from 'vega-lite'
import { renderPng, renderSvg } from './plotBacktest.js'

const bars = (extra: Record<string, unknown> = {}): TopLevelSpec =>
  ({
    width: 200,
    height: 100,
    data: { values: [{ a: 'x', b: 1 }, { a: 'y', b: 3 }] },
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

  it("hands Vega-Lite's warnings to the caller instead of printing them", async () => {
    const warnings: string[] = []
    // A bar has no shape channel: Vega-Lite drops it with a warning.
    await renderSvg(bars({ shape: { field: 'a', type: 'nominal' } }), (warning) => warnings.push(warning))
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toContain('shape')
  })
})

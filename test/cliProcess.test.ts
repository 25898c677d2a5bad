import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'

const run = promisify(execFile)
const root = fileURLToPath(new URL('..', import.meta.url))

/** Runs the built CLI the way a user does, through ./dust, and returns what it printed and its exit code. */
async function dust(...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await run('./dust', args, { cwd: root, env: { ...process.env, NO_COLOR: '1' } })
    return { stdout, stderr, code: 0 }
  } catch (error) {
    const failed = error as { stdout: string; stderr: string; code: number }
    return { stdout: failed.stdout, stderr: failed.stderr, code: failed.code }
  }
}

describe('the dust command, as a process', () => {
  it('runs the demo (README command 1): converts the dust on a local node, then stops it', async () => {
    const { stdout, stderr, code } = await dust('demo')
    expect(stderr).toBe('')
    expect(code).toBe(0)
    expect(stdout).toMatch(/ratio 0\.002993\d+ \(29\.9\d bps\) · dust_delta 0\.002 · EXCEEDS dust_delta/)
    expect(stdout).toMatch(/converted 5554 EIGEN on binance into \d+\.\d+ USDT/)
    expect(stdout).toMatch(/converted 1068 ETHFI on uniswap into \d+\.\d+ USDT/)
    // Each on-chain step with its transaction hash and the block it was mined in.
    expect(stdout).toMatch(/\n {4}claim on etherfi_ethfi: 0x[0-9a-f]{64} in block \d+\n {4}approve on uniswap: 0x[0-9a-f]{64} in block \d+\n {4}swap on uniswap: 0x[0-9a-f]{64} in block \d+\n/)
    expect(stdout).toContain('dust value 12000.887682 → 0 USDT')
    const port = /listening at http:\/\/127\.0\.0\.1:(\d+)/.exec(stdout)?.[1]
    // Nothing is left listening on the node's port.
    await expect(fetch(`http://127.0.0.1:${port}`, { method: 'POST', body: '{}' })).rejects.toThrow()
  }, 90_000)

  it('scans the shipped USDT example: 2660 USDT of dust, ratio 0.00266, over the threshold', async () => {
    const { stdout, code } = await dust('scan', '--config', 'configs/modes/usdt_eth_staking_hedged_simple.yaml', '--json')
    expect(code).toBe(0)
    const snapshot = JSON.parse(stdout)
    expect(snapshot.total_dust_value).toBe('2660')
    expect(snapshot.dust_ratio).toBe('0.00266')
    expect(snapshot.exceeds_threshold).toBe(true)
    expect(snapshot.share_class).toBe('USDT')
    expect(snapshot.dust_tokens.map((t: { token: string; amount: string; venue: string }) => `${t.token} ${t.amount} ${t.venue}`)).toEqual([
      'EIGEN 1500 etherfi',
      'EIGEN 20 wallet',
      'ETHFI 800 wallet',
    ])
    // A whole process: Node, the CLI's imports and a scan, on a loaded 2-core machine.
  }, 60_000)

  it('exits 2 with one clear message and no stack trace on a missing configuration', async () => {
    const { stderr, code } = await dust('plan', '--config', 'configs/modes/nope.yaml')
    expect(code).toBe(2)
    expect(stderr).toContain('configs/modes/nope.yaml')
    expect(stderr).toContain('no such file')
    expect(stderr).not.toMatch(/\n\s+at /)
  }, 60_000)
})

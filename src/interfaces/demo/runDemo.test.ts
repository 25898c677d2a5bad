import { describe, expect, it } from 'vitest'
import { createRecordingLogger } from '../../../test/fakePorts.js'
import { createSystemClock } from '../../app/createSystemClock.js'
import { runDemo } from './runDemo.js'

describe('runDemo', () => {
  it('converts the demo dust and reports before and after, then stops the node', async () => {
    const printed: string[] = []
    const report = await runDemo({ print: (text) => printed.push(text), clock: createSystemClock(), logger: createRecordingLogger(), cycles: 1 })
    const text = printed.join('\n')
    expect(report.before.snapshot.exceedsThreshold).toBe(true)
    expect(report.before.snapshot.dustRatio.toSignificant(4)).toBe('0.002994')
    expect(report.after.snapshot.dustTokens).toEqual([])
    expect(report.outcomes.map(({ instruction, outcome }) => `${instruction.token} ${instruction.venue} ${outcome.status}`)).toEqual(['EIGEN binance converted', 'ETHFI uniswap converted'])
    // Every conversion got at least its floor.
    for (const { instruction, outcome } of report.outcomes) expect(outcome.status === 'converted' && outcome.output.raw >= instruction.minOutput.raw).toBe(true)
    expect(text).toContain('== Before and after ==')
    expect(text).toMatch(/EIGEN\s+wallet \(wallet\)\s+1200\s+0\s+-1200/)
    expect(text).toMatch(/EIGEN\s+etherfi_eigen \(claimable\)\s+4354\s+0\s+-4354/)
    expect(text).toMatch(/dust ratio 0\.00299388 \(29\.94 bps\) → 0 \(0 bps\)/)
    expect(text).toMatch(/PLANNED NET\s+FLOOR\s+RECEIVED\s+PLANNED GAS\s+GAS USED\s+STEPS/)
    // Each on-chain step of the Uniswap conversion is shown with its transaction hash and block, as the node mined it.
    const onchain = report.outcomes.flatMap(({ outcome }) => outcome.steps ?? []).filter((step) => step.block !== undefined)
    expect(onchain.map((step) => `${step.kind} ${step.venue}`)).toEqual(expect.arrayContaining(['claim etherfi_ethfi', 'approve uniswap', 'swap uniswap']))
    for (const step of onchain) {
      expect(step.reference).toMatch(/^0x[0-9a-f]{64}$/)
      expect(text).toContain(`    ${step.kind} on ${step.venue}: ${step.reference} in block ${step.block}`)
    }
    expect(text).toMatch(/Stopped the local node after \d+\.\d s\.$/)
  }, 90_000)

  it('runs one cycle after the conversion when no cycle count is given', async () => {
    const printed: string[] = []
    await runDemo({ print: (text) => printed.push(text), clock: createSystemClock(), logger: createRecordingLogger() })
    expect(printed.filter((text) => text.startsWith('\n== Cycle'))).toEqual(['\n== Cycle 1: detect, plan, claim and convert ==', '\n== Cycle 2 =='])
  }, 90_000)

  it('stops the node and says so when interrupted', async () => {
    const controller = new AbortController()
    const printed: string[] = []
    const run = runDemo({
      print: (text) => {
        printed.push(text)
        // Interrupt once the node is up and deploying.
        if (text.startsWith('Deploying')) controller.abort()
      },
      clock: createSystemClock(),
      logger: createRecordingLogger(),
      signal: controller.signal,
    })
    await expect(run).rejects.toMatchObject({ name: 'BaseError', code: 'interrupted', shortMessage: 'The demo was interrupted; the local node is stopped.' })
    expect(printed.at(-1)).toMatch(/^\nStopped the local node after/)
  }, 90_000)

  it('ends with the interruption, not a result, when interrupted as the first cycle starts', async () => {
    const controller = new AbortController()
    const printed: string[] = []
    const run = runDemo({
      print: (text) => {
        printed.push(text)
        // The node stops under the cycle: whatever the cycle answers, the demo reports the interruption.
        if (text.startsWith('\n== Cycle 1')) controller.abort()
      },
      clock: createSystemClock(),
      logger: createRecordingLogger(),
      signal: controller.signal,
    })
    await expect(run).rejects.toMatchObject({ name: 'BaseError', code: 'interrupted', shortMessage: 'The demo was interrupted; the local node is stopped.' })
    expect(printed.some((text) => text.includes('== Before and after =='))).toBe(false)
    expect(printed.at(-1)).toMatch(/^\nStopped the local node after/)
  }, 90_000)

  it('throws an error of its own steps as it is, and still stops the node', async () => {
    const printed: string[] = []
    const failure = new Error('The terminal went away.')
    const run = runDemo({
      print: (text) => {
        printed.push(text)
        // The first print once the node is up fails, as a closed stdout would.
        if (text.startsWith('  listening at')) throw failure
      },
      clock: createSystemClock(),
      logger: createRecordingLogger(),
    })
    await expect(run).rejects.toBe(failure)
    expect(printed.at(-1)).toMatch(/^\nStopped the local node after \d+\.\d s\.$/)
  }, 90_000)

  it('names the missing history and starts nothing', async () => {
    const printed: string[] = []
    await expect(runDemo({ print: (text) => printed.push(text), clock: createSystemClock(), logger: createRecordingLogger(), dataDir: '/nonexistent' })).rejects.toMatchObject({
      name: 'SourceError',
    })
    expect(printed).toEqual([])
  })
})

import { afterAll, assert, beforeAll, describe, expect, it } from 'vitest'
import { cliIo, cliJsonLines, cliTempDir } from '../../../test/cliIo.js'
import { fixtureConfigWith } from '../../../test/fixtureConfig.js'
import { type LocalChain, startLocalChain } from '../../app/startLocalChain.js'
import { EXIT, runCli } from './runCli.js'

/** Multicall3's canonical address: nothing is deployed there on a fresh local node. */
const CANONICAL_MULTICALL = '0xcA11bde05977b3631167028862bE2a173976CA11'
const NO_MULTICALL = `No Multicall3 at ${CANONICAL_MULTICALL} on ethereum (chain id 31337): no contract is deployed there; set chains.ethereum.multicall_address to the address of Multicall3 on this chain.`

describe('dust scan, plan and run when sources fail, on a local node without Multicall3', () => {
  let chain: LocalChain
  let temp: Awaited<ReturnType<typeof cliTempDir>>
  /** The issue's portfolio plus an on-chain wallet that cannot be read: one of three balance sources fails. */
  let partial: string
  /** Only on-chain wallets, none readable: every balance source fails. */
  let none: string
  /** The CLI's io with the key of the local node's first account, which signs in paper mode. */
  let io: () => ReturnType<typeof cliIo>

  beforeAll(async () => {
    chain = await startLocalChain()
    temp = await cliTempDir()
    io = () => cliIo({ env: { DUST_SIGNER_KEY: chain.accounts[0] } })
    const chains = `chains: { ethereum: { rpc_url: "${chain.rpcUrl}", chain_id: ${chain.chainId} } }\n`
    const cold = '  cold: { type: evm_wallet, chain: ethereum, address: "0x00000000000000000000000000000000000a11ce" }\n'
    partial = await temp.write(
      'partial.yaml',
      `${fixtureConfigWith('venues:\n', `venues:\n${cold}`)}${chains}execution: { mode: paper, max_slippage_bps: 50, signer: { private_key_env: DUST_SIGNER_KEY } }\n`,
    )
    // No static balance anywhere: the two wallets are read on chain, the pools only quote.
    none = await temp.write(
      'none.yaml',
      `mode: usdt_chain
share_class: USDT
asset: ETH
dust_delta: 0.002
tokens:
  - { symbol: USDT, decimals: 6, address: "0xdAC17F958D2ee523a2206206994597C13D831ec7" }
  - { symbol: ETH, decimals: 18 }
  - { symbol: EIGEN, decimals: 18, address: "0xec53bF9167f50cDEB3Ae105f56099aaaB9061F83" }
venues:
${cold}  hot: { type: evm_wallet, chain: ethereum, address: "0x0000000000000000000000000000000000000b0b" }
  uniswap: { type: static_amm, pools: [{ tokens: [EIGEN, USDT], reserves: ["400000", "500000"] }] }
prices:
  - { type: static, quote: USDT, prices: { EIGEN: "1.25", ETH: "2500" } }
equity: { type: holdings }
gas_price: { ethereum: { type: static, gwei: "2.5" } }
${chains}`,
    )
  }, 60_000)

  afterAll(async () => {
    await chain?.stop()
    await temp?.cleanup()
  })

  it('scan: exits 1 and names the missing Multicall3 and the key to set when no balance source answers, never equity 0', async () => {
    const out = io()
    expect(await runCli(['scan', '-c', none], out)).toBe(EXIT.failure)
    expect(out.out()).toBe(
      `usdt_chain: scan failed: No balance source of usdt_chain answered, so neither its dust nor its equity can be known: cold: ${NO_MULTICALL}; hot: ${NO_MULTICALL}\nExpected at least one of 2 balance source(s) to answer; every one failed.\n`,
    )
    expect(out.out()).not.toContain('equity 0')

    const json = io()
    expect(await runCli(['scan', '-c', none, '--json'], json)).toBe(EXIT.failure)
    const [document] = cliJsonLines(json.out())
    expect(document).toMatchObject({ strategy_mode: 'usdt_chain', code: 'all_sources_failed' })
    expect(document?.error).toContain(NO_MULTICALL)
    expect(document).not.toHaveProperty('equity')
  })

  it('plan and run --once: exit 1 with the same cause, and the other strategy of the invocation still answers', async () => {
    const plan = io()
    expect(await runCli(['plan', '-c', none, '-c', partial, '--json'], plan)).toBe(EXIT.failure)
    const [failed, other] = cliJsonLines(plan.out())
    expect(failed).toMatchObject({ strategy_mode: 'usdt_chain', code: 'all_sources_failed' })
    expect(failed?.error).toContain(NO_MULTICALL)
    expect(other).toMatchObject({ strategy_mode: 'usdt_test', instructions: [] })

    const run = io()
    expect(await runCli(['run', '--once', '-c', none], run)).toBe(EXIT.failure)
    expect(run.out()).toContain(`usdt_chain: cycle failed: No balance source of usdt_chain answered, so neither its dust nor its equity can be known: cold: ${NO_MULTICALL}`)
  })

  it('scan: shows an incomplete snapshot with no verdict, naming the source that failed, when one of three fails', async () => {
    const out = io()
    expect(await runCli(['scan', '-c', partial], out)).toBe(EXIT.ok)
    const lines = out.out().split('\n')
    expect(lines[1]).toBe('  equity 1000000 USDT · dust 2660 USDT · ratio 0.00266 (26.6 bps) · dust_delta 0.002 · no verdict')
    expect(lines[2]).toBe('  INCOMPLETE (incomplete_equity): cold failed; the figures above count only what answered, and nothing is planned.')
    expect(out.out()).toContain(`  warning: Balance source cold failed: ${NO_MULTICALL}\n`)
    expect(out.out()).toContain('  warning: The equity and dust of usdt_test are incomplete (cold failed): nothing is planned or converted until every source answers.\n')

    const json = io()
    expect(await runCli(['scan', '-c', partial, '--json'], json)).toBe(EXIT.ok)
    const [document] = cliJsonLines(json.out())
    expect(document).toMatchObject({ exceeds_threshold: false, incomplete_equity: { failed_sources: ['cold'], unpriced_holdings: [] } })
    expect(document?.warnings).toEqual([
      { code: 'source_failed', message: `Balance source cold failed: ${NO_MULTICALL}` },
      {
        code: 'incomplete_equity',
        message: 'The equity and dust of usdt_test are incomplete (cold failed): nothing is planned or converted until every source answers.',
        figures: { failed_sources: 'cold', unpriced_holdings: '' },
      },
    ])
  })

  it('plan --ignore-threshold and run --once: every token skipped as incomplete_equity, nothing executed', async () => {
    const plan = io()
    expect(await runCli(['plan', '-c', partial, '--ignore-threshold', '--json'], plan)).toBe(EXIT.ok)
    const [planned] = cliJsonLines(plan.out())
    assert.isDefined(planned, 'plan --json prints a document')
    expect(planned.instructions).toEqual([])
    // Claimable and wallet EIGEN are one group (claim, then sell): two tokens, two skips.
    expect((planned.skipped as Array<{ token: string; reason: string }>).map(({ token, reason }) => [token, reason])).toEqual([
      ['EIGEN', 'incomplete_equity'],
      ['ETHFI', 'incomplete_equity'],
    ])

    const run = io()
    expect(await runCli(['run', '--once', '-c', partial, '--json'], run)).toBe(EXIT.ok)
    const [cycle] = cliJsonLines(run.out())
    expect(cycle).toMatchObject({ execution_mode: 'paper', exceeds_threshold: false, instructions: [], outcomes: [], incomplete_equity: { failed_sources: ['cold'] } })

    const text = io()
    expect(await runCli(['run', '--once', '-c', partial], text)).toBe(EXIT.ok)
    expect(text.out()).toContain('  No conversion planned.\n')
    expect(text.out()).toContain('  Nothing executed.')
  })
})

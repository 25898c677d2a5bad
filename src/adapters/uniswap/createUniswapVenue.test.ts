import { type Abi, type Address, erc20Abi, parseEther, parseUnits, zeroAddress } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type DemoChain, startDemoChain } from '../../../test/demoChain.js'
import { Amount, Fraction } from '../../domain/money/index.js'
import { createUniswapPriceSource } from './createUniswapPriceSource.js'
import { type UniswapVenue, V3_GAS_PER_HOP, V3_INTRINSIC_GAS, createUniswapVenue } from './createUniswapVenue.js'
import { v2RouterAbi } from './uniswapAbis.js'

const clock = { now: () => 1_700_000_000_000, sleep: async () => {} }

describe('Uniswap venues on a local node', () => {
  let demo: DemoChain
  let v2: UniswapVenue
  let v3: UniswapVenue

  beforeAll(async () => {
    demo = await startDemoChain()
    const { environment, currencies: c } = demo
    v2 = createUniswapVenue({
      name: 'uniswap_v2',
      version: 'v2',
      router: environment.uniswapV2.router,
      factory: environment.uniswapV2.factory,
      pools: [{ tokens: [c.EIGEN, c.WETH] }, { tokens: [c.WETH, c.USDT] }],
      batcher: demo.evm.batcher,
      gas: { swap: 120_000n, extraHop: 60_000n },
      transactor: demo.transactor,
    })
    v3 = createUniswapVenue({
      name: 'uniswap',
      version: 'v3',
      router: environment.uniswapV3.swapRouter,
      factory: environment.uniswapV3.factory,
      quoter: environment.uniswapV3.quoterV2,
      pools: [
        { tokens: [c.EIGEN, c.WETH], fee: 3000 },
        { tokens: [c.WETH, c.USDT], fee: 500 },
        { tokens: [c.ETHFI, c.WETH], fee: 3000 },
      ],
      batcher: demo.evm.batcher,
      gas: { swap: 0n, extraHop: 0n },
      transactor: demo.transactor,
    })
  }, 120_000)

  afterAll(async () => {
    await demo?.stop()
  })

  const balance = (token: Address, owner: Address) => demo.evm.client.readContract({ address: token, abi: erc20Abi, functionName: 'balanceOf', args: [owner] })

  it('quotes a V2 two-hop sale exactly as the constant-product formula, with the fee of each hop', async () => {
    const c = demo.currencies
    const amountIn = Amount.parse(c.EIGEN, '1000')
    const quote = await v2.quote([c.EIGEN, c.WETH, c.USDT], amountIn)
    if (!quote.ok) throw new Error(quote.detail)
    // EIGEN/WETH: 100,000 EIGEN against 50 WETH; WETH/USDT: 200 WETH against 800,000 USDT.
    const out1 = (parseEther('1000') * 997n * parseEther('50')) / (parseEther('100000') * 1000n + parseEther('1000') * 997n)
    const out2 = (out1 * 997n * parseUnits('800000', 6)) / (parseEther('200') * 1000n + out1 * 997n)
    expect(quote.hops.map((hop) => hop.amountOut.raw)).toEqual([out1, out2])
    expect(quote.amountOut.raw).toBe(out2)
    expect(quote.hops[0]?.fee.toString()).toBe('3 EIGEN')
    expect(quote.hops[1]?.fee.raw).toBe((out1 * 3n + 999n) / 1000n)
    expect(quote.gasUnits).toBe(180_000n)
  })

  it('quotes a V3 multi-hop sale with QuoterV2, gas measured by the quoter', async () => {
    const c = demo.currencies
    const quote = await v3.quote([c.EIGEN, c.WETH, c.USDT], Amount.parse(c.EIGEN, '1000'))
    if (!quote.ok) throw new Error(quote.detail)
    // 1,000 EIGEN at 0.0005 WETH is 0.5 WETH, 2,000 USDT before the 0.3 % and 0.05 % fees and a little impact.
    expect(quote.amountOut.raw > parseUnits('1990', 6) && quote.amountOut.raw < parseUnits('1992.01', 6)).toBe(true)
    expect(quote.hops.map((hop) => hop.market)).toEqual(['EIGEN/WETH 0.3%', 'WETH/USDT 0.05%'])
    expect(quote.hops[0]?.fee.toString()).toBe('3 EIGEN')
    expect(quote.gasUnits > V3_INTRINSIC_GAS + 2n * V3_GAS_PER_HOP).toBe(true)
  })

  it('tells no route from a pool it lacks', async () => {
    const c = demo.currencies
    expect(await v2.quote([c.ETHFI, c.WETH], Amount.parse(c.ETHFI, '1'))).toMatchObject({ ok: false, reason: 'no_route' })
  })

  it('reads spot prices from V2 reserves and V3 slot0', async () => {
    const c = demo.currencies
    const v2Prices = await createUniswapPriceSource({ name: 'uniswap_v2', version: 'v2', pools: v2.pools, batcher: demo.evm.batcher, clock }).fetchPrices()
    const eigen = v2Prices.find((price) => [price.base.symbol, price.quote.symbol].includes('EIGEN'))
    const perEigen = eigen?.base.symbol === 'EIGEN' ? eigen : eigen?.invert()
    expect(perEigen?.quoteAmount(Amount.parse(c.EIGEN, '1'), 'down').toString()).toBe('0.0005 WETH')
    expect(perEigen?.origin).toEqual({ source: 'uniswap_v2', at: clock.now() })
    const v3Prices = await createUniswapPriceSource({ name: 'uniswap', version: 'v3', pools: v3.pools, batcher: demo.evm.batcher, clock }).fetchPrices()
    const weth = v3Prices.find((price) => [price.base.symbol, price.quote.symbol].join() === 'WETH,USDT' || [price.base.symbol, price.quote.symbol].join() === 'USDT,WETH')
    const perWeth = weth?.base.symbol === 'WETH' ? weth : weth?.invert()
    // slot0 keeps the price to 2^-96: 4,000 USDT rounds to 3,999.999999 or 4,000.
    expect(['3999.999999', '4000']).toContain(perWeth?.quoteAmount(Amount.parse(c.WETH, '1'), 'down').toDecimalString())
  })

  it('approves exactly the amount and swaps for the quoted output', async () => {
    const c = demo.currencies
    const amountIn = Amount.parse(c.EIGEN, '500')
    const quote = await v3.quote([c.EIGEN, c.WETH, c.USDT], amountIn)
    if (!quote.ok) throw new Error(quote.detail)
    const usdtBefore = await balance(c.USDT.address as Address, demo.wallet)
    const approval = await v3.approve(amountIn)
    expect(approval.ok).toBe(true)
    expect(await demo.evm.client.readContract({ address: c.EIGEN.address as Address, abi: erc20Abi, functionName: 'allowance', args: [demo.wallet, demo.environment.uniswapV3.swapRouter] })).toBe(
      amountIn.raw,
    )
    const minOutput = quote.amountOut.multiply(new Fraction(9950n, 10_000n), 'up')
    const swap = await v3.swap([c.EIGEN, c.WETH, c.USDT], amountIn, minOutput)
    if (!swap.ok) throw new Error(swap.detail)
    expect(swap.amountOut?.raw).toBe(quote.amountOut.raw)
    expect((await balance(c.USDT.address as Address, demo.wallet)) - usdtBefore).toBe(quote.amountOut.raw)
    // The approval is used up: nothing is left approved.
    expect(await demo.evm.client.readContract({ address: c.EIGEN.address as Address, abi: erc20Abi, functionName: 'allowance', args: [demo.wallet, demo.environment.uniswapV3.swapRouter] })).toBe(0n)
    expect(swap.receipt.kind).toBe('swap')
    expect(swap.receipt.gasUsed).toBeGreaterThan(100_000n)
    // The quoter's gas plus the router's overhead is within 10 % of what the swap really used, and above it.
    const used = Number(swap.receipt.gasUsed)
    expect(Number(quote.gasUnits)).toBeGreaterThanOrEqual(used)
    expect((Number(quote.gasUnits) - used) / used).toBeLessThan(0.1)
  })

  it('sends nothing when the pool moved against us after the quote: the simulation fails with the floor', async () => {
    const c = demo.currencies
    const amountIn = Amount.parse(c.EIGEN, '400')
    const quote = await v2.quote([c.EIGEN, c.WETH], amountIn)
    if (!quote.ok) throw new Error(quote.detail)
    expect((await v2.approve(amountIn)).ok).toBe(true)
    // Someone sells 5,000 EIGEN into the pair first.
    await demo.other.write(c.EIGEN.address as Address, erc20Abi as Abi, 'approve', [demo.environment.uniswapV2.router, parseEther('5000')])
    const deadline = (await demo.evm.client.getBlock()).timestamp + 600n
    await demo.other.write(demo.environment.uniswapV2.router, v2RouterAbi as Abi, 'swapExactTokensForTokens', [parseEther('5000'), 0n, [c.EIGEN.address, c.WETH.address], demo.other.address, deadline])
    const nonce = await demo.evm.client.getTransactionCount({ address: demo.wallet })
    const eigenBefore = await balance(c.EIGEN.address as Address, demo.wallet)
    const swap = await v2.swap([c.EIGEN, c.WETH], amountIn, quote.amountOut.multiply(new Fraction(9950n, 10_000n), 'up'))
    expect(swap).toMatchObject({ ok: false, reason: 'swap_simulation_failed', retryable: false })
    expect(swap.ok ? '' : swap.detail).toContain('UniswapV2Router: INSUFFICIENT_OUTPUT_AMOUNT')
    expect(swap.ok ? '' : swap.detail).toContain('Nothing was sent')
    expect(await demo.evm.client.getTransactionCount({ address: demo.wallet })).toBe(nonce)
    expect(await balance(c.EIGEN.address as Address, demo.wallet)).toBe(eigenBefore)
  })

  it('records a swap that reverts on chain when the pool moves between simulation and inclusion', async () => {
    const c = demo.currencies
    const amountIn = Amount.parse(c.EIGEN, '300')
    const quote = await v2.quote([c.EIGEN, c.WETH], amountIn)
    if (!quote.ok) throw new Error(quote.detail)
    expect((await v2.approve(amountIn)).ok).toBe(true)
    await demo.other.write(c.EIGEN.address as Address, erc20Abi as Abi, 'approve', [demo.environment.uniswapV2.router, parseEther('5000')])
    const eigenBefore = await balance(c.EIGEN.address as Address, demo.wallet)
    await demo.evm.client.request({ method: 'evm_setAutomine' as never, params: [false] as never })
    try {
      const pending = v2.swap([c.EIGEN, c.WETH], amountIn, quote.amountOut.multiply(new Fraction(9950n, 10_000n), 'up'))
      // Wait until our swap is in the mempool, then get a front-runner in ahead of it with a higher tip.
      for (let tries = 0; ; tries += 1) {
        const block = await demo.evm.client.getBlock({ blockTag: 'pending' })
        if (block.transactions.length > 0) break
        if (tries > 400) throw new Error('the swap never reached the mempool')
        await new Promise((resolve) => setTimeout(resolve, 10))
      }
      const deadline = (await demo.evm.client.getBlock()).timestamp + 600n
      await demo.other.wallet.writeContract({
        address: demo.environment.uniswapV2.router,
        abi: v2RouterAbi,
        functionName: 'swapExactTokensForTokens',
        args: [parseEther('5000'), 0n, [c.EIGEN.address as Address, c.WETH.address as Address], demo.other.address, deadline],
        maxPriorityFeePerGas: parseUnits('50', 9),
        maxFeePerGas: parseUnits('100', 9),
        gas: 200_000n,
      } as never)
      await demo.evm.client.request({ method: 'evm_mine' as never })
      const swap = await pending
      expect(swap).toMatchObject({ ok: false, reason: 'swap_reverted' })
      expect(swap.ok ? '' : swap.detail).toMatch(/reverted on local in block \d+: UniswapV2Router: INSUFFICIENT_OUTPUT_AMOUNT/)
      // The dust is kept.
      expect(await balance(c.EIGEN.address as Address, demo.wallet)).toBe(eigenBefore)
    } finally {
      await demo.evm.client.request({ method: 'evm_setAutomine' as never, params: [true] as never })
    }
  })

  it('reports a reverted approval with its reason and sends nothing', async () => {
    const c = demo.currencies
    const broken = createUniswapVenue({
      name: 'broken',
      version: 'v2',
      router: zeroAddress,
      factory: demo.environment.uniswapV2.factory,
      pools: [{ tokens: [c.EIGEN, c.WETH] }],
      batcher: demo.evm.batcher,
      gas: { swap: 1n, extraHop: 1n },
      transactor: demo.transactor,
    })
    const approval = await broken.approve(Amount.parse(c.EIGEN, '1'))
    expect(approval).toMatchObject({ ok: false, reason: 'simulation_failed' })
    expect(approval.ok ? '' : approval.detail).toContain('ERC20: approve to the zero address')
  })
})

import { type Abi, type Address, erc20Abi, parseEther, parseUnits, zeroAddress } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type DemoChain, startDemoChain } from '../../../test/demoChain.js'
import { Amount, Fraction } from '../../domain/money/index.js'
import { BaseError, SourceError, VenueError } from '../../errors/index.js'
import { createUniswapPriceSource } from './createUniswapPriceSource.js'
import { type UniswapVenue, V3_GAS_PER_HOP, V3_INTRINSIC_GAS, createUniswapVenue } from './createUniswapVenue.js'
import { v2RouterAbi } from './uniswapAbis.js'

const clock = { now: () => 1_700_000_000_000, sleep: async () => {} }

// The factories' create functions, to make a pool that exists but holds nothing.
const v2CreatePairAbi = [
  {
    type: 'function',
    name: 'createPair',
    stateMutability: 'nonpayable',
    inputs: [
      { name: 'tokenA', type: 'address' },
      { name: 'tokenB', type: 'address' },
    ],
    outputs: [{ name: 'pair', type: 'address' }],
  },
] as const
const v3CreatePoolAbi = [
  {
    type: 'function',
    name: 'createPool',
    stateMutability: 'nonpayable',
    inputs: [
      { name: 'tokenA', type: 'address' },
      { name: 'tokenB', type: 'address' },
      { name: 'fee', type: 'uint24' },
    ],
    outputs: [{ name: 'pool', type: 'address' }],
  },
] as const

/** Awaits a promise that must reject, and returns what it rejected with. */
async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise
  } catch (error) {
    return error
  }
  throw new Error('the promise resolved')
}

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

  describe('guards', () => {
    const v2Of = (overrides: Partial<Parameters<typeof createUniswapVenue>[0]> & Pick<Parameters<typeof createUniswapVenue>[0], 'pools'>) =>
      createUniswapVenue({
        name: 'guarded_v2',
        version: 'v2',
        router: demo.environment.uniswapV2.router,
        factory: demo.environment.uniswapV2.factory,
        batcher: demo.evm.batcher,
        gas: { swap: 120_000n, extraHop: 60_000n },
        ...overrides,
      })
    const v3Of = (overrides: Partial<Parameters<typeof createUniswapVenue>[0]> & Pick<Parameters<typeof createUniswapVenue>[0], 'pools'>) =>
      createUniswapVenue({
        name: 'guarded_v3',
        version: 'v3',
        router: demo.environment.uniswapV3.swapRouter,
        factory: demo.environment.uniswapV3.factory,
        quoter: demo.environment.uniswapV3.quoterV2,
        batcher: demo.evm.batcher,
        gas: { swap: 0n, extraHop: 0n },
        ...overrides,
      })

    it('refuses a V3 venue without a QuoterV2 address', () => {
      const c = demo.currencies
      expect(() => v3Of({ quoter: undefined, pools: [{ tokens: [c.EIGEN, c.WETH], fee: 3000 }] })).toThrow(new VenueError('guarded_v3', 'The Uniswap V3 venue guarded_v3 needs a QuoterV2 address.'))
    })

    it('answers no_route for a path of a single token, before it reads the chain', async () => {
      const c = demo.currencies
      expect(await v2.quote([c.EIGEN], Amount.parse(c.EIGEN, '1'))).toEqual({ ok: false, reason: 'no_route', detail: 'A path needs at least two tokens, found 1.' })
    })

    it('names the pool the factory does not have, with its fee tier on V3', async () => {
      const c = demo.currencies
      const { uniswapV2, uniswapV3 } = demo.environment
      const v2Error = await rejectionOf(v2Of({ pools: [{ tokens: [c.ETHFI, c.USDT] }] }).pools())
      expect(v2Error).toBeInstanceOf(VenueError)
      expect(v2Error).toMatchObject({ shortMessage: `guarded_v2 has no ETHFI/USDT pool at factory ${uniswapV2.factory}.` })
      const v3Error = await rejectionOf(v3Of({ pools: [{ tokens: [c.ETHFI, c.USDT], fee: 10_000 }] }).pools())
      expect(v3Error).toBeInstanceOf(VenueError)
      expect(v3Error).toMatchObject({ shortMessage: `guarded_v3 has no ETHFI/USDT pool with fee 10000 at factory ${uniswapV3.factory}.` })
    })

    it('takes the 0.3% tier for a V3 pool given without a fee', async () => {
      const c = demo.currencies
      const [pool] = await v3Of({ pools: [{ tokens: [c.EIGEN, c.WETH] }] }).pools()
      const [listed] = (await v3.pools()).filter((each) => each.tokens[0].symbol === 'EIGEN' && each.tokens[1].symbol === 'WETH')
      expect(pool?.fee).toBe(3000)
      expect(pool?.address).toBe(listed?.address)
    })

    it('wraps a pool list it cannot look up (a native coin has no address) in a retryable VenueError, and asks again next time', async () => {
      const c = demo.currencies
      const venue = v2Of({ pools: [{ tokens: [c.ETH, c.USDT] }] })
      for (let attempt = 0; attempt < 2; attempt += 1) {
        const error = await rejectionOf(venue.pools())
        expect(error).toBeInstanceOf(VenueError)
        expect(error).toMatchObject({ shortMessage: 'guarded_v2 could not find its pools on local.', retryable: true })
        const cause = error instanceof VenueError ? error.cause : undefined
        expect(cause).toBeInstanceOf(BaseError)
        expect(cause).toMatchObject({ code: 'invalid_parameter', shortMessage: 'ETH has no contract address: a token was expected, found a native coin.' })
      }
    })

    it('answers insufficient_liquidity when the V2 quote reverts on an empty pair, and the price source calls the pair empty', async () => {
      const c = demo.currencies
      await demo.other.write(demo.environment.uniswapV2.factory, v2CreatePairAbi, 'createPair', [c.ETHFI.address as Address, c.WETH.address as Address])
      const venue = v2Of({ pools: [{ tokens: [c.ETHFI, c.WETH] }] })
      const [pool] = await venue.pools()
      expect(pool?.address).not.toBe(zeroAddress)
      const quote = await venue.quote([c.ETHFI, c.WETH], Amount.parse(c.ETHFI, '1'))
      expect(quote).toEqual({ ok: false, reason: 'insufficient_liquidity', detail: 'guarded_v2 cannot quote 1 ETHFI along ETHFI → WETH: the quote reverted.' })
      const [token0, token1] = BigInt(c.ETHFI.address as Address) < BigInt(c.WETH.address as Address) ? ['ETHFI', 'WETH'] : ['WETH', 'ETHFI']
      const error = await rejectionOf(createUniswapPriceSource({ name: 'guarded_v2', version: 'v2', pools: venue.pools, batcher: demo.evm.batcher, clock }).fetchPrices())
      expect(error).toBeInstanceOf(SourceError)
      expect(error).toMatchObject({ source: 'guarded_v2', shortMessage: `The ${token0}/${token1} pair ${pool?.address} is empty.` })
    })

    it('calls a V3 pool that was created but never initialized not initialized', async () => {
      const c = demo.currencies
      await demo.other.write(demo.environment.uniswapV3.factory, v3CreatePoolAbi, 'createPool', [c.ETHFI.address as Address, c.USDT.address as Address, 500])
      const venue = v3Of({ pools: [{ tokens: [c.ETHFI, c.USDT], fee: 500 }] })
      const [pool] = await venue.pools()
      const [token0, token1] = BigInt(c.ETHFI.address as Address) < BigInt(c.USDT.address as Address) ? ['ETHFI', 'USDT'] : ['USDT', 'ETHFI']
      const error = await rejectionOf(createUniswapPriceSource({ name: 'guarded_v3', version: 'v3', pools: venue.pools, batcher: demo.evm.batcher, clock }).fetchPrices())
      expect(error).toBeInstanceOf(SourceError)
      expect(error).toMatchObject({ source: 'guarded_v3', shortMessage: `The ${token0}/${token1} pool ${pool?.address} is not initialized.` })
    })

    it("wraps the chain's own errors in the price source's name: an address that is no pair, a pool of a native coin", async () => {
      const c = demo.currencies
      const notAPair = createUniswapPriceSource({
        name: 'guarded_v2',
        version: 'v2',
        pools: async () => [{ tokens: [c.EIGEN, c.WETH], fee: 3000, address: demo.wallet }],
        batcher: demo.evm.batcher,
        clock,
      })
      const decodeError = await rejectionOf(notAPair.fetchPrices())
      expect(decodeError).toBeInstanceOf(SourceError)
      expect(decodeError).toMatchObject({ source: 'guarded_v2', shortMessage: "guarded_v2 could not read its pools' prices on local." })
      expect(decodeError instanceof SourceError ? decodeError.cause : undefined).toMatchObject({ source: 'local', shortMessage: `getReserves on ${demo.wallet} answered data that does not decode.` })
      const native = createUniswapPriceSource({
        name: 'guarded_v2',
        version: 'v2',
        pools: async () => [{ tokens: [c.ETH, c.WETH], fee: 3000, address: demo.wallet }],
        batcher: demo.evm.batcher,
        clock,
      })
      const nativeError = await rejectionOf(native.fetchPrices())
      expect(nativeError).toMatchObject({ source: 'guarded_v2', shortMessage: "guarded_v2 could not read its pools' prices on local." })
      expect(nativeError instanceof SourceError ? nativeError.cause : undefined).toMatchObject({ code: 'invalid_parameter' })
    })

    it('raises a retryable VenueError when the quote fails without reverting: a router that is no contract', async () => {
      const c = demo.currencies
      const venue = v2Of({ router: demo.wallet, pools: [{ tokens: [c.EIGEN, c.WETH] }] })
      const error = await rejectionOf(venue.quote([c.EIGEN, c.WETH], Amount.parse(c.EIGEN, '1')))
      expect(error).toBeInstanceOf(VenueError)
      expect(error).toMatchObject({ shortMessage: 'guarded_v2 could not quote on local.', retryable: true, details: `getAmountsOut on ${demo.wallet} answered data that does not decode.` })
    })

    it("carries the approval's gas from eth_estimateGas when it knows the wallet, and none when it does not", async () => {
      const c = demo.currencies
      const pools = [{ tokens: [c.EIGEN, c.WETH] }] as const
      const estimating = await v2Of({ pools, estimateFor: { owner: demo.wallet, client: demo.evm.client } }).quote([c.EIGEN, c.WETH], Amount.parse(c.EIGEN, '1'))
      const expected = await demo.evm.client.estimateContractGas({
        address: c.EIGEN.address as Address,
        abi: erc20Abi,
        functionName: 'approve',
        args: [demo.environment.uniswapV2.router, parseEther('1')],
        account: demo.wallet,
      })
      expect(estimating).toMatchObject({ ok: true, approvalGasUnits: expected })
      const blind = await v2Of({ pools }).quote([c.EIGEN, c.WETH], Amount.parse(c.EIGEN, '1'))
      expect(blind).toMatchObject({ ok: true, approvalGasUnits: undefined })
    })

    it('answers no_signer to approvals and swaps when it only quotes', async () => {
      const c = demo.currencies
      const venue = v2Of({ pools: [{ tokens: [c.EIGEN, c.WETH] }] })
      const unsigned = { ok: false, reason: 'no_signer', detail: 'guarded_v2 has no signer: it quotes only.', retryable: false }
      expect(await venue.approve(Amount.parse(c.EIGEN, '1'))).toEqual(unsigned)
      expect(await venue.swap([c.EIGEN, c.WETH], Amount.parse(c.EIGEN, '1'), Amount.parse(c.WETH, '0'))).toEqual(unsigned)
    })

    it('approves no native coin, and refuses a swap along an empty path', async () => {
      const c = demo.currencies
      expect(await v2.approve(Amount.parse(c.ETH, '1'))).toEqual({ ok: false, reason: 'simulation_failed', detail: 'ETH is a native coin: only tokens are approved.', retryable: false })
      await expect(v2.swap([], Amount.parse(c.EIGEN, '1'), Amount.parse(c.WETH, '0'))).rejects.toThrow(new VenueError('uniswap_v2', 'A swap path needs at least two tokens, found 0.'))
    })

    it('tells the journal the hash of an approval before it waits for it', async () => {
      const c = demo.currencies
      const heard: string[] = []
      const approval = await v3.approve(Amount.parse(c.EIGEN, '2'), { submitting: async (reference) => void heard.push(reference) })
      if (!approval.ok) throw new Error(approval.detail)
      expect(heard).toEqual([approval.receipt.reference])
    })

    it('sends no V3 swap along a pair it has no pool for: the simulation fails and the journal hears nothing', async () => {
      const c = demo.currencies
      const heard: string[] = []
      const swap = await v3.swap([c.WETH, c.ETHFI, c.USDT], Amount.parse(c.WETH, '1'), Amount.parse(c.USDT, '1'), { submitting: async (reference) => void heard.push(reference) })
      expect(swap).toMatchObject({ ok: false, reason: 'swap_simulation_failed', retryable: false })
      expect(heard).toEqual([])
    })
  })
})

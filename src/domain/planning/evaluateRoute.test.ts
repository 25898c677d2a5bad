import { describe, expect, it } from 'vitest'
import { EIGEN, ETH, FIXED_TIME, USDT, WETH, amount, holding, price } from '../../../test/fixtureMoney.js'
import type { Custody, Holding } from '../dust/index.js'
import { type Amount, Fraction, createCurrency, createPriceBook, sumAmounts } from '../money/index.js'
import type { ConversionGroup } from './ConversionGroup.js'
import type { QuotedHop, RouteQuote } from './RouteQuote.js'
import { type EvaluateRouteParameters, evaluateRoute } from './evaluateRoute.js'

const ZRO = createCurrency({ symbol: 'ZRO', decimals: 18 })
const BINANCE: Custody = { kind: 'exchange', exchange: 'binance' }
const GWEI = 1_000_000_000n

const book = createPriceBook({
  prices: [price(EIGEN, USDT, '1.25'), price(ETH, USDT, '2500')],
  equivalents: [[WETH, ETH]],
  at: FIXED_TIME,
})

function group(sources: Holding[], sellAmount?: Amount): ConversionGroup {
  const first = sources[0] as Holding
  const total = sumAmounts(
    first.amount.currency,
    sources.map((source) => source.amount),
  )
  return { custody: first.custody, sources, total, sellAmount: sellAmount ?? total }
}

/** 1,500 EIGEN claimable at ether.fi and 20 in the wallet, on Ethereum. */
const claimAndWallet = group([holding(EIGEN, '1500', 'etherfi', 'claimable_rewards'), holding(EIGEN, '20', 'wallet', 'wallet_balance')])

/** The fixture's binance book for 1,520 EIGEN: 1,000 at 1.249 and 520 at 1.247 = 1,897.44 USDT, less 10 bps. */
function cexQuote(overrides: Partial<RouteQuote> = {}, hop: Partial<QuotedHop> = {}): RouteQuote {
  return {
    ok: true,
    venue: 'binance',
    path: [EIGEN, USDT],
    amountIn: amount(EIGEN, '1520'),
    residual: amount(EIGEN, '0'),
    leftovers: [],
    amountOut: amount(USDT, '1895.54256'),
    hops: [
      {
        market: 'EIGEN/USDT',
        amountIn: amount(EIGEN, '1520'),
        amountOut: amount(USDT, '1895.54256'),
        fee: amount(USDT, '1.89744'),
        notional: amount(USDT, '1897.44'),
        minNotional: amount(USDT, '5'),
        ...hop,
      },
    ],
    gasUnits: 0n,
    ...overrides,
  }
}

function parameters(overrides: Partial<EvaluateRouteParameters> = {}): EvaluateRouteParameters {
  return {
    group: claimAndWallet,
    quote: cexQuote(),
    venueKind: 'cex',
    target: USDT,
    priceBook: book,
    native: ETH,
    gasPrice: 2_500_000_000n, // 2.5 gwei
    gasUnits: { claim: 90_000n, approve: 55_000n, transfer: 65_000n },
    maxSlippageBps: 50,
    minNotionalBufferBps: 100,
    ...overrides,
  }
}

describe('evaluateRoute', () => {
  it('prices a CEX route of claimed and wallet tokens: claim and transfer gas, fees, impact, net and floor', () => {
    const route = evaluateRoute(parameters())
    expect(route.rejection).toBeUndefined()
    expect(route.venue).toBe('binance')
    expect(route.path).toEqual(['EIGEN', 'USDT'])
    expect(route.amountIn.toDecimalString()).toBe('1520')
    expect(route.residual.toDecimalString()).toBe('0')
    expect(route.estimatedOutput.toString()).toBe('1895.54256 USDT')
    expect(route.tradingFees.toString()).toBe('1.89744 USDT')
    // 1,520 × 1.25 = 1,900 at the reference price; 1,900 − 1,895.54256 − 1.89744 = 2.56 lost to the book's depth.
    expect(route.priceImpact.toString()).toBe('2.56 USDT')
    // One claim (90,000) and one transfer to binance (65,000) = 155,000 gas × 2.5 gwei = 0.0003875 ETH × 2,500 = 0.96875 USDT.
    expect(route.gasUnits).toBe(155_000n)
    expect(route.gasCost.toString()).toBe('0.96875 USDT')
    expect(route.estimatedFees.toString()).toBe('2.86619 USDT')
    expect(route.netOutput.toString()).toBe('1894.57381 USDT')
    // The floor is the higher of two, each rounded up to the base unit:
    // the quote less 50 bps, 1,895.54256 × 0.995 = 1,886.0648472, up to 1,886.064848;
    // the value at independent prices less fees and 50 bps, (1,900 − 1.89744) × 0.995 = 1,898.10256 × 0.995 = 1,888.6120472, up to 1,888.612048.
    expect(route.minOutput.toString()).toBe('1888.612048 USDT')
    expect(route.minOutput.greaterThan(route.estimatedOutput.multiply(new Fraction(9_950n, 10_000n), 'up'))).toBe(true)
    expect(
      route.steps.map((step) =>
        step.kind === 'market_sell' || step.kind === 'swap'
          ? [step.kind, step.venue, step.path.join('>'), step.amountIn.toDecimalString(), step.minOutput.toDecimalString()]
          : step.kind === 'transfer'
            ? [step.kind, step.to, step.amount.toDecimalString()]
            : [step.kind, step.venue, step.amount.toDecimalString()],
      ),
    ).toEqual([
      ['claim', 'etherfi', '1500'],
      ['transfer', 'binance', '1520'],
      ['market_sell', 'binance', 'EIGEN>USDT', '1520', '1888.612048'],
    ])
  })

  it('rounds gas up to the share class base unit: 155,000 gas at 1 wei is 0.0000003875 USDT, charged as 0.000001', () => {
    const route = evaluateRoute(parameters({ gasPrice: 1n }))
    expect(route.gasCost.raw).toBe(1n)
    expect(route.netOutput.toDecimalString()).toBe('1895.542559')
  })

  it('charges no gas for tokens already on the exchange, even with no gas price known', () => {
    const onExchange = group([holding(EIGEN, '1520', 'binance', 'exchange_balance', BINANCE)])
    const route = evaluateRoute(parameters({ group: onExchange, gasPrice: undefined, native: undefined }))
    expect(route.rejection).toBeUndefined()
    expect(route.gasUnits).toBe(0n)
    expect(route.gasCost.toString()).toBe('0 USDT')
    expect(route.netOutput.toString()).toBe('1895.54256 USDT')
    expect(route.estimatedFees.toString()).toBe('1.89744 USDT')
    expect(route.steps.map((step) => step.kind)).toEqual(['market_sell'])
  })

  it('prices a two-hop DEX route: approve and swap gas, and pool fees valued in the share class', () => {
    const wallet = group([holding(EIGEN, '1000', 'wallet', 'wallet_balance')])
    const route = evaluateRoute(
      parameters({
        group: wallet,
        venueKind: 'dex',
        quote: {
          ok: true,
          venue: 'uniswap',
          path: [EIGEN, WETH, USDT],
          amountIn: amount(EIGEN, '1000'),
          residual: amount(EIGEN, '0'),
          leftovers: [],
          amountOut: amount(USDT, '1239.114833'),
          hops: [
            { market: 'EIGEN/WETH', amountIn: amount(EIGEN, '1000'), amountOut: amount(WETH, '0.49726057800931179'), fee: amount(EIGEN, '3') },
            { market: 'WETH/USDT', amountIn: amount(WETH, '0.49726057800931179'), amountOut: amount(USDT, '1239.114833'), fee: amount(WETH, '0.001491781734027936') },
          ],
          gasUnits: 250_000n,
        },
      }),
    )
    expect(route.rejection).toBeUndefined()
    // 3 EIGEN × 1.25 = 3.75; 0.001491781734027936 WETH × 2,500 = 3.72945433506984, up to 3.729455.
    expect(route.tradingFees.toString()).toBe('7.479455 USDT')
    // 1,250 − 1,239.114833 − 7.479455.
    expect(route.priceImpact.toString()).toBe('3.405712 USDT')
    // Approve 55,000 + swap 250,000 = 305,000 gas × 2.5 gwei × 2,500 = 1.90625 USDT.
    expect(route.gasUnits).toBe(305_000n)
    expect(route.gasCost.toString()).toBe('1.90625 USDT')
    expect(route.netOutput.toString()).toBe('1237.208583 USDT')
    expect(route.estimatedFees.toString()).toBe('9.385705 USDT')
    // The quote less 50 bps, 1,239.114833 × 0.995 = 1,232.919258835, up to 1,232.919259, is under the value at
    // independent prices less fees and 50 bps: (1,250 − 7.479455) × 0.995 = 1,242.520545 × 0.995 = 1,236.307942275, up to 1,236.307943.
    expect(route.minOutput.toString()).toBe('1236.307943 USDT')
    expect(route.steps.map((step) => step.kind)).toEqual(['approve', 'swap'])
    const swap = route.steps[1]
    expect(swap?.kind === 'swap' && [swap.path, swap.amountIn.toDecimalString(), swap.minOutput.toDecimalString()]).toEqual([['EIGEN', 'WETH', 'USDT'], '1000', '1236.307943'])
  })

  it("defers a route with on-chain steps while gas costs more than the chain's cap", () => {
    // 2.5 gwei against a cap of 2 gwei: the conversion waits.
    const route = evaluateRoute(parameters({ gasPriceCap: 2_000_000_000n }))
    expect(route.rejection).toEqual({
      reason: 'gas_price_above_cap',
      detail: 'Gas costs 2.5 gwei, above the cap of 2 gwei; the conversion waits for cheaper gas.',
    })
    // At the cap exactly, it goes.
    expect(evaluateRoute(parameters({ gasPriceCap: 2_500_000_000n })).rejection).toBeUndefined()
    // Tokens already on the exchange have no on-chain step: the cap does not apply.
    const onExchange = group([holding(EIGEN, '1520', 'binance', 'exchange_balance', BINANCE)])
    expect(evaluateRoute(parameters({ group: onExchange, gasPriceCap: 1n })).rejection).toBeUndefined()
  })

  it('uses the gas the node estimated for claims and approvals instead of the configured units', () => {
    // Configured: claim 90,000 + transfer 65,000 = 155,000. Estimated claim: 63,512.
    const cex = evaluateRoute(parameters({ claimGasUnits: new Map([['etherfi', 63_512n]]) }))
    expect(cex.gasUnits).toBe(63_512n + 65_000n)
    // A claim venue the node did not answer for keeps the configured units.
    expect(evaluateRoute(parameters({ claimGasUnits: new Map([['other', 1n]]) })).gasUnits).toBe(155_000n)
    const wallet = group([holding(EIGEN, '1000', 'wallet', 'wallet_balance')])
    const dex = evaluateRoute(
      parameters({
        group: wallet,
        venueKind: 'dex',
        quote: { ...cexQuote(), venue: 'uniswap', amountIn: amount(EIGEN, '1000'), gasUnits: 250_000n, approvalGasUnits: 46_139n },
      }),
    )
    expect(dex.gasUnits).toBe(46_139n + 250_000n)
  })

  it("adds a keeper's Roles modifier gas to every on-chain step: claim and transfer, approve and swap", () => {
    const gasUnits = { claim: 90_000n, approve: 55_000n, transfer: 65_000n, perOnchainStep: 80_000n }
    // Claim 90,000 + transfer 65,000, and 80,000 for each of the two steps.
    expect(evaluateRoute(parameters({ gasUnits })).gasUnits).toBe(155_000n + 160_000n)
    const dex = evaluateRoute(
      parameters({
        gasUnits,
        group: group([holding(EIGEN, '1000', 'wallet', 'wallet_balance')]),
        venueKind: 'dex',
        quote: { ...cexQuote(), venue: 'uniswap', amountIn: amount(EIGEN, '1000'), gasUnits: 250_000n },
      }),
    )
    expect(dex.gasUnits).toBe(55_000n + 250_000n + 160_000n)
  })
  it('values a trading fee below one base unit as one base unit (fees round up)', () => {
    const onExchange = group([holding(EIGEN, '1520', 'binance', 'exchange_balance', BINANCE)])
    const route = evaluateRoute(parameters({ group: onExchange, quote: cexQuote({}, { fee: amount(EIGEN, '0.0000001') }) }))
    // 0.0000001 EIGEN × 1.25 = 0.000000125 USDT.
    expect(route.tradingFees.raw).toBe(1n)
  })

  it('gives a negative price impact when the venue pays more than the reference price', () => {
    const onExchange = group([holding(EIGEN, '100', 'binance', 'exchange_balance', BINANCE)])
    const route = evaluateRoute(
      parameters({
        group: onExchange,
        quote: cexQuote(
          { amountIn: amount(EIGEN, '100'), amountOut: amount(USDT, '129.87') },
          { amountIn: amount(EIGEN, '100'), amountOut: amount(USDT, '129.87'), fee: amount(USDT, '0.13'), notional: amount(USDT, '130') },
        ),
      }),
    )
    // Reference 125; 125 − 129.87 − 0.13 = −5.
    expect(route.priceImpact.toString()).toBe('-5 USDT')
    expect(route.netOutput.toString()).toBe('129.87 USDT')
  })

  it('keeps what the amount step or the per-run cap leaves as residual', () => {
    const capped = group([holding(EIGEN, '1500', 'etherfi', 'claimable_rewards'), holding(EIGEN, '20.005', 'wallet', 'wallet_balance')], amount(EIGEN, '1520.005'))
    const route = evaluateRoute(parameters({ group: capped, quote: cexQuote({ residual: amount(EIGEN, '0.005') }) }))
    expect(route.residual.toString()).toBe('0.005 EIGEN')
  })

  it('rejects an order under the venue minimum plus the safety buffer as below_venue_minimum', () => {
    const onExchange = group([holding(EIGEN, '4.04', 'binance', 'exchange_balance', BINANCE)])
    const quote = (notional: string) =>
      cexQuote(
        { amountIn: amount(EIGEN, '4.04'), amountOut: amount(USDT, notional) },
        { amountIn: amount(EIGEN, '4.04'), amountOut: amount(USDT, notional), fee: amount(USDT, '0'), notional: amount(USDT, notional) },
      )
    // 5 USDT × 1.01 = 5.05: 5.04 is over the minimum but inside the buffer.
    const under = evaluateRoute(parameters({ group: onExchange, quote: quote('5.04') }))
    expect(under.rejection).toEqual({
      reason: 'below_venue_minimum',
      detail: 'EIGEN/USDT on binance: the order is worth 5.04 USDT, under the minimum 5 USDT plus the 100 bps safety buffer (5.05 USDT).',
    })
    expect(evaluateRoute(parameters({ group: onExchange, quote: quote('5.05') })).rejection).toBeUndefined()
    expect(evaluateRoute(parameters({ group: onExchange, quote: quote('5.04'), minNotionalBufferBps: 0 })).rejection).toBeUndefined()
  })

  it('rejects a route whose gas eats the output as net_output_not_positive', () => {
    const small = group([holding(EIGEN, '1', 'wallet', 'wallet_balance')])
    const route = evaluateRoute(
      parameters({
        group: small,
        gasPrice: 100n * GWEI,
        minNotionalBufferBps: 0,
        // Sold at the reference price (1.25 = 1.249 + 0.001 of fee), so the slippage floor passes and gas decides.
        quote: cexQuote(
          { amountIn: amount(EIGEN, '1'), amountOut: amount(USDT, '1.249') },
          { amountIn: amount(EIGEN, '1'), amountOut: amount(USDT, '1.249'), fee: amount(USDT, '0.001'), notional: amount(USDT, '1.25'), minNotional: amount(USDT, '0') },
        ),
      }),
    )
    // (1.25 − 0.001) × 0.995 = 1.242755: under the 1.249 quoted.
    expect(route.minOutput.toString()).toBe('1.242755 USDT')
    // A transfer of 65,000 gas × 100 gwei = 0.0065 ETH = 16.25 USDT.
    expect(route.gasCost.toString()).toBe('16.25 USDT')
    expect(route.netOutput.toString()).toBe('-15.001 USDT')
    expect(route.rejection).toEqual({
      reason: 'net_output_not_positive',
      detail: 'Selling 1 EIGEN on binance yields 1.249 USDT but costs 16.25 USDT in gas: nothing is gained.',
    })
  })

  it('rejects a net output of exactly zero', () => {
    const small = group([holding(EIGEN, '1.04', 'wallet', 'wallet_balance')])
    const route = evaluateRoute(
      parameters({
        group: small,
        gasPrice: 8n * GWEI,
        // 1.04 EIGEN at the reference price of 1.25 is 1.3 USDT, with no fee: the slippage floor passes.
        quote: cexQuote({ amountIn: amount(EIGEN, '1.04'), amountOut: amount(USDT, '1.3'), hops: [] }),
      }),
    )
    // A transfer of 65,000 gas × 8 gwei = 0.00052 ETH × 2,500 = 1.3 USDT: exactly the output.
    expect(route.gasCost.toString()).toBe('1.3 USDT')
    expect(route.netOutput.toString()).toBe('0 USDT')
    expect(route.rejection?.reason).toBe('net_output_not_positive')
  })

  it('keeps the first reason when several apply', () => {
    const small = group([holding(EIGEN, '1', 'wallet', 'wallet_balance')])
    const route = evaluateRoute(
      parameters({
        group: small,
        gasPrice: 100n * GWEI,
        quote: cexQuote({ amountIn: amount(EIGEN, '1'), amountOut: amount(USDT, '1.2') }, { notional: amount(USDT, '1.2') }),
      }),
    )
    expect(route.rejection?.reason).toBe('below_venue_minimum')
  })

  it('rejects an on-chain route as gas_price_unavailable when the chain has no gas price', () => {
    const route = evaluateRoute(parameters({ gasPrice: undefined }))
    expect(route.rejection).toEqual({
      reason: 'gas_price_unavailable',
      detail: 'The gas price of ethereum is unknown, so the cost of 155000 gas units cannot be known.',
    })
    expect(route.gasCost.toString()).toBe('0 USDT')
    expect(evaluateRoute(parameters({ native: undefined })).rejection?.reason).toBe('gas_price_unavailable')
  })

  it('rejects as unpriced a token, a fee or a gas coin that has no price in the share class', () => {
    const zro = group([holding(ZRO, '10', 'binance', 'exchange_balance', BINANCE)])
    const unpricedToken = evaluateRoute(parameters({ group: zro, quote: cexQuote({ path: [ZRO, USDT], amountIn: amount(ZRO, '10') }) }))
    expect(unpricedToken.rejection).toEqual({
      reason: 'unpriced',
      detail: 'ZRO has no price in USDT, so the slippage floor cannot be set.',
    })
    expect(unpricedToken.priceImpact.toString()).toBe('0 USDT')

    const unpricedFee = evaluateRoute(parameters({ quote: cexQuote({}, { fee: amount(ZRO, '1') }) }))
    expect(unpricedFee.rejection).toEqual({ reason: 'unpriced', detail: 'The ZRO fee of EIGEN/USDT has no price in USDT.' })

    const unpricedGas = evaluateRoute(parameters({ native: ZRO }))
    expect(unpricedGas.rejection).toEqual({ reason: 'unpriced', detail: 'ZRO (gas) has no price in USDT.' })
  })

  it('counts a WETH output one for one in an ETH share class, and gas in ETH needs no conversion', () => {
    const wallet = group([holding(EIGEN, '1000', 'wallet', 'wallet_balance')])
    const route = evaluateRoute(
      parameters({
        group: wallet,
        target: ETH,
        venueKind: 'dex',
        gasPrice: 2n * GWEI,
        quote: {
          ok: true,
          venue: 'uniswap',
          path: [EIGEN, WETH],
          amountIn: amount(EIGEN, '1000'),
          residual: amount(EIGEN, '0'),
          leftovers: [],
          amountOut: amount(WETH, '0.49726057800931179'),
          hops: [{ market: 'EIGEN/WETH', amountIn: amount(EIGEN, '1000'), amountOut: amount(WETH, '0.49726057800931179'), fee: amount(EIGEN, '3') }],
          gasUnits: 180_000n,
        },
      }),
    )
    expect(route.rejection).toBeUndefined()
    expect(route.estimatedOutput.toString()).toBe('0.49726057800931179 ETH')
    // 3 EIGEN × 1.25 / 2,500 = 0.0015 ETH.
    expect(route.tradingFees.toString()).toBe('0.0015 ETH')
    // (55,000 + 180,000) × 2 gwei = 0.00047 ETH.
    expect(route.gasCost.toString()).toBe('0.00047 ETH')
    expect(route.netOutput.toString()).toBe('0.49679057800931179 ETH')
    expect(route.priceImpact.toString()).toBe('0.00123942199068821 ETH')
  })

  it('sets the floor at the output with no slippage allowed, and at zero with all of it', () => {
    // Reference 125, fee 0.13: a venue paying 129.87 for 100 EIGEN pays at least the independent value less fees (124.87).
    const atOrAboveValue = parameters({
      group: group([holding(EIGEN, '100', 'binance', 'exchange_balance', BINANCE)]),
      quote: cexQuote(
        { amountIn: amount(EIGEN, '100'), amountOut: amount(USDT, '129.87') },
        { amountIn: amount(EIGEN, '100'), amountOut: amount(USDT, '129.87'), fee: amount(USDT, '0.13'), notional: amount(USDT, '130') },
      ),
    })
    // max(129.87 × 1, 124.87 × 1) = 129.87.
    expect(evaluateRoute({ ...atOrAboveValue, maxSlippageBps: 0 }).minOutput.toString()).toBe('129.87 USDT')
    expect(evaluateRoute({ ...atOrAboveValue, maxSlippageBps: 0 }).rejection).toBeUndefined()
    expect(evaluateRoute({ ...atOrAboveValue, maxSlippageBps: 10_000 }).minOutput.toString()).toBe('0 USDT')
    // With all of it allowed, both sides of the floor are zero: max(1,895.54256 × 0, 1,898.10256 × 0) = 0.
    expect(evaluateRoute(parameters({ maxSlippageBps: 10_000 })).minOutput.toString()).toBe('0 USDT')
    expect(evaluateRoute(parameters({ maxSlippageBps: 10_000 })).rejection).toBeUndefined()
    // With none allowed, the book's 2.56 of depth is too much: (1,900 − 1.89744) × 1 = 1,898.10256 > 1,895.54256.
    const noSlippage = evaluateRoute(parameters({ maxSlippageBps: 0 }))
    expect(noSlippage.minOutput.toString()).toBe('1898.10256 USDT')
    expect(noSlippage.rejection).toEqual({
      reason: 'slippage_above_limit',
      detail: 'binance gives 1895.54256 USDT for 1520 EIGEN, under the floor of 1898.10256 USDT: 0 bps under its value at prices from other sources (1900 USDT, less 1.89744 USDT of fees).',
    })
  })

  it("sets the reference and the floor without the route's own venue as a price source", () => {
    // binance also publishes EIGEN prices, first in the book, so the book answers with them; its route must not.
    for (const own of ['100', '0.5']) {
      const withOwn = createPriceBook({
        prices: [price(EIGEN, USDT, own, 'binance'), price(EIGEN, USDT, '1.25'), price(ETH, USDT, '2500')],
        equivalents: [[WETH, ETH]],
        at: FIXED_TIME,
      })
      expect(withOwn.price(EIGEN, USDT)?.origin.source).toBe('binance')
      const route = evaluateRoute(parameters({ priceBook: withOwn }))
      expect(route.rejection).toBeUndefined()
      // As with the static price alone: 1,520 × 1.25 = 1,900 − 1,895.54256 − 1.89744 = 2.56 of impact;
      // (1,900 − 1.89744) × 0.995 = 1,888.6120472, up to 1,888.612048.
      expect(route.priceImpact.toString()).toBe('2.56 USDT')
      expect(route.minOutput.toString()).toBe('1888.612048 USDT')
    }
  })

  it('rejects a route paying far under its value at independent prices as slippage_above_limit', () => {
    const onExchange = group([holding(EIGEN, '1520', 'binance', 'exchange_balance', BINANCE)])
    const selling = (output: string) =>
      parameters({
        group: onExchange,
        quote: cexQuote({ amountOut: amount(USDT, output) }, { amountOut: amount(USDT, output), fee: amount(USDT, '1.5'), notional: amount(USDT, output).add(amount(USDT, '1.5')) }),
      })
    // 1,520 × 1.25 = 1,900, less 1.5 of fees = 1,898.5, × 0.995 = 1,889.0075: a floor far over the 1,500 quoted.
    const far = evaluateRoute(selling('1500'))
    expect(far.rejection).toEqual({
      reason: 'slippage_above_limit',
      detail: 'binance gives 1500 USDT for 1520 EIGEN, under the floor of 1889.0075 USDT: 50 bps under its value at prices from other sources (1900 USDT, less 1.5 USDT of fees).',
    })
    // 1,900 − 1,500 − 1.5.
    expect(far.priceImpact.toString()).toBe('398.5 USDT')
    expect(far.minOutput.toString()).toBe('1889.0075 USDT')
    // At the floor exactly the route is accepted, and its floor is its whole output; one base unit under, it is not.
    const atFloor = evaluateRoute(selling('1889.0075'))
    expect(atFloor.rejection).toBeUndefined()
    expect(atFloor.minOutput.toString()).toBe('1889.0075 USDT')
    expect(evaluateRoute(selling('1889.007499')).rejection?.reason).toBe('slippage_above_limit')
  })

  it("rejects as no_independent_price, not unpriced, a token only the route's own venue prices, since its floor cannot be set independently", () => {
    const onlyBinance = createPriceBook({
      prices: [price(EIGEN, USDT, '1.25', 'binance'), price(ETH, USDT, '2500')],
      equivalents: [[WETH, ETH]],
      at: FIXED_TIME,
    })
    const route = evaluateRoute(parameters({ priceBook: onlyBinance }))
    expect(route.rejection).toEqual({
      reason: 'no_independent_price',
      detail: "EIGEN is priced in USDT only by binance, the route's own venue, so the slippage floor cannot be set independently; a price source other than binance is needed.",
    })
    expect(route.priceImpact.toString()).toBe('0 USDT')
    // With no independent price, only the quote less 50 bps is left: 1,895.54256 × 0.995 = 1,886.0648472, up to 1,886.064848.
    expect(route.minOutput.toString()).toBe('1886.064848 USDT')
    // The same price is independent for another venue: (1,900 − 1.89744) × 0.995 = 1,888.6120472, up to 1,888.612048.
    const elsewhere = evaluateRoute(parameters({ priceBook: onlyBinance, quote: cexQuote({ venue: 'okx' }) }))
    expect(elsewhere.rejection).toBeUndefined()
    expect(elsewhere.minOutput.toString()).toBe('1888.612048 USDT')
  })
})

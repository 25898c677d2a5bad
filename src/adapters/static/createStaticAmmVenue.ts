import type { Amount, Currency } from '../../domain/money/index.js'
import { type ConstantProductPool, applyConstantProductSwap, quoteConstantProduct } from '../../domain/planning/quoteConstantProduct.js'
import type { RouteQuote } from '../../domain/planning/RouteQuote.js'
import type { ConversionVenue } from '../../ports/index.js'
import { type HopResult, type PathQuoteFailure, quotePath } from './quotePath.js'

export type CreateStaticAmmVenueParameters = {
  name: string
  chain: string
  pools: readonly ConstantProductPool[]
  /** Gas of a one-hop swap, and of each further hop. */
  gas: { swap: bigint; extraHop: bigint }
}

/** A DEX venue of constant-product pools whose reserves are given; swaps move the reserves. */
export type StaticAmmVenue = ConversionVenue & {
  /** Swaps along a path, moving the pools' reserves (paper trading). */
  execute(path: readonly Currency[], amountIn: Amount): Promise<RouteQuote | PathQuoteFailure>
  /** The pools as they are now. */
  pools(): readonly ConstantProductPool[]
}

function hasTokens(pool: ConstantProductPool, a: Currency, b: Currency): boolean {
  return (pool.token0.symbol === a.symbol && pool.token1.symbol === b.symbol) || (pool.token0.symbol === b.symbol && pool.token1.symbol === a.symbol)
}

/** Creates a Uniswap V2-style venue from pool reserves, quoting with the exact constant-product formula. */
export function createStaticAmmVenue(parameters: CreateStaticAmmVenueParameters): StaticAmmVenue {
  const { name } = parameters
  let pools = [...parameters.pools]
  const gasUnits = (hops: number) => parameters.gas.swap + parameters.gas.extraHop * BigInt(Math.max(hops - 1, 0))
  const quoteHop = (from: Currency, to: Currency, amount: Amount): HopResult => {
    const pool = pools.find((candidate) => hasTokens(candidate, from, to))
    if (!pool) return { ok: false, reason: 'no_route', detail: `${name} has no ${from.symbol}/${to.symbol} pool.` }
    const result = quoteConstantProduct(pool, amount)
    if (!result.ok) return { ok: false, reason: result.reason === 'unknown_token' ? 'no_route' : result.reason, detail: `${pool.name} on ${name}: ${result.detail}` }
    return { ok: true, residual: amount.subtract(result.amountIn), hop: { market: pool.name, amountIn: result.amountIn, amountOut: result.amountOut, fee: result.fee } }
  }
  return {
    name,
    kind: 'dex',
    chain: parameters.chain,
    pools: () => pools,
    async tradablePairs() {
      return pools.map((pool) => [pool.token0, pool.token1] as const)
    },
    async quote(path, amountIn) {
      return quotePath(name, path, amountIn, quoteHop, gasUnits)
    },
    async execute(path, amountIn) {
      const result = quotePath(name, path, amountIn, quoteHop, gasUnits)
      if (!result.ok) return result
      for (const hop of result.hops) {
        pools = pools.map((pool) => (pool.name === hop.market ? applyConstantProductSwap(pool, hop.amountIn, hop.amountOut) : pool))
      }
      return result
    },
  }
}

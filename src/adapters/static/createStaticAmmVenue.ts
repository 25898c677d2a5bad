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

/** Creates a Uniswap V2-style venue from pool reserves, quoting with the exact constant-product formula. */
export function createStaticAmmVenue(parameters: CreateStaticAmmVenueParameters): StaticAmmVenue {
  const { name } = parameters
  let pools = [...parameters.pools]
  // Swaps move reserves, never tokens: the pairs are those of the pools as given, listed once.
  const pairs: ReadonlyArray<readonly [Currency, Currency]> = Object.freeze(pools.map((pool) => Object.freeze([pool.token0, pool.token1] as const)))
  const gasUnits = (hops: number) => parameters.gas.swap + parameters.gas.extraHop * BigInt(Math.max(hops - 1, 0))
  // The first pool of each pair of tokens, either way, as `find` would have it. Swaps replace
  // pools in place (same order, same tokens), so the positions stay right.
  const positions = new Map<string, Map<string, number>>()
  const place = (a: string, b: string, position: number) => {
    let byOther = positions.get(a)
    if (byOther === undefined) {
      byOther = new Map()
      positions.set(a, byOther)
    }
    if (!byOther.has(b)) byOther.set(b, position)
  }
  for (const [position, pool] of pools.entries()) {
    place(pool.token0.symbol, pool.token1.symbol, position)
    place(pool.token1.symbol, pool.token0.symbol, position)
  }
  // The same positions by the pools' currency objects, which the planner's paths are made of: a
  // lookup by identity first, by symbol when a caller brings other objects of the same currencies.
  const byCurrencies = new Map<Currency, Map<Currency, number>>()
  for (const [a, byOther] of positions) {
    for (const position of byOther.values()) {
      const pool = pools[position]
      if (pool === undefined) continue
      const [from, to] = pool.token0.symbol === a ? [pool.token0, pool.token1] : [pool.token1, pool.token0]
      const known = byCurrencies.get(from)
      if (known === undefined) byCurrencies.set(from, new Map([[to, position]]))
      else known.set(to, position)
    }
  }
  const quoteHop = (from: Currency, to: Currency, amount: Amount): HopResult => {
    const position = byCurrencies.get(from)?.get(to) ?? positions.get(from.symbol)?.get(to.symbol)
    const pool = position === undefined ? undefined : pools[position]
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
      return pairs
    },
    tradablePairsSync: () => pairs,
    async quote(path, amountIn) {
      return quotePath(name, path, amountIn, quoteHop, gasUnits)
    },
    quoteSync(path, amountIn) {
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

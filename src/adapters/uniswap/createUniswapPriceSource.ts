import { type Currency, Fraction, Price } from '../../domain/money/index.js'
import { SourceError } from '../../errors/index.js'
import type { Clock, PriceSource } from '../../ports/index.js'
import type { EvmCallBatcher } from '../evm/createEvmCallBatcher.js'
import { requireTokenAddress } from '../evm/requireTokenAddress.js'
import { v2PairAbi, v3PoolAbi } from './uniswapAbis.js'
import { ratioFromSqrtPriceX96 } from './v3Math.js'
import type { UniswapPool } from './createUniswapVenue.js'

export type CreateUniswapPriceSourceParameters = {
  /** Source name: the venue's name, so that a route of this venue can tell its own prices apart. */
  name: string
  version: 'v2' | 'v3'
  pools: () => Promise<readonly UniswapPool[]>
  batcher: EvmCallBatcher
  clock: Clock
}

/** Orders two tokens as a Uniswap pool does: by address. */
function sorted(a: Currency, b: Currency): [Currency, Currency] {
  return BigInt(requireTokenAddress(a)) < BigInt(requireTokenAddress(b)) ? [a, b] : [b, a]
}

/**
 * Creates a price source from Uniswap pools' spot prices: V2 reserves, V3 `slot0`. Spot is
 * the marginal price before fees; it is exact (`reserve1 / reserve0`, `sqrtPriceX96² / 2¹⁹²`).
 */
export function createUniswapPriceSource(parameters: CreateUniswapPriceSourceParameters): PriceSource {
  const { name, version, batcher, clock } = parameters
  return {
    name,
    async fetchPrices() {
      const pools = await parameters.pools()
      const at = clock.now()
      try {
        return await Promise.all(
          pools.map(async (pool) => {
            const [token0, token1] = sorted(pool.tokens[0], pool.tokens[1])
            let ratio: Fraction
            if (version === 'v2') {
              const [reserve0, reserve1] = await batcher.read({ address: pool.address, abi: v2PairAbi, functionName: 'getReserves' })
              if (reserve0 === 0n || reserve1 === 0n) throw new SourceError(name, `The ${token0.symbol}/${token1.symbol} pair ${pool.address} is empty.`)
              ratio = new Fraction(reserve1, reserve0)
            } else {
              const [sqrtPriceX96] = await batcher.read({ address: pool.address, abi: v3PoolAbi, functionName: 'slot0' })
              if (sqrtPriceX96 === 0n) throw new SourceError(name, `The ${token0.symbol}/${token1.symbol} pool ${pool.address} is not initialized.`)
              ratio = ratioFromSqrtPriceX96(sqrtPriceX96)
            }
            return new Price(token0, token1, ratio, { source: name, at })
          }),
        )
      } catch (error) {
        if (error instanceof SourceError && error.source === name) throw error
        throw new SourceError(name, `${name} could not read its pools' prices on ${batcher.chain}.`, { cause: error })
      }
    },
  }
}

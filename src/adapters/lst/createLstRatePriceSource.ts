import type { Address } from 'viem'
import { type Currency, Fraction, Price } from '../../domain/money/index.js'
import { SourceError } from '../../errors/index.js'
import type { Clock, PriceSource } from '../../ports/index.js'
import type { EvmCallBatcher } from '../evm/createEvmCallBatcher.js'
import { lstRateAbi } from './lstRateAbis.js'

/** How a rate is read: weETH `getRate()`, wstETH `stEthPerToken()`, or ERC-4626 `convertToAssets`. */
export type LstRateMethod = 'getRate' | 'stEthPerToken' | 'convertToAssets'

export type CreateLstRatePriceSourceParameters = {
  name: string
  /** The LST or the vault's share token. */
  base: Currency
  /** What one base token is worth in: ETH for weETH and wstETH, the vault's asset for ERC-4626. */
  quote: Currency
  method: LstRateMethod
  /** The contract that answers the rate (for weETH, wstETH and a vault: the token itself). */
  contract: Address
  batcher: EvmCallBatcher
  clock: Clock
}

/** The 18-decimal fixed point of `getRate()` and `stEthPerToken()`. */
const WAD = 10n ** 18n

/**
 * Creates a price source that reads an LST's exchange rate on chain, through the chain's batcher
 * (in the same Multicall3 call as the balances), as an exact price of `base` in `quote`.
 *
 * `getRate` and `stEthPerToken` answer whole quote tokens per whole base token times 10^18. For
 * `convertToAssets`, the vault is asked for `10^decimals` shares (one whole share) and answers in
 * asset base units; the vault's `asset()` must be the quote token and its `decimals()` those of
 * the registry. Throws `SourceError` when the read fails, the rate is zero, or the vault does
 * not match. The price is stamped with the time of the read: the rate is the contract's current one.
 */
export function createLstRatePriceSource(parameters: CreateLstRatePriceSourceParameters): PriceSource {
  const { name, base, quote, method, contract, batcher, clock } = parameters
  const label = `${method}() of ${contract} on ${batcher.chain}`

  async function readRate(): Promise<Fraction> {
    if (method !== 'convertToAssets') {
      const rate = await batcher.read({ address: contract, abi: lstRateAbi, functionName: method })
      if (rate === 0n) throw new SourceError(name, `${label} answered a rate of 0 for ${base.symbol} in ${quote.symbol}.`, { details: 'Expected a positive rate, found 0.' })
      return new Fraction(rate, WAD)
    }
    const one = 10n ** BigInt(base.decimals)
    const [assets, asset, decimals] = await Promise.all([
      batcher.read({ address: contract, abi: lstRateAbi, functionName: 'convertToAssets', args: [one] }),
      batcher.read({ address: contract, abi: lstRateAbi, functionName: 'asset' }),
      batcher.read({ address: contract, abi: lstRateAbi, functionName: 'decimals' }),
    ])
    if (quote.address === undefined || asset.toLowerCase() !== quote.address.toLowerCase()) {
      throw new SourceError(name, `The vault ${contract} on ${batcher.chain} holds ${asset}, not ${quote.symbol}: its shares cannot be priced in ${quote.symbol}.`, {
        details: `Expected asset() to be ${quote.symbol}'s address (${quote.address ?? 'none: a native coin'}), found ${asset}.`,
      })
    }
    if (decimals !== base.decimals) {
      throw new SourceError(name, `The vault ${contract} on ${batcher.chain} has ${decimals} decimals, but the registry gives ${base.symbol} ${base.decimals}.`, {
        details: `Expected decimals() to be ${base.decimals}, found ${decimals}.`,
      })
    }
    if (assets === 0n) throw new SourceError(name, `${label} answered 0 ${quote.symbol} base units for one ${base.symbol}.`, { details: 'Expected a positive rate, found 0.' })
    // Whole assets per whole share, exact: the only rounding is the vault's own (down, per ERC-4626).
    return new Fraction(assets, 10n ** BigInt(quote.decimals))
  }

  return {
    name,
    async fetchPrices() {
      let perToken: Fraction
      try {
        perToken = await readRate()
      } catch (error) {
        if (error instanceof SourceError && error.source === name) throw error
        throw new SourceError(name, `${name} could not read ${label}.`, { cause: error })
      }
      return [Price.fromTokens(base, quote, perToken, { source: name, at: clock.now() })]
    },
  }
}

import { getAddress } from 'viem'
import { createLstRatePriceSource } from '../../adapters/lst/createLstRatePriceSource.js'
import { BaseError } from '../../errors/index.js'
import type { PriceSourceBuilder } from './PriceSourceBuilder.js'

/** Builds an `lst_rate` entry's price source: the rate of its contract, the base token's own by default. */
export const buildLstRatePriceSource: PriceSourceBuilder<'lst_rate'> = (context, source) => {
  const base = context.currency(source.base)
  const contract = source.contract === undefined ? base.address : getAddress(source.contract)
  // The configuration check requires a contract, or a base token with an address on the chain.
  if (contract === undefined) {
    throw new BaseError(`The lst_rate price source of ${source.base} names no contract to read the rate from.`, {
      code: 'invalid_config',
      details: `Expected a contract address, or a registry address for ${source.base}, found neither.`,
    })
  }
  return [
    createLstRatePriceSource({
      name: source.name ?? `lst_rate:${source.base}/${source.quote}`,
      base,
      quote: context.currency(source.quote),
      method: source.method,
      contract,
      batcher: context.chainOf(source.chain).batcher,
      clock: context.clock,
    }),
  ]
}

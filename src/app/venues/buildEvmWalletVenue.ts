import { getAddress } from 'viem'
import { createEvmBalanceSource } from '../../adapters/evm/createEvmBalanceSource.js'
import type { VenueBuilder } from './VenueBuilder.js'
import { useRealExecution } from './useRealExecution.js'

/** Builds an `evm_wallet` venue: the wallet's token balances read on chain. */
export const buildEvmWalletVenue: VenueBuilder<'evm_wallet'> = (context, assembly, name, venue) => {
  useRealExecution(context, assembly)
  const tokens = venue.tokens?.map(context.currency) ?? [...context.registry.values()].filter((token) => token.chain === venue.chain)
  assembly.chainSources.push(createEvmBalanceSource({ name, owner: getAddress(venue.address), tokens, batcher: context.chainOf(venue.chain).batcher }))
}

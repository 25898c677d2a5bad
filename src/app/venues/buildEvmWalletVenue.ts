import { getAddress } from 'viem'
import { createEvmBalanceSource } from '../../adapters/evm/createEvmBalanceSource.js'
import { createTokenDiscoverySource } from '../../adapters/evm/createTokenDiscoverySource.js'
import type { Holding } from '../../domain/dust/index.js'
import type { VenueBuilder } from './VenueBuilder.js'
import { useRealExecution } from './useRealExecution.js'

/**
 * Builds an `evm_wallet` venue: the wallet's token balances read on chain and, unless
 * `discover: false`, the tokens it received that the registry lacks, listed as `unverified_token`.
 *
 * Both are one balance source, which fails when the wallet's balances cannot be read and only
 * then: discovery never fails (it logs instead), so a strategy whose every wallet is unreadable
 * still fails as a whole rather than answering an equity of 0.
 */
export const buildEvmWalletVenue: VenueBuilder<'evm_wallet'> = (context, assembly, name, venue) => {
  useRealExecution(context, assembly)
  const owner = getAddress(venue.address)
  const chain = context.chainOf(venue.chain)
  const tokens = venue.tokens?.map(context.currency) ?? [...context.registry.values()].filter((token) => token.chain === venue.chain)
  const wallet = createEvmBalanceSource({ name, owner, tokens, batcher: chain.batcher })
  if (venue.discover === false) {
    assembly.chainSources.push(wallet)
    return
  }
  const discovery = createTokenDiscoverySource({
    name,
    strategyMode: context.config.mode,
    owner,
    client: chain.client,
    batcher: chain.batcher,
    known: [...context.registry.values()],
    store: context.store,
    logger: context.logger,
    blockRange: venue.discovery_block_range === undefined ? undefined : BigInt(venue.discovery_block_range),
    fromBlock: venue.discovery_from_block === undefined ? undefined : BigInt(venue.discovery_from_block),
    maxRangesPerCycle: venue.discovery_max_ranges_per_cycle,
  })
  assembly.chainSources.push({
    name,
    source: wallet.source,
    async fetchHoldings(): Promise<Holding[]> {
      const [balances, discovered] = await Promise.all([wallet.fetchHoldings(), discovery.fetchHoldings()])
      return [...balances, ...discovered]
    },
  })
}

import { resolve } from 'node:path'
import { type Address, getAddress } from 'viem'
import type { EvmTransactor } from '../../adapters/evm/createEvmTransactor.js'
import type { RewardClaim } from '../../adapters/rewards/RewardClaim.js'
import { estimateCumulativeClaimGas } from '../../adapters/rewards/createCumulativeClaimExecutor.js'
import type { CreateCumulativeRewardsSourceParameters, CumulativeRewardsSource } from '../../adapters/rewards/createCumulativeRewardsSource.js'
import { type ProofsLocation, createProofsLoader } from '../../adapters/rewards/createProofsLoader.js'
import type { ProofsOrigin } from '../../adapters/rewards/proofsFormatError.js'
import type { Currency } from '../../domain/money/index.js'
import { BaseError } from '../../errors/index.js'
import type { ClaimExecutor } from '../../ports/index.js'
import type { VenueAssembly, VenueBuildContext, VenueConfigOf } from './VenueBuilder.js'
import { useRealExecution } from './useRealExecution.js'

/** The configuration of a cumulative merkle distributor venue. */
export type CumulativeRewardsVenueConfig = VenueConfigOf<'merkl' | 'morpho_urd' | 'merkle_drop'>

/** What tells one distributor venue type from another when it is built. */
export type CumulativeRewardsKind = {
  /** Parses the venue's proofs format, for its account and chain. */
  parse(origin: ProofsOrigin, value: unknown, context: { account: Address; chainId: number; distributor: Address }): RewardClaim[]
  createSource(parameters: Omit<CreateCumulativeRewardsSourceParameters, 'distributor'> & { distributor: Address }): CumulativeRewardsSource
  createClaimer(parameters: { source: CumulativeRewardsSource; transactor: EvmTransactor }): ClaimExecutor
}

/**
 * Adds a cumulative merkle distributor venue (`merkl`, `morpho_urd`, `merkle_drop`) to the
 * assembly: its claimable-rewards source among the chain sources, its claim gas estimate when the
 * chain has a wallet, and its claimer when the strategy signs. The proofs file was resolved when
 * the configuration loaded (a configuration built in code resolves it against the working folder).
 */
export function addCumulativeRewardsVenue(context: VenueBuildContext, assembly: VenueAssembly, name: string, venue: CumulativeRewardsVenueConfig, kind: CumulativeRewardsKind): void {
  const chainConfig = Object.hasOwn(context.config.chains, venue.chain) ? context.config.chains[venue.chain] : undefined
  if (chainConfig === undefined) throw new BaseError(`The ${venue.type} venue ${name} reads the chain ${venue.chain}, which is not configured under chains.`, { code: 'invalid_config' })
  const location: ProofsLocation | undefined = venue.proofs_file !== undefined ? { file: resolve(venue.proofs_file) } : venue.proofs_url !== undefined ? { url: venue.proofs_url } : undefined
  if (location === undefined) {
    throw new BaseError(`The ${venue.type} venue ${name} has no proofs.`, { code: 'invalid_config', details: 'Expected exactly one of proofs_file or proofs_url, found neither.' })
  }
  const real = useRealExecution(context, assembly)
  const chain = context.chainOf(venue.chain)
  const account = getAddress(venue.account)
  const distributor = getAddress(venue.distributor)
  const chainId = chainConfig.chain_id
  const loadClaims = createProofsLoader({ venue: name, location, account, chainId, parse: (origin, value) => kind.parse(origin, value, { account, chainId, distributor }) })
  const registry: Currency[] = [...context.registry.values()]
  const source = kind.createSource({ name, chain: venue.chain, distributor, account, batcher: chain.batcher, loadClaims, registry })
  assembly.chainSources.push(source)
  const owner = context.owners.get(venue.chain)
  if (owner !== undefined) {
    const from = getAddress(owner)
    assembly.claimGasEstimators.set(name, () => estimateCumulativeClaimGas({ source, client: chain.client, from }))
  }
  const transactor = real.transactorOf(venue.chain)
  if (transactor) assembly.claimers.set(name, kind.createClaimer({ source, transactor }))
}

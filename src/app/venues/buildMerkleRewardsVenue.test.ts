import { getAddress } from 'viem'
import { describe, expect, it } from 'vitest'
import { BUILD_ACCOUNT, BUILD_SIGNER, buildConfigOf, buildCurrency, buildVenueDirectly } from '../../../test/venueBuildContext.js'
import type { MerkleRewardsSource } from '../../adapters/merkle/createMerkleRewardsSource.js'
import type { StrategyConfig } from '../../config/index.js'
import { Amount } from '../../domain/money/index.js'
import type { VenueBuildContext } from './VenueBuilder.js'
import { buildMerkleRewardsVenue } from './buildMerkleRewardsVenue.js'

const DISTRIBUTOR = '0x330eefa8a787552dc5cad3c3ca644844b1e61ddb'
const OTHER = '0x1111111111111111111111111111111111111111'
const PROOF = [`0x${'ab'.repeat(32)}`, `0x${'cd'.repeat(32)}`]

/** A distribution of two leaves: index 3 pays the strategy's account 12.5 EIGEN, index 0 another account. */
const CLAIMS = {
  merkleRoot: `0x${'12'.repeat(32)}`,
  claims: {
    [BUILD_ACCOUNT.toLowerCase()]: { index: 3, amount: `0x${(12_500_000_000_000_000_000n).toString(16)}`, proof: PROOF },
    [OTHER]: { index: 0, amount: '0x1', proof: [] },
  },
}

const venueOf = (extra: Record<string, unknown> = {}) => ({ type: 'merkle_rewards', chain: 'local', distributor: DISTRIBUTOR, token: 'EIGEN', account: BUILD_ACCOUNT, claims: CLAIMS, ...extra })

describe('buildMerkleRewardsVenue', () => {
  const build = (venue: Record<string, unknown>, overrides: Record<string, unknown> = {}, context: Partial<VenueBuildContext> = {}) =>
    buildVenueDirectly(buildMerkleRewardsVenue, buildConfigOf({ rewards: venue }, overrides), 'rewards', 'merkle_rewards', context)

  it("adds a claimable-rewards source over the checksummed distributor, holding the account's leaf of the inline claims", () => {
    const assembly = build(venueOf())
    const [source, ...others] = assembly.chainSources as MerkleRewardsSource[]
    expect(others).toEqual([])
    expect([source?.name, source?.source, source?.distributor]).toEqual(['rewards', 'claimable_rewards', getAddress(DISTRIBUTOR)])
    expect(source?.claim).toEqual({ index: 3n, account: BUILD_ACCOUNT, amount: 12_500_000_000_000_000_000n, proof: PROOF })
    // It reads a real chain: the strategy's real execution is set up, even in a dry run.
    expect(assembly.realExecution).toBeDefined()
    expect([
      assembly.balanceSources,
      assembly.venues,
      assembly.staticVenues,
      [...assembly.swappers.keys(), ...assembly.sellers.keys(), ...assembly.depositAddresses.keys()],
      assembly.finishers,
    ]).toEqual([[], [], [], [], []])
    expect([...assembly.spotPriceSources.keys(), ...assembly.midPriceSources.keys()]).toEqual([])
  })

  it('holds nothing, without reading the chain, for an account the claims do not name', async () => {
    const [source] = build(venueOf({ account: '0x2222222222222222222222222222222222222222' })).chainSources as MerkleRewardsSource[]
    expect(source?.claim).toBeUndefined()
    expect(await source?.fetchHoldings()).toEqual([])
  })

  it('adds no claimer in a dry run with a signer, nor when executing without one', () => {
    const dryRun = build(venueOf(), {}, { signer: BUILD_SIGNER })
    const unsigned = build(venueOf(), { execution: { mode: 'paper' } })
    expect([[...dryRun.claimers.keys()], [...unsigned.claimers.keys()]]).toEqual([[], []])
    expect(unsigned.realExecution?.transactorOf('local')).toBeUndefined()
  })

  it("adds a claimer when executing with a signer, on the signer's transactor of the venue's chain, claiming this source's leaf whole", async () => {
    const assembly = build(venueOf(), { execution: { mode: 'paper' } }, { signer: BUILD_SIGNER })
    expect([...assembly.claimers.keys()]).toEqual(['rewards'])
    expect(assembly.realExecution?.transactorOf('local')?.account).toBe(BUILD_SIGNER.address)
    const claimer = assembly.claimers.get('rewards')
    // A part of the leaf is refused before anything is sent: the distributor pays a leaf whole.
    expect(await claimer?.claim(Amount.parse(buildCurrency('EIGEN'), '12'))).toEqual({
      ok: false,
      reason: 'claim_failed',
      detail: 'rewards pays 12500000000000000000 base units, but the plan claims 12000000000000000000.',
      retryable: false,
    })
  })

  it("adds a claim gas estimate when the venue's chain has a wallet, which needs no node when the account has no claim", async () => {
    const without = build(venueOf())
    expect([...without.claimGasEstimators.keys()]).toEqual([])
    const owned = build(venueOf({ account: '0x2222222222222222222222222222222222222222' }), {}, { owners: new Map([['local', BUILD_ACCOUNT.toLowerCase()]]) })
    expect([...owned.claimGasEstimators.keys()]).toEqual(['rewards'])
    expect(await owned.claimGasEstimators.get('rewards')?.()).toBeUndefined()
  })

  it('refuses a venue with no claims, as a configuration built in code may have', () => {
    const config = buildConfigOf({ rewards: venueOf() })
    const venue = config.venues.rewards
    if (venue?.type !== 'merkle_rewards') throw new Error('test setup: rewards is a merkle_rewards venue')
    const edited: StrategyConfig = { ...config, venues: { rewards: { ...venue, claims: undefined } } }
    expect(() => buildVenueDirectly(buildMerkleRewardsVenue, edited, 'rewards', 'merkle_rewards')).toThrow(
      expect.objectContaining({
        name: 'BaseError',
        code: 'invalid_config',
        message: 'The merkle_rewards venue rewards has no claims.\nExpected its claims inline (loadConfig reads claims_file into them), found none.',
      }),
    )
  })
})

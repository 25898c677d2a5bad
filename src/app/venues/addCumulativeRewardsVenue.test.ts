import { type Address, getAddress } from 'viem'
import { afterAll, describe, expect, it } from 'vitest'
import { FIXTURE_CONFIG_YAML, fixtureConfigWith } from '../../../test/fixtureConfig.js'
import { fixtureClock } from '../../../test/fixtureMoney.js'
import { BUILD_ACCOUNT, BUILD_SIGNER, buildConfigOf, createProofsFolder, createVenueBuildContext } from '../../../test/venueBuildContext.js'
import { createVenueAssembly } from './createVenueAssembly.js'
import { createEvmChains } from '../../adapters/evm/createEvmChains.js'
import type { EvmTransactor } from '../../adapters/evm/createEvmTransactor.js'
import type { CreateCumulativeRewardsSourceParameters, CumulativeRewardsSource } from '../../adapters/rewards/createCumulativeRewardsSource.js'
import { createMerklRewardsSource } from '../../adapters/rewards/createMerklRewardsSource.js'
import type { ConfigFiles } from '../../config/ConfigFiles.js'
import { parseConfigText } from '../../config/parseConfigText.js'
import type { StrategyConfig } from '../../config/index.js'
import { createStrategy } from '../createStrategy.js'
import type { VenueBuildContext } from './VenueBuilder.js'
import { type CumulativeRewardsKind, type CumulativeRewardsVenueConfig, addCumulativeRewardsVenue } from './addCumulativeRewardsVenue.js'
import { loadVenueBuilders } from './loadVenueBuilders.js'

const files: ConfigFiles = {
  read: async ({ file }) => Promise.reject(new Error(`No file is read in this test, asked for ${file}.`)),
  resolve: async ({ file }) => file,
}
const STRATEGY = '0x5A0b54D5dc17e0AadC383d2db43B0a0D3E029c4c'
// Nothing listens on port 9: the proofs URL never answers.
const VENUES = `  merkl_rewards: { type: merkl, account: "${STRATEGY}", proofs_url: "http://user:pa55@127.0.0.1:9/v4/users/{account}/rewards?chainId={chainId}&key=s3cret" }
  morpho: { type: morpho_urd, distributor: "0x330eefa8a787552DC5cAd3C3cA644844B1E61Ddb", account: "${STRATEGY}", proofs_file: /srv/dust/morpho.json }
  drop: { type: merkle_drop, distributor: "0x2222222222222222222222222222222222222222", token: EIGEN, account: "${STRATEGY}", proofs_file: /srv/dust/drop.json }
`
const TEXT = fixtureConfigWith(
  'equity: { type: static, value: "1000000" }',
  'equity: { type: static, value: "1000000" }\nchains: { ethereum: { rpc_url: "http://127.0.0.1:9", chain_id: 1 } }',
  fixtureConfigWith('  binance:\n', `${VENUES}  binance:\n`, FIXTURE_CONFIG_YAML),
)

describe('the cumulative distributor venue builders', () => {
  it('add each venue as a claimable-rewards source of its chain, reading proofs from a URL that no message shows beyond its host', async () => {
    const { config } = await parseConfigText({ files, ccxtExchanges: async () => [] }, { text: TEXT, file: '/configs/strategy.yaml', env: {} })
    const strategy = createStrategy({ config, clock: fixtureClock(), chains: createEvmChains(), venueBuilders: await loadVenueBuilders([config]) })
    const rewards = strategy.balanceSources.filter((source) => ['merkl_rewards', 'morpho', 'drop'].includes(source.name))
    expect(rewards.map((source) => [source.name, source.source])).toEqual([
      ['merkl_rewards', 'claimable_rewards'],
      ['morpho', 'claimable_rewards'],
      ['drop', 'claimable_rewards'],
    ])
    const merkl = rewards[0]
    const error: unknown = await merkl?.fetchHoldings().then(
      () => undefined,
      (reason: unknown) => reason,
    )
    expect(error).toMatchObject({ name: 'SourceError', source: 'merkl_rewards' })
    const message = error instanceof Error ? error.message : ''
    expect(message).toMatch(/^The proofs URL of merkl_rewards \(http:\/\/127\.0\.0\.1:9\) could not be read: /)
    for (const secret of ['pa55', 's3cret', 'user:', '/v4/users']) expect(message).not.toContain(secret)
  })

  it('refuses a drop of a native coin when built from a configuration made in code', async () => {
    const { config } = await parseConfigText({ files, ccxtExchanges: async () => [] }, { text: TEXT, file: '/configs/strategy.yaml', env: {} })
    // The configuration check refuses it in a file; a configuration built in code meets the builder's own check.
    const drop = config.venues.drop
    if (drop?.type !== 'merkle_drop') throw new Error('the fixture has a merkle_drop venue named drop')
    const edited: StrategyConfig = { ...config, venues: { drop: { ...drop, token: 'ETH' } } }
    const build = async () => createStrategy({ config: edited, clock: fixtureClock(), chains: createEvmChains(), venueBuilders: await loadVenueBuilders([edited]) })
    await expect(build()).rejects.toThrow('The merkle_drop venue drop drops ETH, a native coin; expected an ERC-20 token.')
  })
})

describe('addCumulativeRewardsVenue, called directly', () => {
  const proofs = createProofsFolder()
  const DISTRIBUTOR = '0x330eefa8a787552dc5cad3c3ca644844b1e61ddb'
  const file = proofs.write('urd.json', { rewards: ['as the venue publishes them'] })

  afterAll(() => proofs.remove())

  /** A kind that records what the builder gives it, its source Merkl's (any real source would do). */
  function recordingKind() {
    const parsed: Array<{ origin: { venue: string; where: string }; value: unknown; context: { account: Address; chainId: number; distributor: Address } }> = []
    const sources: Array<Omit<CreateCumulativeRewardsSourceParameters, 'distributor'> & { distributor: Address }> = []
    const claimers: Array<{ source: CumulativeRewardsSource; transactor: EvmTransactor }> = []
    const kind: CumulativeRewardsKind = {
      parse(origin, value, context) {
        parsed.push({ origin, value, context })
        return []
      },
      createSource(parameters) {
        sources.push(parameters)
        return createMerklRewardsSource(parameters)
      },
      createClaimer(parameters) {
        claimers.push(parameters)
        return { claim: () => Promise.reject(new Error('The recorded claimer never claims.')) }
      },
    }
    return { kind, parsed, sources, claimers }
  }

  const venueOf = (extra: Record<string, unknown> = {}) => ({ type: 'morpho_urd', chain: 'local', distributor: DISTRIBUTOR, account: BUILD_ACCOUNT.toLowerCase(), proofs_file: file, ...extra })
  const build = (context: VenueBuildContext, venue: unknown = context.config.venues.urd) => {
    const assembly = createVenueAssembly()
    const recorded = recordingKind()
    addCumulativeRewardsVenue(context, assembly, 'urd', venue as CumulativeRewardsVenueConfig, recorded.kind)
    return { assembly, ...recorded }
  }

  it("adds the kind's source among the chain sources, built for the venue's chain, checksummed addresses and the whole registry", async () => {
    const context = createVenueBuildContext(buildConfigOf({ urd: venueOf() }))
    const { assembly, sources, parsed } = build(context)
    expect(assembly.chainSources.map((source) => [source.name, source.source])).toEqual([['urd', 'claimable_rewards']])
    const [given] = sources
    expect([given?.name, given?.chain, given?.distributor, given?.account, given?.batcher, given?.registry.map((token) => token.symbol)]).toEqual([
      'urd',
      'local',
      getAddress(DISTRIBUTOR),
      BUILD_ACCOUNT,
      context.chainOf('local').batcher,
      ['USDT', 'ETH', 'EIGEN'],
    ])
    // The proofs are loaded from the file and parsed by the kind, for the account, the chain id and the distributor.
    expect(await given?.loadClaims()).toEqual([])
    expect(parsed).toEqual([
      { origin: { venue: 'urd', where: file }, value: { rewards: ['as the venue publishes them'] }, context: { account: BUILD_ACCOUNT, chainId: 31337, distributor: getAddress(DISTRIBUTOR) } },
    ])
    expect(assembly.realExecution).toBeDefined()
  })

  it('adds no claimer in a dry run, nor when executing without a signer, and no claim gas estimate without a wallet on the chain', () => {
    const dryRun = build(createVenueBuildContext(buildConfigOf({ urd: venueOf() }), { signer: BUILD_SIGNER }))
    const unsigned = build(createVenueBuildContext(buildConfigOf({ urd: venueOf() }, { execution: { mode: 'paper' } })))
    for (const { assembly, claimers } of [dryRun, unsigned]) {
      expect([[...assembly.claimers.keys()], [...assembly.claimGasEstimators.keys()], claimers]).toEqual([[], [], []])
    }
  })

  it('adds a claimer on the signing transactor of its chain when the strategy executes with a signer', () => {
    const context = createVenueBuildContext(buildConfigOf({ urd: venueOf() }, { execution: { mode: 'paper' } }), { signer: BUILD_SIGNER })
    const { assembly, claimers } = build(context)
    expect([...assembly.claimers.keys()]).toEqual(['urd'])
    expect(claimers.map(({ source, transactor }) => [source, transactor.account])).toEqual([[assembly.chainSources[0], BUILD_SIGNER.address]])
  })

  it("adds a claim gas estimate from the chain's wallet, which reads the source when no scan has", async () => {
    const context = createVenueBuildContext(buildConfigOf({ urd: venueOf() }), { owners: new Map([['local', BUILD_ACCOUNT.toLowerCase()]]) })
    const { assembly } = build(context)
    const estimate = assembly.claimGasEstimators.get('urd')
    expect([...assembly.claimGasEstimators.keys()]).toEqual(['urd'])
    // Nothing listens on the chain's RPC URL: the estimate fails as the source's read does.
    await expect(estimate?.()).rejects.toMatchObject({ name: 'SourceError', source: 'urd', shortMessage: `Could not read the live root of the Merkl Distributor ${getAddress(DISTRIBUTOR)} for urd.` })
  })

  it('refuses a venue on a chain that is not configured, and a venue with no proofs, as built in code', () => {
    const context = createVenueBuildContext(buildConfigOf({ urd: venueOf() }))
    expect(() => build(context, venueOf({ chain: 'base' }))).toThrow(
      expect.objectContaining({ code: 'invalid_config', message: 'The morpho_urd venue urd reads the chain base, which is not configured under chains.' }),
    )
    expect(() => build(context, venueOf({ proofs_file: undefined }))).toThrow(
      expect.objectContaining({ code: 'invalid_config', message: 'The morpho_urd venue urd has no proofs.\nExpected exactly one of proofs_file or proofs_url, found neither.' }),
    )
  })
})

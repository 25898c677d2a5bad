import { describe, expect, it } from 'vitest'
import { FIXTURE_CONFIG_YAML, fixtureConfigWith } from '../../../test/fixtureConfig.js'
import { fixtureClock } from '../../../test/fixtureMoney.js'
import { createEvmChains } from '../../adapters/evm/createEvmChains.js'
import type { ConfigFiles } from '../../config/ConfigFiles.js'
import { parseConfigText } from '../../config/parseConfigText.js'
import type { StrategyConfig } from '../../config/index.js'
import { createStrategy } from '../createStrategy.js'
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

import { getAddress } from 'viem'
import { afterAll, describe, expect, it } from 'vitest'
import { BUILD_ACCOUNT, BUILD_SIGNER, buildConfigOf, buildVenueDirectly, createProofsFolder } from '../../../test/venueBuildContext.js'
import type { CumulativeRewardsSource } from '../../adapters/rewards/createCumulativeRewardsSource.js'
import type { StrategyConfig } from '../../config/index.js'
import type { VenueBuildContext } from './VenueBuilder.js'
import { buildMerkleDropVenue } from './buildMerkleDropVenue.js'

const DROP = '0x2222222222222222222222222222222222222222'
const EIGEN = '0xec53bF9167f50cDEB3Ae105f56099aaaB9061F83'

describe('buildMerkleDropVenue', () => {
  const proofs = createProofsFolder()
  afterAll(() => proofs.remove())

  const configOf = (venue: Record<string, unknown> = {}, overrides: Record<string, unknown> = {}): StrategyConfig =>
    buildConfigOf({ drop: { type: 'merkle_drop', chain: 'local', distributor: DROP, token: 'EIGEN', account: BUILD_ACCOUNT, proofs_file: proofs.write('drop.json', {}), ...venue } }, overrides)
  const build = (config: StrategyConfig, overrides: Partial<VenueBuildContext> = {}) => buildVenueDirectly(buildMerkleDropVenue, config, 'drop', 'merkle_drop', overrides)

  it('adds a claimable-rewards source over the Cumulative Merkle Drop of its registry token', () => {
    const assembly = build(configOf())
    const [source] = assembly.chainSources as CumulativeRewardsSource[]
    expect([source?.name, source?.source, source?.distributor.label, source?.distributor.address, source?.account, typeof source?.distributor.check]).toEqual([
      'drop',
      'claimable_rewards',
      'Cumulative Merkle Drop',
      getAddress(DROP),
      BUILD_ACCOUNT,
      'function',
    ])
    expect([[...assembly.claimers.keys()], [...assembly.claimGasEstimators.keys()], assembly.realExecution !== undefined]).toEqual([[], [], true])
  })

  it('reads its proofs as a cumulative drop claims file', async () => {
    const file = proofs.write('drop-urd.json', { data: [] })
    const [source] = build(configOf({ proofs_file: file })).chainSources
    await expect(source?.fetchHoldings()).rejects.toMatchObject({
      name: 'SourceError',
      source: 'drop',
      shortMessage: `The proofs of drop from ${file} are not a cumulative drop claims file ({ merkleRoot, claims }): merkleRoot is wrong (a 0x-prefixed 32-byte hex value).`,
    })
  })

  it('adds a claimer when signing, and a claim gas estimate when the chain has a wallet', () => {
    const config = configOf({}, { execution: { mode: 'paper' } })
    const assembly = build(config, { signer: BUILD_SIGNER, owners: new Map([['local', EIGEN]]) })
    expect([[...assembly.claimers.keys()], [...assembly.claimGasEstimators.keys()]]).toEqual([['drop'], ['drop']])
  })

  it('refuses a drop of a native coin', () => {
    const config = configOf()
    const drop = config.venues.drop
    if (drop?.type !== 'merkle_drop') throw new Error('test setup: drop is a merkle_drop venue')
    const edited: StrategyConfig = { ...config, venues: { drop: { ...drop, token: 'ETH' } } }
    expect(() => build(edited)).toThrow(expect.objectContaining({ code: 'invalid_config', message: 'The merkle_drop venue drop drops ETH, a native coin; expected an ERC-20 token.' }))
  })
})

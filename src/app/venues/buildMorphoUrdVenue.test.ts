import { getAddress } from 'viem'
import { afterAll, describe, expect, it } from 'vitest'
import { BUILD_ACCOUNT, BUILD_SIGNER, buildConfigOf, buildVenueDirectly, createProofsFolder } from '../../../test/venueBuildContext.js'
import type { CumulativeRewardsSource } from '../../adapters/rewards/createCumulativeRewardsSource.js'
import { buildMorphoUrdVenue } from './buildMorphoUrdVenue.js'

const URD = '0x330eefa8a787552DC5cAd3C3cA644844B1E61Ddb'

describe('buildMorphoUrdVenue', () => {
  const proofs = createProofsFolder()
  afterAll(() => proofs.remove())

  const build = (venue: Record<string, unknown>, overrides: Record<string, unknown> = {}, signer: typeof BUILD_SIGNER | undefined = undefined) =>
    buildVenueDirectly(buildMorphoUrdVenue, buildConfigOf({ morpho: { type: 'morpho_urd', chain: 'local', distributor: URD, account: BUILD_ACCOUNT, ...venue } }, overrides), 'morpho', 'morpho_urd', {
      signer,
    })

  it("adds a claimable-rewards source over the Universal Rewards Distributor, for the venue's account", () => {
    const assembly = build({ proofs_file: proofs.write('morpho.json', { data: [] }) })
    const [source] = assembly.chainSources as CumulativeRewardsSource[]
    expect([source?.name, source?.source, source?.distributor.label, source?.distributor.address, source?.account]).toEqual([
      'morpho',
      'claimable_rewards',
      'Universal Rewards Distributor',
      getAddress(URD),
      BUILD_ACCOUNT,
    ])
    expect([[...assembly.claimers.keys()], [...assembly.claimGasEstimators.keys()]]).toEqual([[], []])
  })

  it("reads its proofs in the Morpho rewards API's distributions format", async () => {
    const file = proofs.write('morpho-merkl.json', [{ chain: { id: 31337 }, rewards: [] }])
    const [source] = build({ proofs_file: file }).chainSources
    await expect(source?.fetchHoldings()).rejects.toMatchObject({
      name: 'SourceError',
      source: 'morpho',
      shortMessage: `The proofs of morpho from ${file} are not the Morpho rewards API's distributions answer ({ data: [...] }): the answer itself is wrong (Invalid input: expected object, received array).`,
    })
  })

  it('adds a claimer when the strategy executes with a signer', () => {
    expect([...build({ proofs_file: proofs.write('morpho-signed.json', { data: [] }) }, { execution: { mode: 'paper' } }, BUILD_SIGNER).claimers.keys()]).toEqual(['morpho'])
  })
})

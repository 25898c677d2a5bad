import { getAddress } from 'viem'
import { describe, expect, it } from 'vitest'
import { createFakeCumulativeDistributor } from '../../../test/fakeCumulativeDistributor.js'
import { settle } from '../../../test/fakePorts.js'
import { buildMerklTree } from '../../../test/rewardDistributors.js'
import { createCurrency } from '../../domain/money/index.js'
import type { RewardClaim } from './RewardClaim.js'
import { createCumulativeRewardsSource } from './createCumulativeRewardsSource.js'

const E18 = 10n ** 18n
const ACCOUNT = getAddress('0x5A0b54D5dc17e0AadC383d2db43B0a0D3E029c4c')
const DISTRIBUTOR = getAddress('0x330eefa8a787552DC5cAd3C3cA644844B1E61Ddb')
const EIGEN = getAddress('0xec53bF9167f50cDEB3Ae105f56099aaaB9061F83')
const ETHFI = getAddress('0xFe0c30065B384F05761f15d0CC899D4F9F9Cc0eB')
const AIR = getAddress('0x00000000000000000000000000000000000000aa')
const REGISTRY = [createCurrency({ symbol: 'EIGEN', decimals: 18, chain: 'local', address: EIGEN }), createCurrency({ symbol: 'ETHFI', decimals: 18, chain: 'local', address: ETHFI })]
const ROWS = [
  { account: ACCOUNT, token: EIGEN, cumulative: 1_500_250_000_000_000_000_000n },
  { account: ACCOUNT, token: ETHFI, cumulative: 7n * E18 },
  { account: ACCOUNT, token: AIR, cumulative: 42n },
]
const TREE = buildMerklTree(ROWS)
const CLAIMS: RewardClaim[] = ROWS.map((row, index) => ({ token: row.token, amount: row.cumulative, proof: TREE.proofs[index] ?? [] }))

function setUp(knownTokens?: readonly `0x${string}`[]) {
  const fake = createFakeCumulativeDistributor(DISTRIBUTOR)
  fake.root = TREE.root
  fake.claimed.set(ETHFI, 7n * E18)
  fake.tokens.set(AIR, { symbol: 'AIR', decimals: 0 })
  const source = createCumulativeRewardsSource({
    name: 'morpho',
    chain: 'local',
    distributor: fake.distributor,
    account: ACCOUNT,
    batcher: fake.batcher,
    loadClaims: async () => CLAIMS,
    registry: REGISTRY,
    knownTokens,
  })
  return { fake, source }
}

describe('createCumulativeRewardsSource', () => {
  it('is a claimable_rewards source of the distributor and the account', () => {
    const { fake, source } = setUp()
    expect([source.name, source.source, source.distributor, source.account, source.latestState()]).toEqual(['morpho', 'claimable_rewards', fake.distributor, ACCOUNT, undefined])
  })

  it('reports cumulative less claimed in base units, lists a token the registry lacks as unverified_token, and omits what is all claimed', async () => {
    const { source } = setUp()
    const holdings = await source.fetchHoldings()
    expect(holdings.map((holding) => [holding.amount.currency.symbol, holding.amount.raw, holding.amount.toString(), holding.venue, holding.source, holding.custody, holding.held])).toEqual([
      ['EIGEN', 1_500_250_000_000_000_000_000n, '1500.25 EIGEN', 'morpho', 'claimable_rewards', { kind: 'onchain', chain: 'local' }, undefined],
      [
        'AIR',
        42n,
        '42 AIR',
        'morpho',
        'claimable_rewards',
        { kind: 'onchain', chain: 'local' },
        { code: 'unverified_token', detail: `morpho owes AIR (${AIR}), a token that is not in the registry on local; it is listed, never valued, claimed or sold.` },
      ],
    ])
    expect(Object.hasOwn(holdings[0] ?? {}, 'held')).toBe(false)
    expect(source.latestState()?.entries.map((entry) => entry.claimable)).toEqual([1_500_250_000_000_000_000_000n, 0n, 42n])
  })

  it("lists rewards whose proofs lead to another root than the distributor's live one as rewards_proof_stale", async () => {
    const { fake, source } = setUp()
    fake.root = buildMerklTree(ROWS.slice(0, 2)).root
    const holdings = await source.fetchHoldings()
    expect(holdings.map((holding) => [holding.amount.currency.symbol, holding.held])).toEqual([
      [
        'EIGEN',
        {
          code: 'rewards_proof_stale',
          detail: `morpho: the proofs of EIGEN are for root ${TREE.root}, the distributor's live root is ${fake.root}; nothing is claimed until the proofs catch up.`,
        },
      ],
      // A token the registry lacks is unverified first, stale or not.
      ['AIR', { code: 'unverified_token', detail: `morpho owes AIR (${AIR}), a token that is not in the registry on local; it is listed, never valued, claimed or sold.` }],
    ])
  })

  it('reads again on readState and keeps the last read as latestState', async () => {
    const { fake, source } = setUp()
    const first = await source.readState()
    expect(source.latestState()).toBe(first)
    fake.claimed.set(EIGEN, 250_000_000_000_000_000n)
    const second = await source.readState()
    expect(source.latestState()).toBe(second)
    expect(second.entries[0]?.claimable).toBe(1_500n * E18)
  })

  it('queues what was claimed of its known tokens in the first scan, before the proofs are loaded', async () => {
    const { fake, source } = setUp([ETHFI])
    const holdings = source.fetchHoldings()
    await settle()
    expect(fake.reads.slice(0, 3)).toEqual(['root', 'check', `claimed ${ETHFI}`])
    expect((await holdings).map((holding) => holding.amount.currency.symbol)).toEqual(['EIGEN', 'AIR'])
  })

  it('fails as its read fails, with the source named', async () => {
    const { fake, source } = setUp()
    fake.problem = 'the contract pays another token.'
    await expect(source.fetchHoldings()).rejects.toMatchObject({ name: 'SourceError', source: 'morpho', message: 'morpho: the contract pays another token.' })
    expect(source.latestState()).toBeUndefined()
  })
})

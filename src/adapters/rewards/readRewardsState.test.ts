import { type Address, getAddress } from 'viem'
import { describe, expect, it } from 'vitest'
import { createFakeCumulativeDistributor } from '../../../test/fakeCumulativeDistributor.js'
import { createDeferred, settle } from '../../../test/fakePorts.js'
import { buildMerklTree } from '../../../test/rewardDistributors.js'
import { createCurrency } from '../../domain/money/index.js'
import type { RewardClaim } from './RewardClaim.js'
import { type RewardsReadMemory, readRewardsState } from './readRewardsState.js'

const E18 = 10n ** 18n
const ACCOUNT = getAddress('0x5A0b54D5dc17e0AadC383d2db43B0a0D3E029c4c')
const OTHER = getAddress('0x1111111111111111111111111111111111111111')
const DISTRIBUTOR = getAddress('0x3Ef3D8bA38EBe18DB133cEc108f4D14CE00Dd9Ae')
const EIGEN = getAddress('0xec53bF9167f50cDEB3Ae105f56099aaaB9061F83')
const NAMED = getAddress('0x00000000000000000000000000000000000000aa')
const BARE = getAddress('0x00000000000000000000000000000000000000bb')
/** The registry: EIGEN on the local chain; BARE's address on another chain, and a BARE symbol at another address, neither of which is BARE. */
const REGISTRY = [
  createCurrency({ symbol: 'EIGEN', decimals: 18, chain: 'local', address: EIGEN }),
  createCurrency({ symbol: 'BARE', decimals: 6, chain: 'ethereum', address: BARE }),
  createCurrency({ symbol: 'BARE', decimals: 6, chain: 'local', address: '0x00000000000000000000000000000000000000cc' }),
]
const ROWS = [
  { account: ACCOUNT, token: EIGEN, cumulative: 80n * E18 },
  { account: OTHER, token: EIGEN, cumulative: 3n },
  { account: ACCOUNT, token: NAMED, cumulative: 5_000_000n },
  { account: ACCOUNT, token: BARE, cumulative: 123_456_789n },
]
const TREE = buildMerklTree(ROWS)
/** The account's claims as parsed proofs give them; only NAMED's proofs name its symbol and decimals (Merkl's do, Morpho's do not). */
const CLAIMS: RewardClaim[] = [
  { token: EIGEN, amount: 80n * E18, proof: TREE.proofs[0] ?? [] },
  { token: NAMED, amount: 5_000_000n, proof: TREE.proofs[2] ?? [], symbol: 'NAMED', decimals: 6 },
  { token: BARE, amount: 123_456_789n, proof: TREE.proofs[3] ?? [] },
]

function setUp() {
  const fake = createFakeCumulativeDistributor(DISTRIBUTOR)
  fake.root = TREE.root
  fake.claimed.set(EIGEN, 30n * E18)
  fake.tokens.set(BARE, { symbol: 'ST RAY$', decimals: 8 })
  const memory: RewardsReadMemory = { tokens: new Set(), metadata: new Map() }
  const read = (loadClaims: () => Promise<RewardClaim[]> = async () => CLAIMS) =>
    readRewardsState({ venue: 'merkl_rewards', chain: 'local', distributor: fake.distributor, account: ACCOUNT, batcher: fake.batcher, loadClaims, registry: REGISTRY, memory })
  return { fake, memory, read }
}

const summary = (entries: Awaited<ReturnType<ReturnType<typeof setUp>['read']>>['entries']) =>
  entries.map((entry) => [entry.currency.symbol, entry.currency.decimals, entry.currency.address, entry.registered, entry.claimed, entry.claimable, entry.current])

describe('readRewardsState', () => {
  it('reads each reward: cumulative less claimed, the registry token by chain and address, the others described by the proofs or by the token', async () => {
    const { fake, memory, read } = setUp()
    const state = await read()
    expect(state.liveRoot).toBe(TREE.root)
    expect(summary(state.entries)).toEqual([
      ['EIGEN', 18, EIGEN, true, 30n * E18, 50n * E18, true],
      ['NAMED', 6, NAMED, false, 0n, 5_000_000n, true],
      ['STRAY', 8, BARE, false, 0n, 123_456_789n, true],
    ])
    expect(state.entries.map((entry) => entry.proofRoot)).toEqual([TREE.root, TREE.root, TREE.root])
    expect(state.entries.map((entry) => entry.claim)).toEqual(CLAIMS)
    // Only the token the proofs do not describe is asked what it is: its symbol as a string and as a bytes32 (readTokenMetadata), and its decimals.
    expect(fake.reads.filter((what) => /^(symbol|decimals) /.test(what))).toEqual([`symbol ${BARE}`, `symbol ${BARE}`, `decimals ${BARE}`])
    expect([...memory.tokens]).toEqual([EIGEN, NAMED, BARE])
    expect([...memory.metadata]).toEqual([
      [NAMED, { symbol: 'NAMED', decimals: 6 }],
      // Remembered as readTokenMetadata gives it: sanitised already.
      [BARE, { symbol: 'STRAY', decimals: 8 }],
    ])
  })

  it('queues the root, the check and what was claimed of the tokens it remembers before the proofs arrive, and asks no token again', async () => {
    const { fake, read } = setUp()
    await read()
    fake.reads.length = 0
    const proofs = createDeferred<RewardClaim[]>()
    const second = read(() => proofs.promise)
    await settle()
    expect(fake.reads).toEqual(['root', 'check', `claimed ${EIGEN}`, `claimed ${NAMED}`, `claimed ${BARE}`])
    proofs.resolve(CLAIMS)
    expect(summary((await second).entries).map(([symbol, decimals]) => [symbol, decimals])).toEqual([
      ['EIGEN', 18],
      ['NAMED', 6],
      ['STRAY', 8],
    ])
    expect(fake.reads).toHaveLength(5)
  })

  it('marks a proof that leads to another root as not current, giving the root it leads to', async () => {
    const { fake, read } = setUp()
    const live = buildMerklTree([...ROWS, { account: OTHER, token: NAMED, cumulative: 1n }]).root
    fake.root = live.toUpperCase().replace('0X', '0x') as typeof live
    const state = await read()
    expect(state.entries.map((entry) => [entry.proofRoot, entry.current])).toEqual([
      [TREE.root, false],
      [TREE.root, false],
      [TREE.root, false],
    ])
    expect(state.liveRoot).toBe(fake.root)
  })

  it('describes a token that reverts on symbol() and answers decimals() of 37 as UNKNOWN with 0 decimals', async () => {
    const { fake, read } = setUp()
    fake.tokens.set(BARE, { decimals: 37 })
    const state = await read()
    expect(summary(state.entries)[2]).toEqual(['UNKNOWN', 0, BARE, false, 0n, 123_456_789n, true])
  })

  it('gives a claimable of 0 or less when the account claimed all or more than the proofs say', async () => {
    const { fake, read } = setUp()
    fake.claimed.set(EIGEN, 80n * E18)
    fake.claimed.set(NAMED, 5_000_001n)
    const state = await read()
    expect(state.entries.map((entry) => entry.claimable)).toEqual([0n, -1n, 123_456_789n])
  })

  it('fails with a SourceError naming the distributor when the live root cannot be read', async () => {
    const { fake, read } = setUp()
    fake.failures.root = new Error('execution reverted')
    await expect(read()).rejects.toMatchObject({
      name: 'SourceError',
      source: 'merkl_rewards',
      message: `Could not read the live root of the Fake Distributor ${DISTRIBUTOR} for merkl_rewards.\nexecution reverted`,
      cause: fake.failures.root,
    })
  })

  it('fails with a SourceError naming the account and the token when what was claimed cannot be read', async () => {
    const { fake, read } = setUp()
    fake.failures.claimed = new Error('node down')
    await expect(read()).rejects.toMatchObject({
      name: 'SourceError',
      shortMessage: `Could not read what ${ACCOUNT} claimed of ${EIGEN} from the Fake Distributor ${DISTRIBUTOR} for merkl_rewards.`,
      details: 'node down',
    })
  })

  it("fails with the distributor's check: what is wrong with it, or that it could not be checked", async () => {
    const { fake, read } = setUp()
    fake.problem = 'the contract is not the one configured.'
    await expect(read()).rejects.toMatchObject({ name: 'SourceError', source: 'merkl_rewards', message: 'merkl_rewards: the contract is not the one configured.' })
    fake.problem = undefined
    fake.failures.check = new Error('no code')
    await expect(read()).rejects.toMatchObject({ message: `Could not read the Fake Distributor ${DISTRIBUTOR} for merkl_rewards.\nno code` })
  })

  it("gives the proofs loader's own error when the proofs cannot be loaded, the reads it queued settled unheard", async () => {
    const { fake, read } = setUp()
    fake.failures.root = new Error('also down')
    const refused = new Error('The proofs file is missing.')
    await expect(read(() => Promise.reject(refused))).rejects.toBe(refused)
  })

  it('reads a distributor without a check, and a distribution that owes the account nothing', async () => {
    const fake = createFakeCumulativeDistributor(DISTRIBUTOR, { withCheck: false })
    fake.root = TREE.root
    const memory: RewardsReadMemory = { tokens: new Set<Address>([EIGEN]), metadata: new Map() }
    const state = await readRewardsState({ venue: 'v', chain: 'local', distributor: fake.distributor, account: ACCOUNT, batcher: fake.batcher, loadClaims: async () => [], registry: REGISTRY, memory })
    expect(state).toEqual({ liveRoot: TREE.root, entries: [] })
    expect(fake.reads).toEqual(['root', `claimed ${EIGEN}`])
    expect([...memory.tokens]).toEqual([])
  })
})

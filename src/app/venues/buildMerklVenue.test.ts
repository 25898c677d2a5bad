import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type Address, erc20Abi, getAddress, parseEther } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { merklFixture, writeProofs } from '../../../test/cumulativeRewardsVenues.js'
import { demoStrategy } from '../../../test/demoStrategy.js'
import { createRecordingEventSink, createRecordingLogger } from '../../../test/fakePorts.js'
import { fixtureClock } from '../../../test/fixtureMoney.js'
import { type RewardRow, fundDistributor } from '../../../test/rewardDistributors.js'
import { BUILD_ACCOUNT, BUILD_SIGNER, buildConfigOf, buildVenueDirectly, createProofsFolder } from '../../../test/venueBuildContext.js'
import { defaultDataDir, readLastCloses } from '../../adapters/history/readLastCloses.js'
import { createLocalDeployer } from '../../adapters/localchain/createLocalDeployer.js'
import { merklDistributorAbi } from '../../adapters/localchain/rewardDistributorAbis.js'
import { type LocalChain, startLocalChain } from '../../adapters/localchain/startLocalChain.js'
import type { CumulativeRewardsSource } from '../../adapters/rewards/createCumulativeRewardsSource.js'
import type { DustConverted } from '../../domain/events.js'
import { createDustManager } from '../../engine/createDustManager.js'
import { scanStrategy } from '../../engine/scanStrategy.js'
import { type DemoWorld, createDemoWorld } from '../createDemoWorld.js'
import { buildMerklVenue } from './buildMerklVenue.js'

describe('a merkl venue through the engine, on the demo world', () => {
  let chain: LocalChain
  let world: DemoWorld
  let folder: string

  beforeAll(async () => {
    chain = await startLocalChain()
    world = await createDemoWorld({ chain, closes: await readLastCloses(defaultDataDir({})) })
    folder = mkdtempSync(join(tmpdir(), 'merkl-engine-'))
  }, 120_000)

  afterAll(async () => {
    await chain?.stop()
    if (folder) rmSync(folder, { recursive: true, force: true })
  })

  it('claims the Merkl rewards and sells them on Uniswap in one cycle, recording dust_converted; the next scan finds nothing left to claim', async () => {
    const ethfi = world.environment.tokens.ETHFI
    const distributor = await merklFixture.deploy({ chain }, ethfi)
    await fundDistributor({ chain }, { token: ethfi, to: distributor, amount: parseEther('5000') })
    const rows: RewardRow[] = [
      { account: world.wallet, token: ethfi, cumulative: parseEther('1200') },
      { account: '0x1111111111111111111111111111111111111111', token: ethfi, cumulative: parseEther('3') },
    ]
    const tree = await merklFixture.publish({ chain }, distributor, rows)
    const proofsFile = join(folder, 'merkl.json')
    writeProofs(proofsFile, merklFixture.proofs({ rows, tree, account: world.wallet, chainId: chain.chainId, distributor, tokens: [{ address: ethfi, symbol: 'ETHFI', decimals: 18 }] }))
    const strategy = await demoStrategy(world, (config) => {
      // The Merkl rewards are sold on Uniswap; V2's spot price is the independent check of V3's quote, and V3's of V2's.
      const venues = config.venues as Record<string, unknown>
      delete venues.binance
      delete venues.etherfi_eigen
      delete venues.etherfi_ethfi
      venues.merkl_ethfi = { type: 'merkl', chain: 'local', distributor, account: world.wallet, proofs_file: proofsFile }
      // The rewards alone are about 0.05 % of the equity: a lower threshold makes them worth converting.
      config.dust_delta = '0.0005'
      config.prices = (config.prices as Array<{ type: string; venue?: string }>).filter((source) => source.type !== 'cex_mid')
    })
    const clock = fixtureClock(Date.now())
    const logger = createRecordingLogger()
    const sink = createRecordingEventSink()
    const manager = createDustManager({ strategies: [strategy], clock, logger, eventSink: sink, execute: true })
    const [result] = await manager.runOnce()
    if (!result?.ok) throw new Error('the cycle failed')
    const outcome = result.outcomes.find(({ instruction }) => instruction.token === 'ETHFI')
    const seller = outcome?.instruction.venue
    expect(seller).toMatch(/^uniswap(_v2)?$/)
    expect([outcome?.instruction.amount.raw, outcome?.outcome.status]).toEqual([parseEther('1200'), 'converted'])
    expect(outcome?.outcome.steps?.map((step) => [step.kind, step.venue])).toEqual([
      ['claim', 'merkl_ethfi'],
      ['approve', seller],
      ['swap', seller],
    ])
    const converted = sink.events.filter((event): event is DustConverted => event.event_type === 'dust_converted')
    expect(converted.filter((event) => event.token === 'ETHFI').map((event) => [event.venue, event.amount, event.steps.map((step) => step.kind)])).toEqual([
      [seller, '1200', ['claim', 'approve', 'swap']],
    ])
    // On chain: the distributor counts the whole cumulative amount claimed, and the wallet sold it all.
    const reader = createLocalDeployer({ rpcUrl: chain.rpcUrl, chainId: chain.chainId, privateKey: chain.accounts[0] as `0x${string}` }).client
    const [claimed] = await reader.readContract({ address: distributor, abi: merklDistributorAbi, functionName: 'claimed', args: [world.wallet, ethfi] })
    expect(claimed).toBe(parseEther('1200'))
    expect(await reader.readContract({ address: ethfi as Address, abi: erc20Abi, functionName: 'balanceOf', args: [world.wallet] })).toBe(0n)
    const after = await scanStrategy({ clock, logger }, { strategy })
    expect(after.holdings.filter((holding) => holding.venue === 'merkl_ethfi')).toEqual([])
  }, 120_000)
})

describe('buildMerklVenue, called directly', () => {
  const proofs = createProofsFolder()
  afterAll(() => proofs.remove())

  const build = (venue: Record<string, unknown>, overrides: Record<string, unknown> = {}, signer: typeof BUILD_SIGNER | undefined = undefined) =>
    buildVenueDirectly(buildMerklVenue, buildConfigOf({ merkl: { type: 'merkl', chain: 'local', account: BUILD_ACCOUNT, ...venue } }, overrides), 'merkl', 'merkl', { signer })

  it("adds a claimable-rewards source over Merkl's Distributor, at its address on every chain unless configured", () => {
    const file = proofs.write('merkl.json', [])
    const [byDefault] = build({ proofs_file: file }).chainSources as CumulativeRewardsSource[]
    expect([byDefault?.name, byDefault?.source, byDefault?.distributor.label, byDefault?.distributor.address, byDefault?.account]).toEqual([
      'merkl',
      'claimable_rewards',
      'Merkl Distributor',
      '0x3Ef3D8bA38EBe18DB133cEc108f4D14CE00Dd9Ae',
      BUILD_ACCOUNT,
    ])
    const [configured] = build({ proofs_file: file, distributor: '0x2222222222222222222222222222222222222222' }).chainSources as CumulativeRewardsSource[]
    expect(configured?.distributor.address).toBe(getAddress('0x2222222222222222222222222222222222222222'))
  })

  it("reads its proofs in Merkl's API v4 rewards format", async () => {
    const file = proofs.write('merkl-morpho.json', { data: [] })
    const [source] = build({ proofs_file: file }).chainSources
    await expect(source?.fetchHoldings()).rejects.toMatchObject({
      name: 'SourceError',
      source: 'merkl',
      shortMessage: `The proofs of merkl from ${file} are not Merkl's rewards answer (a list of { chain, rewards }): the answer itself is wrong (Invalid input: expected array, received object).`,
    })
  })

  it('adds a claimer only when the strategy executes with a signer', () => {
    const file = proofs.write('merkl-signed.json', [])
    expect([...build({ proofs_file: file }, {}, BUILD_SIGNER).claimers.keys()]).toEqual([])
    expect([...build({ proofs_file: file }, { execution: { mode: 'paper' } }, BUILD_SIGNER).claimers.keys()]).toEqual(['merkl'])
  })
})

import { type Hex, createTestClient, http, parseEther } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import type { LastCloses } from '../adapters/history/readLastCloses.js'
import { createLocalDeployer } from '../adapters/localchain/createLocalDeployer.js'
import { deployDemoEnvironment } from '../adapters/localchain/deployDemoEnvironment.js'
import type { LocalChain } from '../adapters/localchain/startLocalChain.js'
import { Fraction } from '../domain/money/index.js'
import { BaseError } from '../errors/index.js'
import { DEMO_ROLE, type DemoKeeper, type DemoWorld } from './DemoWorld.js'

export { DEMO_ROLE, type DemoKeeper, type DemoWorld } from './DemoWorld.js'
export { demoConfig } from './demoConfig.js'

/** The demo strategy's holdings, in whole tokens (about 1,000 ETH of weETH and dust above dust_delta). */
export const DEMO_HOLDINGS = {
  /** weETH worth about 1,000 ETH at the oracle rate, computed from it. */
  weethEth: '1000',
  walletEigen: '1200',
  /** Half of what 1,000 weETH earned over the whole EIGEN history of shared/data (8,708). */
  claimableEigen: '4354',
  /** What 1,000 weETH earned in ETHFI over shared/data (1,068). */
  claimableEthfi: '1068',
  /** Ether left in the wallet for gas. */
  walletEth: '1',
} as const

/**
 * Deploys the demo's world on a running node at the last real prices: Uniswap V2 and V3
 * pools, a wallet holding weETH worth about 1,000 ETH plus EIGEN, and merkle distributors
 * holding its EIGEN and ETHFI claims (and another account's, so the tree has more than one leaf).
 */
export async function createDemoWorld(parameters: { chain: LocalChain; closes: LastCloses; keeper?: boolean | undefined; onProgress?: (step: string) => void }): Promise<DemoWorld> {
  const { chain, closes } = parameters
  const deployer = createLocalDeployer({ rpcUrl: chain.rpcUrl, chainId: chain.chainId, privateKey: accountKey(chain, 0) })
  const walletKey = accountKey(chain, 1)
  let keeper: DemoKeeper | undefined
  if (parameters.keeper) {
    // The desk owns the Safe (the deployer's key stands in for its multisig); the bot key is only the keeper.
    parameters.onProgress?.('Safe and Zodiac Roles modifier')
    const { deploySafeWithRoles } = await import('../adapters/localchain/deploySafeWithRoles.js')
    const ownerKey = accountKey(chain, 0)
    const deployed = await deploySafeWithRoles({ deployer, ownerKeys: [ownerKey] })
    keeper = { safe: deployed.safe, roles: deployed.roles, multiSend: deployed.multiSend, role: DEMO_ROLE, keeper: privateKeyToAccount(walletKey).address, ownerKey }
  }
  const wallet = keeper?.safe ?? privateKeyToAccount(walletKey).address
  const depositAddress = privateKeyToAccount(accountKey(chain, 3)).address
  const other = privateKeyToAccount(accountKey(chain, 2)).address
  const weeth = new Fraction(parseEther(DEMO_HOLDINGS.weethEth)).divide(closes.weethEth.value).toBigInt('down')
  const range = new Fraction(5n, 4n)
  const environment = await deployDemoEnvironment({
    deployer,
    prices: { ethUsdt: closes.ethUsdt.value, eigenWeth: closes.eigenWeth.value, ethfiWeth: closes.ethfiWeth.value },
    v2Pools: [
      { tokens: ['WETH', 'USDT'], depthWeth: parseEther('500') },
      { tokens: ['EIGEN', 'WETH'], depthWeth: parseEther('50') },
      { tokens: ['ETHFI', 'WETH'], depthWeth: parseEther('20') },
    ],
    v3Pools: [
      { tokens: ['WETH', 'USDT'], depthWeth: parseEther('2000'), fee: 500, rangeFactor: range },
      { tokens: ['EIGEN', 'WETH'], depthWeth: parseEther('300'), fee: 3000, rangeFactor: range },
      { tokens: ['ETHFI', 'WETH'], depthWeth: parseEther('100'), fee: 3000, rangeFactor: range },
    ],
    balances: [
      { account: wallet, token: 'weETH', amount: weeth },
      { account: wallet, token: 'EIGEN', amount: parseEther(DEMO_HOLDINGS.walletEigen) },
    ],
    distributions: {
      EIGEN: [
        { account: wallet, amount: parseEther(DEMO_HOLDINGS.claimableEigen) },
        { account: other, amount: parseEther('812.5') },
      ],
      ETHFI: [
        { account: wallet, amount: parseEther(DEMO_HOLDINGS.claimableEthfi) },
        { account: other, amount: parseEther('97') },
      ],
    },
    onProgress: parameters.onProgress,
  })
  // The development account starts with millions of test ether; the strategy keeps one for gas (the keeper, one of its own).
  const testClient = createTestClient({ mode: 'hardhat', transport: http(chain.rpcUrl) })
  await testClient.setBalance({ address: wallet, value: parseEther(DEMO_HOLDINGS.walletEth) })
  if (keeper) await testClient.setBalance({ address: keeper.keeper, value: parseEther(DEMO_HOLDINGS.walletEth) })
  const world: DemoWorld = { chain, environment, wallet, walletKey, depositAddress, closes, keeper }
  if (!keeper) return world
  // The desk applies the role its configuration needs, as `dust keeper permissions` writes it: one Safe transaction.
  parameters.onProgress?.('keeper role')
  const { applyDemoKeeperRole } = await import('./keeper/applyDemoKeeperRole.js')
  return { ...world, keeper: { ...keeper, applied: await applyDemoKeeperRole({ world, deployer }) } }
}

/** The private key of one of the node's funded development accounts. */
function accountKey(chain: LocalChain, index: number): Hex {
  const key = chain.accounts[index]
  if (key === undefined) throw new BaseError(`The local node funds ${chain.accounts.length} accounts; the demo needs account ${index}.`)
  return key
}

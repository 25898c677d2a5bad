import { type Address, type Hex, createTestClient, http, parseEther } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import type { LastCloses } from '../adapters/history/readLastCloses.js'
import { createLocalDeployer } from '../adapters/localchain/createLocalDeployer.js'
import { type DemoEnvironment, deployDemoEnvironment } from '../adapters/localchain/deployDemoEnvironment.js'
import type { LocalChain } from '../adapters/localchain/startLocalChain.js'
import { Fraction } from '../domain/money/index.js'
import { BaseError } from '../errors/index.js'

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

/** A deployed demo world: the chain, its contracts, the strategy's wallet and key, and where its Binance deposits go. */
export type DemoWorld = {
  readonly chain: LocalChain
  readonly environment: DemoEnvironment
  readonly wallet: Address
  readonly walletKey: Hex
  readonly depositAddress: Address
  readonly closes: LastCloses
}

/**
 * Deploys the demo's world on a running node at the last real prices: Uniswap V2 and V3
 * pools, a wallet holding weETH worth about 1,000 ETH plus EIGEN, and merkle distributors
 * holding its EIGEN and ETHFI claims (and another account's, so the tree has more than one leaf).
 */
export async function createDemoWorld(parameters: { chain: LocalChain; closes: LastCloses; onProgress?: (step: string) => void }): Promise<DemoWorld> {
  const { chain, closes } = parameters
  const deployer = createLocalDeployer({ rpcUrl: chain.rpcUrl, chainId: chain.chainId, privateKey: accountKey(chain, 0) })
  const walletKey = accountKey(chain, 1)
  const wallet = privateKeyToAccount(walletKey).address
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
  // The development account starts with millions of test ether; the strategy keeps one for gas.
  await createTestClient({ mode: 'hardhat', transport: http(chain.rpcUrl) }).setBalance({ address: wallet, value: parseEther(DEMO_HOLDINGS.walletEth) })
  return { chain, environment, wallet, walletKey, depositAddress, closes }
}

/** The private key of one of the node's funded development accounts. */
function accountKey(chain: LocalChain, index: number): Hex {
  const key = chain.accounts[index]
  if (key === undefined) throw new BaseError(`The local node funds ${chain.accounts.length} accounts; the demo needs account ${index}.`)
  return key
}

/** A static order book around a mid price: `levels` a side, `stepBps` apart, first level `halfSpreadBps` from the mid. */
function book(mid: Fraction, decimals: number, size: string, levels = 10, halfSpreadBps = 2n, stepBps = 4n) {
  const at = (bps: bigint, side: 'bid' | 'ask') =>
    (side === 'bid' ? mid.multiply(new Fraction(10_000n - bps, 10_000n)) : mid.multiply(new Fraction(10_000n + bps, 10_000n))).toDecimalString(decimals, side === 'bid' ? 'down' : 'up')
  return {
    bids: Array.from({ length: levels }, (_, index) => [at(halfSpreadBps + stepBps * BigInt(index), 'bid'), size]),
    asks: Array.from({ length: levels }, (_, index) => [at(halfSpreadBps + stepBps * BigInt(index), 'ask'), size]),
  }
}

/**
 * The demo strategy's configuration (the `usdt_eth_staking_hedged_simple` mode) for a
 * deployed world: the wallet read on chain, both distributors, Uniswap V3 and V2, and a paper
 * Binance whose books sit around the same last real prices, with Binance's taker fee and limits.
 */
export function demoConfig(world: DemoWorld, signerEnv: string): Record<string, unknown> {
  const { environment: env, closes } = world
  const eigenUsdt = closes.eigenWeth.value.multiply(closes.ethUsdt.value)
  const pools = [
    { tokens: ['EIGEN', 'WETH'], fee: 3000 },
    { tokens: ['ETHFI', 'WETH'], fee: 3000 },
    { tokens: ['WETH', 'USDT'], fee: 500 },
  ]
  return {
    mode: 'usdt_eth_staking_hedged_simple',
    share_class: 'USDT',
    asset: 'ETH',
    lst_type: 'weETH',
    staking_enabled: true,
    dust_delta: '0.002',
    dust_monitoring_interval: 60,
    max_hops: 2,
    tokens: [
      { symbol: 'ETH', chain: 'local', decimals: 18 },
      { symbol: 'WETH', chain: 'local', address: env.tokens.WETH, decimals: 18 },
      { symbol: 'USDT', chain: 'local', address: env.tokens.USDT, decimals: 6 },
      { symbol: 'EIGEN', chain: 'local', address: env.tokens.EIGEN, decimals: 18 },
      { symbol: 'ETHFI', chain: 'local', address: env.tokens.ETHFI, decimals: 18 },
      { symbol: 'weETH', chain: 'local', address: env.tokens.weETH, decimals: 18 },
    ],
    chains: { local: { rpc_url: world.chain.rpcUrl, chain_id: world.chain.chainId, multicall_address: env.multicall, max_gas_price_gwei: '50' } },
    venues: {
      wallet: { type: 'evm_wallet', chain: 'local', address: world.wallet },
      etherfi_eigen: { type: 'merkle_rewards', chain: 'local', distributor: env.distributors.EIGEN?.address, token: 'EIGEN', account: world.wallet, claims: env.distributors.EIGEN?.claims },
      etherfi_ethfi: { type: 'merkle_rewards', chain: 'local', distributor: env.distributors.ETHFI?.address, token: 'ETHFI', account: world.wallet, claims: env.distributors.ETHFI?.claims },
      uniswap: { type: 'uniswap_v3', chain: 'local', router: env.uniswapV3.swapRouter, quoter: env.uniswapV3.quoterV2, factory: env.uniswapV3.factory, pools },
      uniswap_v2: { type: 'uniswap_v2', chain: 'local', router: env.uniswapV2.router, factory: env.uniswapV2.factory, pools: pools.map(({ tokens }) => ({ tokens })) },
      binance: {
        type: 'static_cex',
        taker_fee_bps: '10',
        deposit_chain: 'local',
        deposit_address: world.depositAddress,
        markets: {
          'EIGEN/USDT': { min_notional: '5', amount_step: '0.01', ...book(eigenUsdt, 4, '2500') },
          'ETH/USDT': { min_notional: '5', amount_step: '0.0001', ...book(closes.ethUsdt.value, 2, '40') },
        },
      },
    },
    prices: [
      { type: 'uniswap_spot', venue: 'uniswap' },
      { type: 'uniswap_spot', venue: 'uniswap_v2' },
      { type: 'cex_mid', venue: 'binance' },
      { type: 'fixed_rate', name: 'oracle', base: 'weETH', quote: 'ETH', rate: closes.weethEth.value.toDecimalString(18) },
    ],
    equity: { type: 'holdings' },
    gas_price: { local: { type: 'rpc' } },
    execution: { mode: 'paper', max_slippage_bps: 50, signer: { private_key_env: signerEnv } },
  }
}

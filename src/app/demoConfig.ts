import { Fraction } from '../domain/money/index.js'
import type { DemoWorld } from './DemoWorld.js'

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
      // In keeper mode the funds are the Safe's: the before-and-after table names it so.
      [world.keeper ? 'safe' : 'wallet']: { type: 'evm_wallet', chain: 'local', address: world.wallet },
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
    execution: {
      mode: 'paper',
      max_slippage_bps: 50,
      signer: world.keeper
        ? {
            type: 'roles',
            private_key_env: signerEnv,
            chain: 'local',
            safe: world.keeper.safe,
            roles_modifier: world.keeper.roles,
            role: world.keeper.role,
            keeper: world.keeper.keeper,
            multi_send: world.keeper.multiSend,
          }
        : { private_key_env: signerEnv },
    },
  }
}

import { getAddress } from 'viem'
import { type StrategyConfig, strategyConfigSchema } from '../src/config/index.js'
import { Fraction } from '../src/domain/money/index.js'
import { type DemoWorld, demoConfig } from '../src/app/createDemoWorld.js'

// Configurations whose signer is a Zodiac Roles keeper, for the keeper role's derivation and its
// Roles calls. Nothing is deployed: the addresses are made up (or mainnet's), only configurations are read.

/** The Safe that holds the funds, the Roles modifier on it, and the keeper (made-up addresses). */
export const SAFE = getAddress('0x5afe00000000000000000000000000000000cafe')
export const ROLES = getAddress('0x901e500000000000000000000000000000000001')
export const KEEPER = getAddress('0x4ee9e40000000000000000000000000000000002')
/** A roles signer on mainnet, as `execution.signer` gives it. */
export const rolesSigner = { type: 'roles', private_key_env: 'DUST_KEEPER_KEY', chain: 'ethereum', safe: SAFE, roles_modifier: ROLES, role: 'dust-keeper', keeper: KEEPER }

/** The demo world's addresses, as deployDemoEnvironment would give them (made up: nothing is deployed). */
export const DEMO = {
  WETH: getAddress('0x00000000000000000000000000000000000000e1'),
  USDT: getAddress('0x00000000000000000000000000000000000000e2'),
  EIGEN: getAddress('0x00000000000000000000000000000000000000e3'),
  ETHFI: getAddress('0x00000000000000000000000000000000000000e4'),
  weETH: getAddress('0x00000000000000000000000000000000000000e5'),
  eigenDistributor: getAddress('0x00000000000000000000000000000000000000d1'),
  ethfiDistributor: getAddress('0x00000000000000000000000000000000000000d2'),
  v3Router: getAddress('0x00000000000000000000000000000000000000a3'),
  v2Router: getAddress('0x00000000000000000000000000000000000000a2'),
  deposit: getAddress('0x00000000000000000000000000000000000000b1'),
}

/** A demo world that was never deployed (made-up addresses), with its funds in the Safe when `keeper`, in a key's wallet otherwise. */
export function fakeDemoWorld(options: { keeper: boolean } = { keeper: true }): DemoWorld {
  const claims = { merkleRoot: `0x${'ab'.repeat(32)}`, claims: { [SAFE]: { index: 0, amount: '0x01', proof: [] } } }
  const world = {
    chain: { rpcUrl: 'http://127.0.0.1:8545', chainId: 31337 },
    environment: {
      tokens: { WETH: DEMO.WETH, USDT: DEMO.USDT, EIGEN: DEMO.EIGEN, ETHFI: DEMO.ETHFI, weETH: DEMO.weETH },
      multicall: getAddress('0x00000000000000000000000000000000000000c1'),
      uniswapV2: { factory: getAddress('0x00000000000000000000000000000000000000f2'), router: DEMO.v2Router, pairs: [] },
      uniswapV3: {
        factory: getAddress('0x00000000000000000000000000000000000000f3'),
        swapRouter: DEMO.v3Router,
        quoterV2: getAddress('0x00000000000000000000000000000000000000a4'),
        positionManager: DEMO.v3Router,
        pools: [],
      },
      distributors: { EIGEN: { address: DEMO.eigenDistributor, claims }, ETHFI: { address: DEMO.ethfiDistributor, claims } },
    },
    wallet: options.keeper ? SAFE : KEEPER,
    keeper: options.keeper
      ? { safe: SAFE, roles: ROLES, multiSend: getAddress('0x9641d764fc13c8b624c04430c7356c1c7c8102e2'), role: 'dust-keeper', keeper: KEEPER, ownerKey: `0x${'22'.repeat(32)}` }
      : undefined,
    walletKey: `0x${'11'.repeat(32)}`,
    depositAddress: DEMO.deposit,
    closes: {
      ethUsdt: { value: Fraction.fromDecimalString('2500'), time: '', file: '' },
      eigenWeth: { value: Fraction.fromDecimalString('0.0005'), time: '', file: '' },
      ethfiWeth: { value: Fraction.fromDecimalString('0.0004'), time: '', file: '' },
      weethEth: { value: Fraction.fromDecimalString('1.06'), time: '', file: '' },
    },
  } as unknown as DemoWorld
  return world
}

/** The demo's configuration (`demoConfig`) in keeper mode: its funds in the Safe, signed by the keeper through the role. */
export function demoRolesConfig(): StrategyConfig {
  // With `keeper`, demoConfig itself gives the roles signer (its chain `local`).
  return strategyConfigSchema.parse(demoConfig(fakeDemoWorld({ keeper: true }), 'DUST_KEEPER_KEY'))
}

/** Mainnet's tokens, routers and Merkl's Distributor; the deposit addresses are made up. */
export const MAINNET = {
  WETH: getAddress('0xc02aaa39b223fe8d0a0e5c4f27ead9083c756cc2'),
  USDC: getAddress('0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48'),
  EIGEN: getAddress('0xec53bf9167f50cdeb3ae105f56099aaab9061f83'),
  ARB: getAddress('0xb50721bcf8d664c30412cfbc6cf7a15145234ad1'),
  v2Router: getAddress('0x7a250d5630b4cf539739df2c5dacb4c659f2488d'),
  v3Router: getAddress('0xe592427a0aece92de3edee1f18e0157c05861564'),
  merkl: getAddress('0x3ef3d8ba38ebe18db133cec108f4d14ce00dd9ae'),
  binanceDeposit: getAddress('0x00000000000000000000000000000000000b1a00'),
  okxDeposit: getAddress('0x00000000000000000000000000000000000000c0'),
}

/**
 * A mainnet strategy whose share class is ETH (swaps end in WETH): Merkl rewards, Uniswap V2 and
 * V3, a static CEX and a ccxt exchange with deposit addresses, plus what must stay out of the role:
 * an ignored token, a `convert: false` token, an LST, a token and a CEX deposit on another chain.
 */
export function mainnetRolesConfig(overrides: Record<string, unknown> = {}): StrategyConfig {
  return strategyConfigSchema.parse({
    mode: 'eth_keeper',
    share_class: 'ETH',
    asset: 'ETH',
    lst_type: 'weETH',
    dust_delta: '0.002',
    max_hops: 3,
    ignore_tokens: ['SPAM'],
    dust_tokens: { DIS: { convert: false } },
    tokens: [
      { symbol: 'ETH', decimals: 18 },
      { symbol: 'WETH', decimals: 18, address: MAINNET.WETH },
      { symbol: 'USDC', decimals: 6, address: MAINNET.USDC },
      { symbol: 'EIGEN', decimals: 18, address: MAINNET.EIGEN },
      { symbol: 'ARB', decimals: 18, address: MAINNET.ARB },
      { symbol: 'SPAM', decimals: 18, address: '0x00000000000000000000000000000000000005a3' },
      { symbol: 'DIS', decimals: 18, address: '0x0000000000000000000000000000000000000d15' },
      { symbol: 'weETH', decimals: 18, address: '0xcd5fe23c85820f7b72d0926fc9b05b43e359b7ee' },
      { symbol: 'AERO', chain: 'base', decimals: 18, address: '0x940181a94a35a4569e4529a3cdfb74e38fd98631' },
    ],
    chains: { ethereum: { rpc_url: 'http://127.0.0.1:8545', chain_id: 1 } },
    venues: {
      wallet: { type: 'evm_wallet', address: SAFE },
      merkl: { type: 'merkl', account: SAFE, proofs_url: 'https://api.merkl.xyz/v4/users/{account}/rewards?chainId={chainId}' },
      sushi: {
        type: 'uniswap_v2',
        router: MAINNET.v2Router,
        factory: '0x5c69bee701ef814a2b6a3edd4b1652cb9cc5aa6f',
        pools: [{ tokens: ['EIGEN', 'WETH'] }, { tokens: ['SPAM', 'WETH'] }, { tokens: ['DIS', 'WETH'] }],
      },
      uniswap: {
        type: 'uniswap_v3',
        router: MAINNET.v3Router,
        quoter: '0x61ffe014ba17989e743c5f6cb21bf9697530b21e',
        factory: '0x1f98431c8ad98523631ae4a59f267346ea31f984',
        pools: [
          { tokens: ['EIGEN', 'WETH'], fee: 3000 },
          { tokens: ['EIGEN', 'USDC'], fee: 500 },
          { tokens: ['USDC', 'WETH'], fee: 500 },
          { tokens: ['ARB', 'USDC'] },
          // A second EIGEN/WETH tier: the venue swaps through the first one listed, so the role allows only that one.
          { tokens: ['EIGEN', 'WETH'], fee: 10000 },
        ],
      },
      binance: { type: 'static_cex', deposit_address: MAINNET.binanceDeposit, markets: { 'EIGEN/USDC': {} } },
      okx: { type: 'ccxt', exchange: 'okx', deposit_address: MAINNET.okxDeposit },
      coinbase_base: { type: 'static_cex', deposit_chain: 'base', deposit_address: '0x00000000000000000000000000000000000ba5e0', markets: { 'AERO/USDC': {} } },
    },
    execution: { mode: 'live', signer: rolesSigner },
    ...overrides,
  })
}

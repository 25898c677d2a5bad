import { type Address, type Hex, parseEther } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { type EvmChain, createEvmChains } from '../src/adapters/evm/createEvmChains.js'
import { type EvmTransactor, createEvmTransactor } from '../src/adapters/evm/createEvmTransactor.js'
import { type LocalDeployer, createLocalDeployer } from '../src/adapters/localchain/createLocalDeployer.js'
import { DEMO_TOKENS, type DemoEnvironment, type DemoTokenSymbol, deployDemoEnvironment } from '../src/adapters/localchain/deployDemoEnvironment.js'
import { type LocalChain, startLocalChain } from '../src/adapters/localchain/startLocalChain.js'
import { type Currency, Fraction, createCurrency } from '../src/domain/money/index.js'

/** A local node with the demo's contracts, a strategy wallet that can sign, and the chain's reader. */
export type DemoChain = {
  chain: LocalChain
  deployer: LocalDeployer
  environment: DemoEnvironment
  /** The demo's tokens on chain `local`, plus its native ETH. */
  currencies: Record<DemoTokenSymbol | 'ETH', Currency>
  /** The strategy's wallet (the node's second account). */
  wallet: Address
  walletKey: Hex
  evm: EvmChain
  transactor: EvmTransactor
  /** Another funded account, to move pools in tests. */
  other: LocalDeployer
  stop(): Promise<void>
}

/** Round prices the chain tests use, so that expected values can be worked out by hand. */
export const TEST_PRICES = { ethUsdt: Fraction.fromDecimalString('4000'), eigenWeth: Fraction.fromDecimalString('0.0005'), ethfiWeth: Fraction.fromDecimalString('0.0004') }

/** Starts a node and deploys the demo's world: V2 and V3 pools, the wallet's tokens and its EIGEN and ETHFI claims. */
export async function startDemoChain(): Promise<DemoChain> {
  const chain = await startLocalChain()
  try {
    const deployer = createLocalDeployer({ rpcUrl: chain.rpcUrl, chainId: chain.chainId, privateKey: chain.accounts[0] as Hex })
    const walletKey = chain.accounts[1] as Hex
    const wallet = privateKeyToAccount(walletKey).address
    const other = createLocalDeployer({ rpcUrl: chain.rpcUrl, chainId: chain.chainId, privateKey: chain.accounts[2] as Hex })
    const environment = await deployDemoEnvironment({
      deployer,
      prices: TEST_PRICES,
      v2Pools: [
        { tokens: ['EIGEN', 'WETH'], depthWeth: parseEther('50') },
        { tokens: ['WETH', 'USDT'], depthWeth: parseEther('200') },
      ],
      v3Pools: [
        { tokens: ['WETH', 'USDT'], depthWeth: parseEther('500'), fee: 500, rangeFactor: new Fraction(5n, 4n) },
        { tokens: ['EIGEN', 'WETH'], depthWeth: parseEther('100'), fee: 3000, rangeFactor: new Fraction(5n, 4n) },
        { tokens: ['ETHFI', 'WETH'], depthWeth: parseEther('50'), fee: 3000, rangeFactor: new Fraction(5n, 4n) },
      ],
      balances: [
        { account: wallet, token: 'weETH', amount: parseEther('900') },
        { account: wallet, token: 'EIGEN', amount: parseEther('2000') },
        { account: other.address, token: 'EIGEN', amount: parseEther('1000000') },
      ],
      distributions: {
        EIGEN: [
          { account: wallet, amount: parseEther('3000') },
          { account: other.address, amount: parseEther('10') },
        ],
        ETHFI: [{ account: wallet, amount: parseEther('1068') }],
      },
    })
    const currencies = Object.fromEntries(
      Object.entries(DEMO_TOKENS).map(([symbol, decimals]) => [symbol, createCurrency({ symbol, decimals, chain: 'local', address: environment.tokens[symbol as DemoTokenSymbol] })]),
    ) as Record<DemoTokenSymbol | 'ETH', Currency>
    currencies.ETH = createCurrency({ symbol: 'ETH', decimals: 18, chain: 'local' })
    const evm = createEvmChains().get('local', { rpc_url: chain.rpcUrl, chain_id: chain.chainId, multicall_address: environment.multicall })
    const transactor = createEvmTransactor({ chain: evm, account: privateKeyToAccount(walletKey), native: currencies.ETH })
    return { chain, deployer, environment, currencies, wallet, walletKey, evm, transactor, other, stop: () => chain.stop() }
  } catch (error) {
    await chain.stop()
    throw error
  }
}

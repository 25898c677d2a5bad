import { type Address, erc20Abi, getAddress, parseEther, parseUnits } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Fraction } from '../../domain/money/index.js'
import { type LocalDeployer, createLocalDeployer } from './createLocalDeployer.js'
import { type DemoEnvironment, deployDemoEnvironment } from './deployDemoEnvironment.js'
import { type LocalChain, startLocalChain } from './startLocalChain.js'
import { quoterV2Abi, v2RouterAbi, v3PoolAbi } from '../uniswap/uniswapAbis.js'
import { encodeV3Path, ratioFromSqrtPriceX96 } from '../uniswap/v3Math.js'

describe('the demo chain', () => {
  let chain: LocalChain
  let deployer: LocalDeployer
  let environment: DemoEnvironment
  const wallet = getAddress('0x00000000000000000000000000000000000a11ce')
  const prices = { ethUsdt: Fraction.fromDecimalString('4000'), eigenWeth: Fraction.fromDecimalString('0.0005'), ethfiWeth: Fraction.fromDecimalString('0.0004') }

  beforeAll(async () => {
    chain = await startLocalChain()
    deployer = createLocalDeployer({ rpcUrl: chain.rpcUrl, chainId: chain.chainId, privateKey: chain.accounts[0] as `0x${string}` })
    environment = await deployDemoEnvironment({
      deployer,
      prices,
      v2Pools: [{ tokens: ['EIGEN', 'WETH'], depthWeth: parseEther('10') }],
      v3Pools: [
        { tokens: ['WETH', 'USDT'], depthWeth: parseEther('100'), fee: 500, rangeFactor: new Fraction(5n, 4n) },
        { tokens: ['EIGEN', 'WETH'], depthWeth: parseEther('20'), fee: 3000 },
      ],
      balances: [{ account: wallet, token: 'weETH', amount: parseEther('900') }],
      distributions: {
        EIGEN: [
          { account: wallet, amount: parseEther('1000') },
          { account: deployer.address, amount: 5n },
        ],
      },
    })
  }, 120_000)

  afterAll(async () => {
    await chain?.stop()
  })

  it('has USDT with 6 decimals and the wallet funded', async () => {
    expect(await deployer.client.readContract({ address: environment.tokens.USDT, abi: erc20Abi, functionName: 'decimals' })).toBe(6)
    expect(await deployer.client.readContract({ address: environment.tokens.weETH, abi: erc20Abi, functionName: 'balanceOf', args: [wallet] })).toBe(parseEther('900'))
  })

  it('seeds the V2 pair at the given price', async () => {
    const pair = environment.uniswapV2.pairs[0]?.address as Address
    const eigen = await deployer.client.readContract({ address: environment.tokens.EIGEN, abi: erc20Abi, functionName: 'balanceOf', args: [pair] })
    const weth = await deployer.client.readContract({ address: environment.tokens.WETH, abi: erc20Abi, functionName: 'balanceOf', args: [pair] })
    expect(weth).toBe(parseEther('10'))
    expect(eigen).toBe(parseEther('20000'))
    // The router prices through the pair: its init-code hash matches the v2-core bytecode.
    const [, out] = await deployer.client.readContract({
      address: environment.uniswapV2.router,
      abi: v2RouterAbi,
      functionName: 'getAmountsOut',
      args: [parseEther('100'), [environment.tokens.EIGEN, environment.tokens.WETH]],
    })
    expect(out).toBe((parseEther('100') * 997n * parseEther('10')) / (parseEther('20000') * 1000n + parseEther('100') * 997n))
  })

  it('initializes each V3 pool at the given price', async () => {
    const pool = environment.uniswapV3.pools.find((candidate) => candidate.fee === 500)
    const [sqrtPriceX96] = await deployer.client.readContract({ address: pool?.address as Address, abi: v3PoolAbi, functionName: 'slot0' })
    const ratio = ratioFromSqrtPriceX96(sqrtPriceX96)
    const usdtFirst = BigInt(environment.tokens.USDT) < BigInt(environment.tokens.WETH)
    // USDT base units per WETH base unit, whichever token is token0.
    const usdtPerWeth = usdtFirst ? ratio.invert() : ratio
    expect(usdtPerWeth.multiply(10n ** 18n).toDecimalString(4)).toBe('4000000000')
    // The quoter runs the swap and reverts with its result: simulated, never sent.
    const { result } = await deployer.client.simulateContract({
      address: environment.uniswapV3.quoterV2,
      abi: quoterV2Abi,
      functionName: 'quoteExactInput',
      args: [encodeV3Path([environment.tokens.WETH, environment.tokens.USDT], [500]), parseEther('1')],
    })
    const [out] = result
    // 4,000 less the 0.05 % fee is 3,998; a 1 WETH sale into 100 WETH of depth concentrated
    // within ±25 % moves the price about 0.1 %.
    expect(out < parseUnits('3998', 6) && out > parseUnits('3993', 6)).toBe(true)
  })

  it('funds each distributor with exactly its claims', async () => {
    const distributor = environment.distributors.EIGEN
    if (!distributor) throw new Error('No EIGEN distributor was deployed.')
    expect(await deployer.client.readContract({ address: environment.tokens.EIGEN, abi: erc20Abi, functionName: 'balanceOf', args: [distributor.address] })).toBe(parseEther('1000') + 5n)
    expect(distributor.claims.claims[wallet]?.amount).toBe(`0x${parseEther('1000').toString(16)}`)
  })

  it('refuses a pool of weETH, which it has no price for, and a V3 fee tier that does not exist', async () => {
    const none = { balances: [], distributions: {} }
    await expect(deployDemoEnvironment({ deployer, prices, v2Pools: [{ tokens: ['weETH', 'WETH'], depthWeth: parseEther('1') }], v3Pools: [], ...none })).rejects.toThrow(
      'The demo seeds no weETH pool.',
    )
    await expect(deployDemoEnvironment({ deployer, prices, v2Pools: [], v3Pools: [{ tokens: ['EIGEN', 'WETH'], depthWeth: parseEther('1'), fee: 2500 }], ...none })).rejects.toThrow(
      'Uniswap V3 has no fee tier 2500.',
    )
  })

  it('wraps ether into a WETH balance, and puts a V3 pool given no fee in the 0.3% tier', async () => {
    const second = await deployDemoEnvironment({
      deployer,
      prices,
      v2Pools: [],
      v3Pools: [{ tokens: ['ETHFI', 'WETH'], depthWeth: parseEther('2') }],
      balances: [{ account: wallet, token: 'WETH', amount: parseEther('3') }],
      distributions: {},
    })
    expect(await deployer.client.readContract({ address: second.tokens.WETH, abi: erc20Abi, functionName: 'balanceOf', args: [wallet] })).toBe(parseEther('3'))
    expect(second.uniswapV3.pools.map((pool) => [pool.tokens.join('/'), pool.fee])).toEqual([['ETHFI/WETH', 3000]])
    expect(second.distributors).toEqual({})
  })
})

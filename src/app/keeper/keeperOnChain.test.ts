import { type Abi, type Address, type Hex, createWalletClient, encodeFunctionData, erc20Abi, http, maxUint256, parseEther } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createMemoryEventStore } from '../../../test/createMemoryEventStore.js'
import { createRecordingLogger } from '../../../test/fakePorts.js'
import { createEvmChains } from '../../adapters/evm/createEvmChains.js'
import { type EvmTransactor, createEvmTransactor } from '../../adapters/evm/createEvmTransactor.js'
import { defaultDataDir, readLastCloses } from '../../adapters/history/readLastCloses.js'
import { merkleDistributorAbi } from '../../adapters/merkle/createMerkleRewardsSource.js'
import { type LocalChain, startLocalChain } from '../../adapters/localchain/startLocalChain.js'
import { createSystemClock } from '../../adapters/system/createSystemClock.js'
import { swapRouterAbi, v2RouterAbi } from '../../adapters/uniswap/uniswapAbis.js'
import { encodeV3Path } from '../../adapters/uniswap/v3Math.js'
import { rolesExecutionOf } from '../../adapters/zodiac/roleKeyOf.js'
import { rolesModifierAbi } from '../../adapters/zodiac/zodiacAbis.js'
import { createCurrency } from '../../domain/money/index.js'
import { createDustManager } from '../../engine/createDustManager.js'
import { createDemoStrategy } from '../createDemoStrategy.js'
import { createDemoWorld } from '../createDemoWorld.js'
import { DEMO_ROLE, type DemoWorld } from '../DemoWorld.js'

/** The hash of a sent transaction, also when the node answers that it reverted (Hardhat mines it and names it in the error's data). */
async function sentHash(send: () => Promise<Hex>): Promise<Hex> {
  try {
    return await send()
  } catch (error) {
    let cause: unknown = error
    for (let depth = 0; depth < 8 && typeof cause === 'object' && cause !== null; depth += 1) {
      const data: unknown = Reflect.get(cause, 'data')
      const hash: unknown = typeof data === 'object' && data !== null ? Reflect.get(data, 'txHash') : undefined
      if (typeof hash === 'string' && hash.startsWith('0x')) return hash as Hex
      cause = Reflect.get(cause, 'cause')
    }
    throw error
  }
}

// The demo world with its funds in a Safe, and the bot key a keeper of the role the demo's configuration needs.
describe('a conversion through a Safe and a Zodiac Roles keeper role, on the local node', () => {
  let chain: LocalChain
  let world: DemoWorld
  let keeper: EvmTransactor
  let safe: Address
  let roles: Address
  const token = (symbol: 'EIGEN' | 'ETHFI' | 'USDT' | 'WETH' | 'weETH') => world.environment.tokens[symbol] as Address
  const balanceOf = (symbol: 'EIGEN' | 'ETHFI' | 'USDT' | 'WETH' | 'weETH', account: Address) =>
    keeper.chain.client.readContract({ address: token(symbol), abi: erc20Abi, functionName: 'balanceOf', args: [account] })

  beforeAll(async () => {
    chain = await startLocalChain()
    world = await createDemoWorld({ chain, closes: await readLastCloses(defaultDataDir({})), keeper: true })
    if (!world.keeper) throw new Error('test setup: the world has no keeper')
    safe = world.keeper.safe
    roles = world.keeper.roles
    const evm = createEvmChains().get('local', { rpc_url: chain.rpcUrl, chain_id: chain.chainId, multicall_address: world.environment.multicall })
    keeper = createEvmTransactor({
      chain: evm,
      account: privateKeyToAccount(world.walletKey),
      native: createCurrency({ symbol: 'ETH', decimals: 18, chain: 'local' }),
      via: rolesExecutionOf({ safe, roles_modifier: roles, role: DEMO_ROLE }),
    })
  }, 180_000)

  afterAll(async () => {
    await chain?.stop()
  })

  it('holds the funds in the Safe, and the role the configuration needs applied by one Safe transaction', async () => {
    expect(world.wallet).toBe(safe)
    expect(world.keeper?.keeper).toBe(privateKeyToAccount(world.walletKey).address)
    expect(await balanceOf('weETH', safe)).toBeGreaterThan(parseEther('900'))
    expect(await balanceOf('weETH', world.keeper?.keeper as Address)).toBe(0n)
    // Two claims, approve and transfer for EIGEN and ETHFI, and a V3 and a V2 swap.
    expect(world.keeper?.applied?.functions).toBe(8)
    expect((await keeper.chain.client.getTransactionReceipt({ hash: world.keeper?.applied?.hash as Hex })).status).toBe('success')
  })

  it('claims, approves and swaps into the Safe, and deposits to the exchange, each step through the role', async () => {
    const clock = createSystemClock()
    const strategy = await createDemoStrategy({ world, clock })
    const store = createMemoryEventStore()
    const manager = createDustManager({ strategies: [strategy], clock, logger: createRecordingLogger(), execute: true, store })
    const usdtBefore = await balanceOf('USDT', safe)
    const start = await keeper.chain.client.getBlockNumber()
    const [result] = await manager.runOnce()
    if (!result?.ok) throw result?.error ?? new Error('no result')
    const outcomes = result.outcomes.map(({ instruction, outcome }) => [instruction.token, instruction.chosen.venue, outcome.status, outcome.status === 'failed' ? outcome.detail : ''])
    // EIGEN is sold on the exchange (claimed, then deposited), ETHFI on Uniswap (claimed, approved, swapped).
    expect(outcomes).toEqual([
      ['EIGEN', 'binance', 'converted', ''],
      ['ETHFI', 'uniswap', 'converted', ''],
    ])
    const steps = store.events.flatMap(({ event }) => (event.event_type === 'dust_converted' ? [[event.token, event.steps.map((step) => step.kind)]] : []))
    expect(steps).toEqual([
      ['EIGEN', ['claim', 'transfer', 'market_sell']],
      ['ETHFI', ['claim', 'approve', 'swap']],
    ])
    expect(await balanceOf('EIGEN', world.depositAddress)).toBeGreaterThan(0n)
    // The plan charged each step the modifier's gas: it never promised less gas than the role's steps spent.
    for (const { instruction } of result.outcomes) {
      const spent = store.events
        .flatMap(({ event }) => (event.event_type === 'dust_converted' && event.token === instruction.token ? event.steps : []))
        .reduce((sum, step) => sum + BigInt(step.gas_used ?? 0), 0n)
      expect({ token: instruction.token, covered: instruction.chosen.gasUnits >= spent && spent > 0n }).toEqual({ token: instruction.token, covered: true })
    }
    // Nothing claimable is left, the Safe holds no EIGEN or ETHFI, and the swaps paid the Safe.
    expect([await balanceOf('EIGEN', safe), await balanceOf('ETHFI', safe)]).toEqual([0n, 0n])
    expect(await balanceOf('USDT', safe)).toBeGreaterThan(usdtBefore)
    // The keeper sent every transaction, each to the Roles modifier; it holds none of the tokens.
    const latest = await keeper.chain.client.getBlockNumber()
    for (let block = start + 1n; block <= latest; block += 1n) {
      const { transactions } = await keeper.chain.client.getBlock({ blockNumber: block, includeTransactions: true })
      for (const transaction of transactions) expect([transaction.from, transaction.to]).toEqual([world.keeper?.keeper.toLowerCase(), roles.toLowerCase()])
    }
    for (const symbol of ['EIGEN', 'ETHFI', 'USDT', 'WETH', 'weETH'] as const) expect(await balanceOf(symbol, world.keeper?.keeper as Address)).toBe(0n)
  })

  it('refuses every attempt of the keeper key to move funds elsewhere, before sending and on chain', async () => {
    const self = world.keeper?.keeper as Address
    const router = world.environment.uniswapV3.swapRouter
    const deadline = 2n ** 40n
    const attempts: Array<{ what: string; call: { address: Address; abi: Abi; functionName: string; args: readonly unknown[] }; status: string }> = [
      { what: 'weETH to itself', call: { address: token('weETH'), abi: erc20Abi, functionName: 'transfer', args: [self, parseEther('1')] }, status: 'TargetAddressNotAllowed' },
      { what: 'the share class to itself', call: { address: token('USDT'), abi: erc20Abi, functionName: 'transfer', args: [self, 1n] }, status: 'TargetAddressNotAllowed' },
      { what: 'EIGEN to itself', call: { address: token('EIGEN'), abi: erc20Abi, functionName: 'transfer', args: [self, 1n] }, status: 'ParameterNotAllowed' },
      { what: 'an unknown spender', call: { address: token('EIGEN'), abi: erc20Abi, functionName: 'approve', args: [self, maxUint256] }, status: 'OrViolation' },
      {
        what: 'a V3 swap paying another recipient',
        call: {
          address: router,
          abi: swapRouterAbi,
          functionName: 'exactInput',
          args: [{ path: encodeV3Path([token('EIGEN'), token('WETH'), token('USDT')], [3000, 500]), recipient: self, deadline, amountIn: 1n, amountOutMinimum: 0n }],
        },
        status: 'ParameterNotAllowed',
      },
      {
        what: 'a V3 swap into another token than the share class',
        call: {
          address: router,
          abi: swapRouterAbi,
          functionName: 'exactInput',
          args: [{ path: encodeV3Path([token('EIGEN'), token('WETH')], [3000]), recipient: safe, deadline, amountIn: 1n, amountOutMinimum: 0n }],
        },
        status: 'OrViolation',
      },
      {
        what: 'a V2 swap paying another recipient',
        call: {
          address: world.environment.uniswapV2.router,
          abi: v2RouterAbi,
          functionName: 'swapExactTokensForTokens',
          args: [1n, 0n, [token('EIGEN'), token('WETH'), token('USDT')], self, deadline],
        },
        status: 'ParameterNotAllowed',
      },
      {
        what: "a claim of another account's rewards",
        call: { address: world.environment.distributors.EIGEN?.address as Address, abi: merkleDistributorAbi, functionName: 'claim', args: [0n, self, 1n, []] },
        status: 'ParameterNotAllowed',
      },
    ]
    const wallet = createWalletClient({ account: privateKeyToAccount(world.walletKey), chain: keeper.chain.client.chain, transport: http(chain.rpcUrl) })
    for (const { what, call, status } of attempts) {
      const result = await keeper.send(call)
      expect({ what, ok: result.ok, reason: result.ok ? undefined : result.reason }).toEqual({ what, ok: false, reason: 'permission_refused' })
      expect({ what, detail: result.ok ? '' : result.detail }).toEqual({ what, detail: expect.stringContaining(`(ConditionViolation ${status}). Nothing was sent.`) })
      // Sent anyway, past the simulation: the modifier reverts it on chain (Hardhat mines it, then answers with the revert and its hash).
      const hash = await sentHash(() =>
        wallet.sendTransaction({
          to: roles,
          data: encodeFunctionData({
            abi: rolesModifierAbi,
            functionName: 'execTransactionWithRole',
            args: [
              call.address,
              0n,
              encodeFunctionData({ abi: call.abi, functionName: call.functionName, args: call.args }),
              0,
              rolesExecutionOf({ safe, roles_modifier: roles, role: DEMO_ROLE }).roleKey,
              true,
            ],
          }),
          gas: 1_000_000n,
          chain: null,
        }),
      )
      expect({ what, status: (await keeper.chain.client.waitForTransactionReceipt({ hash })).status }).toEqual({ what, status: 'reverted' })
    }
    expect(await balanceOf('weETH', self)).toBe(0n)
  })
})

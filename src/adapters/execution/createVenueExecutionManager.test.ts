import { describe, expect, it } from 'vitest'
import { Amount, createCurrency } from '../../domain/money/index.js'
import type { SellExecutor, StepLookup } from '../../ports/index.js'
import type { EvmTransactionQuery } from '../evm/createEvmTransactor.js'
import { createVenueExecutionManager } from './createVenueExecutionManager.js'

const EIGEN = createCurrency({ symbol: 'EIGEN', decimals: 18, chain: 'local', address: '0x00000000000000000000000000000000000000e1' })
const WETH = createCurrency({ symbol: 'WETH', decimals: 18, chain: 'local', address: '0x00000000000000000000000000000000000000e2' })
const USDT = createCurrency({ symbol: 'USDT', decimals: 6, chain: 'local', address: '0x00000000000000000000000000000000000000e3' })
const registry = new Map([EIGEN, WETH, USDT].map((currency) => [currency.symbol, currency]))
const HASH = `0x${'12'.repeat(32)}`

function setup(answer: StepLookup | Error, seller?: SellExecutor) {
  const asked: EvmTransactionQuery[] = []
  const manager = createVenueExecutionManager({
    claimers: new Map(),
    swappers: new Map(),
    sellers: new Map(seller ? [['binance', seller]] : []),
    transferers: new Map(),
    registry,
    transactionLookups: new Map([
      [
        'local',
        async (query: EvmTransactionQuery) => {
          asked.push(query)
          if (answer instanceof Error) throw answer
          return answer
        },
      ],
    ]),
  })
  return { manager, asked }
}

describe('createVenueExecutionManager: lookups after a restart', () => {
  it('asks the chain of an on-chain step with the tokens of a swap, and gives a revert the reason the live path gives', async () => {
    const { manager, asked } = setup({ status: 'failed', reason: 'reverted', detail: 'reverted in block 9.' })
    const signed = { from: '0x00000000000000000000000000000000000000a1' as const, nonce: 3, block: 8n }
    expect(await manager.lookup?.({ kind: 'swap', venue: 'uniswap', chain: 'local', reference: HASH, path: ['EIGEN', 'WETH', 'USDT'], signed })).toEqual({
      status: 'failed',
      reason: 'swap_reverted',
      detail: 'reverted in block 9.',
    })
    expect(asked).toEqual([{ hash: HASH, kind: 'swap', venue: 'uniswap', signed, tokenIn: EIGEN, tokenOut: USDT }])
    expect(await manager.lookup?.({ kind: 'claim', venue: 'etherfi', chain: 'local', reference: HASH })).toMatchObject({ reason: 'claim_reverted' })
    expect(await manager.lookup?.({ kind: 'approve', venue: 'uniswap', chain: 'local', reference: HASH })).toMatchObject({ reason: 'approval_reverted' })
    expect(asked.at(-1)).toEqual({ hash: HASH, kind: 'approve', venue: 'uniswap', signed: undefined, tokenIn: undefined, tokenOut: undefined })
  })

  it('answers lookup_failed when it has nothing to ask, or the asking throws, without the URLs in the error', async () => {
    const { manager } = setup(new Error('request to https://user:pw@rpc.example/v3/SECRETKEY failed'))
    expect(await manager.lookup?.({ kind: 'swap', venue: 'uniswap', chain: 'local', reference: HASH })).toEqual({ status: 'lookup_failed', error: 'request to https://rpc.example failed' })
    expect(await manager.lookup?.({ kind: 'swap', venue: 'uniswap', chain: 'mainnet', reference: HASH })).toEqual({
      status: 'lookup_failed',
      error: `This configuration has no signer on mainnet to ask about ${HASH}.`,
    })
    expect(await manager.lookup?.({ kind: 'market_sell', venue: 'binance', reference: 'dust-abc-0', path: ['EIGEN', 'USDT'] })).toEqual({
      status: 'lookup_failed',
      error: 'This configuration has no binance seller to ask about order dust-abc-0.',
    })
  })

  it('asks the seller of a sale by client order id along its path, and knows a paper sale did not outlive its process', async () => {
    const asked: string[] = []
    const seller: SellExecutor = {
      sell: async () => ({ ok: false, reason: 'venue_error', detail: 'unused', retryable: false }),
      async lookup(clientOrderId, path) {
        asked.push(`${clientOrderId} ${path.map((currency) => currency.symbol).join('>')}`)
        return { status: 'confirmed', amountIn: Amount.parse(EIGEN, '10'), amountOut: Amount.parse(USDT, '12.5') }
      },
    }
    const { manager } = setup({ status: 'pending', detail: 'unused' }, seller)
    expect(await manager.lookup?.({ kind: 'market_sell', venue: 'binance', reference: 'dust-abc-0', path: ['EIGEN', 'USDT'] })).toMatchObject({ status: 'confirmed' })
    expect(asked).toEqual(['dust-abc-0 EIGEN>USDT'])
    expect(await manager.lookup?.({ kind: 'market_sell', venue: 'binance', reference: 'paper:dust-abc-0', path: ['EIGEN', 'USDT'] })).toMatchObject({ status: 'not_found' })
    expect(asked).toHaveLength(1)
  })
})

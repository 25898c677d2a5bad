import { describe, expect, it } from 'vitest'
import { EIGEN, ETH, ETHFI, FIXED_TIME, ONCHAIN, USDT, amount, holding } from '../../test/fixtureMoney.js'
import type { DustSnapshot } from './dust/index.js'
import { dustChecked, dustConversionFailed, dustConverted, dustDetected } from './events.js'
import { dustEventSchema, instructionJsonSchema } from './events/eventSchemas.js'
import { Fraction } from './money/index.js'
import { type ConversionPlan, type DustConversionInstruction, type RouteCandidate, serializeInstruction } from './planning/ConversionPlan.js'

const snapshot: DustSnapshot = {
  timestamp: FIXED_TIME,
  strategyMode: 'usdt_test',
  shareClass: 'USDT',
  totalDustValue: amount(USDT, '2660'),
  dustTokens: [
    { token: 'EIGEN', amount: amount(EIGEN, '1520'), value: amount(USDT, '1900'), venue: 'wallet', source: 'wallet_balance' },
    { token: 'ETHFI', amount: amount(ETHFI, '800'), value: amount(USDT, '760'), venue: 'wallet', source: 'wallet_balance' },
  ],
  unpricedTokens: [],
  equity: amount(USDT, '1000000'),
  dustRatio: new Fraction(266n, 100_000n),
  dustDelta: new Fraction(2n, 1000n),
  exceedsThreshold: true,
}

const chosen: RouteCandidate = {
  venue: 'binance',
  path: ['EIGEN', 'USDT'],
  amountIn: amount(EIGEN, '1520'),
  residual: amount(EIGEN, '0'),
  leftovers: [],
  estimatedOutput: amount(USDT, '1895.54256'),
  tradingFees: amount(USDT, '1.89744'),
  priceImpact: amount(USDT, '2.56'),
  gasUnits: 65_000n,
  gasCost: amount(USDT, '0.40625'),
  estimatedFees: amount(USDT, '2.30369'),
  netOutput: amount(USDT, '1895.13631'),
  minOutput: amount(USDT, '1886.064848'),
  steps: [
    { kind: 'transfer', to: 'binance', amount: amount(EIGEN, '1520') },
    { kind: 'market_sell', venue: 'binance', path: ['EIGEN', 'USDT'], amountIn: amount(EIGEN, '1520'), minOutput: amount(USDT, '1886.064848') },
  ],
}

const instruction: DustConversionInstruction = {
  conversionId: `usdt_test:EIGEN:onchain:ethereum:${FIXED_TIME}`,
  strategyMode: 'usdt_test',
  token: 'EIGEN',
  amount: amount(EIGEN, '1520'),
  targetCurrency: 'USDT',
  venue: 'binance',
  conversionPath: ['EIGEN', 'USDT'],
  estimatedOutput: chosen.estimatedOutput,
  estimatedFees: chosen.estimatedFees,
  minOutput: chosen.minOutput,
  netOutput: chosen.netOutput,
  custody: ONCHAIN,
  sources: [holding(EIGEN, '1520', 'wallet', 'wallet_balance')],
  chosen,
  reason: 'Preferred route binance EIGEN→USDT nets 1895.13631 USDT; no route nets more.',
  alternatives: [],
}

const plan: ConversionPlan = {
  snapshot,
  instructions: [instruction],
  skipped: [{ token: 'ETHFI', custody: ONCHAIN, amount: amount(ETHFI, '800'), reason: 'disabled', detail: 'ETHFI has convert: false in dust_tokens.' }],
}

describe('events', () => {
  it('dustChecked carries the serialized snapshot', () => {
    const event = dustChecked(snapshot)
    expect(event.event_type).toBe('dust_checked')
    expect(event.strategy_mode).toBe('usdt_test')
    expect(event.timestamp).toBe(FIXED_TIME)
    expect(event.snapshot).toMatchObject({ total_dust_value: '2660', dust_ratio: '0.00266', exceeds_threshold: true, share_class: 'USDT' })
  })

  it("dustDetected carries the seed's DustEvent fields, the instructions and the skips", () => {
    const event = dustDetected(plan)
    expect(event.event_type).toBe('dust_detected')
    expect(event.strategy_mode).toBe('usdt_test')
    expect(event.timestamp).toBe(FIXED_TIME)
    expect(event.total_value).toBe('2660')
    expect(event.share_class).toBe('USDT')
    expect(event.dust_tokens).toEqual([
      { token: 'EIGEN', amount: '1520', value: '1900', venue: 'wallet', source: 'wallet_balance' },
      { token: 'ETHFI', amount: '800', value: '760', venue: 'wallet', source: 'wallet_balance' },
    ])
    expect(event.snapshot.dust_ratio).toBe('0.00266')
    expect(event.conversion_instructions).toHaveLength(1)
    expect(event.conversion_instructions[0]).toMatchObject({
      token: 'EIGEN',
      amount: '1520',
      target_currency: 'USDT',
      venue: 'binance',
      conversion_path: ['EIGEN', 'USDT'],
      estimated_output: '1895.54256',
      estimated_fees: '2.30369',
      min_output: '1886.064848',
      net_output: '1895.13631',
      conversion_id: `usdt_test:EIGEN:onchain:ethereum:${FIXED_TIME}`,
      custody: { kind: 'onchain', chain: 'ethereum' },
      sources: [{ venue: 'wallet', source: 'wallet_balance', amount: '1520' }],
      residual: '0',
      leftovers: [],
      costs: { trading_fees: '1.89744', price_impact: '2.56', gas_units: '65000', gas_cost: '0.40625' },
      steps: [
        { kind: 'transfer', to: 'binance', token: 'EIGEN', amount: '1520' },
        { kind: 'market_sell', venue: 'binance', path: ['EIGEN', 'USDT'], amount_in: '1520', min_output: '1886.064848' },
      ],
      alternatives: [],
    })
    expect(event.skipped).toEqual([{ token: 'ETHFI', custody: { kind: 'onchain', chain: 'ethereum' }, amount: '800', reason: 'disabled', detail: 'ETHFI has convert: false in dust_tokens.' }])
    expect(JSON.parse(JSON.stringify(event))).toEqual(event)
  })

  it('dustConverted records what was sold and received, and the instruction', () => {
    const event = dustConverted(instruction, { amount: '1520', output: '1895.54256', fees: '2.30369' }, FIXED_TIME + 1_000)
    expect(event).toMatchObject({
      event_type: 'dust_converted',
      strategy_mode: 'usdt_test',
      timestamp: FIXED_TIME + 1_000,
      conversion_id: `usdt_test:EIGEN:onchain:ethereum:${FIXED_TIME}`,
      token: 'EIGEN',
      venue: 'binance',
      amount: '1520',
      output: '1895.54256',
      fees: '2.30369',
      target_currency: 'USDT',
    })
    expect(event.instruction).toMatchObject({ token: 'EIGEN', min_output: '1886.064848' })
  })

  it('dustConversionFailed records the reason, whether to retry, and the amount still held', () => {
    const event = dustConversionFailed(instruction, { reason: 'slippage', detail: 'under the floor', retryable: false }, FIXED_TIME + 2_000)
    expect(event).toEqual({
      event_type: 'dust_conversion_failed',
      strategy_mode: 'usdt_test',
      timestamp: FIXED_TIME + 2_000,
      conversion_id: `usdt_test:EIGEN:onchain:ethereum:${FIXED_TIME}`,
      token: 'EIGEN',
      venue: 'binance',
      amount: '1520',
      reason: 'slippage',
      detail: 'under the floor',
      retryable: false,
      steps: [],
    })
  })

  it("builds the same outcome events from the log's record of an instruction as from the instruction (recovery after a restart)", () => {
    const serialized = serializeInstruction(instruction)
    const recorded = {
      strategyMode: 'usdt_test',
      conversionId: `usdt_test:EIGEN:onchain:ethereum:${FIXED_TIME}`,
      token: 'EIGEN',
      venue: 'binance',
      targetCurrency: 'USDT',
      amount: '1520',
      instruction: instructionJsonSchema.parse(JSON.parse(JSON.stringify(serialized))),
    }
    const result = { amount: '1520', output: '1895.54256', fees: '2.30369' }
    expect(dustConverted(recorded, result, FIXED_TIME)).toEqual(dustConverted(instruction, result, FIXED_TIME))
    const failure = { reason: 'interrupted', detail: 'nothing was in flight', retryable: true } as const
    expect(dustConversionFailed(recorded, failure, FIXED_TIME)).toEqual(dustConversionFailed(instruction, failure, FIXED_TIME))
    // What arrived may be unknown to a restart: it is said, never made up.
    expect(dustConverted(recorded, { ...result, output: null }, FIXED_TIME).output).toBeNull()
  })

  it('records the steps carried out, with their transaction or order and the gas they used', () => {
    const claim = { kind: 'claim', venue: 'etherfi', reference: `0x${'ab'.repeat(32)}`, gasUsed: 63_512n, gasCost: amount(ETH, '0.000063512') } as const
    const failed = dustConversionFailed(instruction, { reason: 'swap_reverted', detail: 'reverted', retryable: false, steps: [claim] }, FIXED_TIME)
    expect(failed.steps).toEqual([{ kind: 'claim', venue: 'etherfi', reference: `0x${'ab'.repeat(32)}`, gas_used: '63512', gas_cost: '0.000063512' }])
    const converted = dustConverted(instruction, { amount: '1520', output: '1895', fees: '2', steps: [claim, { kind: 'market_sell', venue: 'binance', reference: '28457' }] }, FIXED_TIME)
    expect(converted.steps.map((step) => [step.kind, step.reference, step.gas_used])).toEqual([
      ['claim', `0x${'ab'.repeat(32)}`, '63512'],
      ['market_sell', '28457', undefined],
    ])
  })

  it("records an on-chain step's block, and where a swap meant for a private endpoint went, as checked fields of the event", () => {
    const swap = { kind: 'swap', venue: 'uniswap', reference: `0x${'5e'.repeat(32)}`, block: 21_000_123n, gasUsed: 151_002n, broadcast: 'private' } as const
    const fallback = { ...swap, block: 21_000_124n, broadcast: 'public_fallback' } as const
    const converted = dustConverted(instruction, { amount: '1520', output: '1895', fees: '2', steps: [swap, fallback, { kind: 'market_sell', venue: 'binance', reference: '28457' }] }, FIXED_TIME)
    expect(converted.steps).toEqual([
      { kind: 'swap', venue: 'uniswap', reference: `0x${'5e'.repeat(32)}`, gas_used: '151002', block: '21000123', broadcast: 'private' },
      { kind: 'swap', venue: 'uniswap', reference: `0x${'5e'.repeat(32)}`, gas_used: '151002', block: '21000124', broadcast: 'public_fallback' },
      { kind: 'market_sell', venue: 'binance', reference: '28457' },
    ])
    expect(dustEventSchema.parse(converted)).toEqual(converted)
    // A block is digits only: a number or a negative is refused.
    expect(dustEventSchema.safeParse({ ...converted, steps: [{ ...converted.steps[0], block: '-1' }] }).success).toBe(false)
    expect(dustEventSchema.safeParse({ ...converted, steps: [{ ...converted.steps[0], block: 5 }] }).success).toBe(false)
  })
})

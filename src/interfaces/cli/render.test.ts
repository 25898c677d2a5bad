import { describe, expect, it } from 'vitest'
import { FIXTURE_CONFIG_YAML, fixtureConfigWith } from '../../../test/fixtureConfig.js'
import { EIGEN, FIXED_TIME, USDT, amount } from '../../../test/fixtureMoney.js'
import { fixturePlan } from '../../../test/fixtureStrategy.js'
import { dustChecked, dustConversionFailed, dustConverted, dustDetected } from '../../domain/events.js'
import { Amount, Fraction, createCurrency } from '../../domain/money/index.js'
import type { DustConversionInstruction } from '../../domain/planning/ConversionPlan.js'
import { renderEvent, renderOutcomes, renderPlan, renderSnapshot, showAmount, showRatio } from './render.js'

const ISO = '2025-01-01T00:00:00.000Z'

async function firstInstruction(): Promise<DustConversionInstruction> {
  const plan = await fixturePlan()
  const instruction = plan.instructions[0]
  if (!instruction) throw new Error('test setup: the fixture plans no conversion')
  return instruction
}

describe('showAmount', () => {
  it('shows at most 6 decimals, rounded down, without trailing zeros', () => {
    expect(showAmount(amount(EIGEN, '1.123456789'))).toBe('1.123456')
    expect(showAmount(amount(EIGEN, '0.0000009'))).toBe('0')
    expect(showAmount(amount(USDT, '1895.54256'))).toBe('1895.54256')
    expect(showAmount(amount(EIGEN, '1520'))).toBe('1520')
    expect(showAmount(Amount.parse(createCurrency({ symbol: 'BTC', decimals: 8 }), '0.12345678'))).toBe('0.123456')
    expect(showAmount(Amount.parse(createCurrency({ symbol: 'WHOLE', decimals: 0 }), '7'))).toBe('7')
  })
})

describe('showRatio', () => {
  it('shows six significant digits and the basis points', () => {
    expect(showRatio(new Fraction(266n, 100_000n))).toBe('0.00266 (26.6 bps)')
    expect(showRatio(new Fraction(1n, 3n))).toBe('0.333333 (3333.33 bps)')
    expect(showRatio(Fraction.ZERO)).toBe('0 (0 bps)')
  })
})

describe('renderSnapshot', () => {
  it('says when no dust is held', async () => {
    const plan = await fixturePlan(fixtureConfigWith('{ EIGEN: "20", ETHFI: "800" }', '{ USDT: "20" }', fixtureConfigWith('{ EIGEN: "1500" }', '{ USDT: "0" }')))
    expect(renderSnapshot(plan.snapshot)).toBe(
      [`usdt_test (share class USDT) at ${ISO}`, '  equity 1000000 USDT · dust 0 USDT · ratio 0 (0 bps) · dust_delta 0.002 · within dust_delta', '  no dust held'].join('\n'),
    )
  })

  it('lists unpriced tokens after the priced ones', async () => {
    const plan = await fixturePlan()
    const ZRO = createCurrency({ symbol: 'ZRO', decimals: 18 })
    const snapshot = { ...plan.snapshot, unpricedTokens: [{ token: 'ZRO', amount: amount(ZRO, '42.1234567'), venue: 'wallet', source: 'wallet_balance' as const }] }
    expect(renderSnapshot(snapshot).split('\n').slice(3)).toEqual([
      '  TOKEN     AMOUNT  VALUE (USDT)  VENUE    SOURCE',
      '  EIGEN       1500          1875  etherfi  claimable_rewards',
      '  EIGEN         20            25  wallet   wallet_balance',
      '  ETHFI        800           760  wallet   wallet_balance',
      '  ZRO    42.123456      unpriced  wallet   wallet_balance',
    ])
  })
})

describe('renderSnapshot of an incomplete snapshot', () => {
  it('gives no verdict and says what is missing', async () => {
    const plan = await fixturePlan()
    const snapshot = { ...plan.snapshot, exceedsThreshold: false, incomplete: { failedSources: ['etherfi', 'okx'], unpricedHoldings: ['weETH'] } }
    expect(renderSnapshot(snapshot).split('\n').slice(1, 3)).toEqual([
      '  equity 1000000 USDT · dust 2660 USDT · ratio 0.00266 (26.6 bps) · dust_delta 0.002 · no verdict',
      '  INCOMPLETE (incomplete_equity): etherfi, okx failed; weETH held without a price; the figures above count only what answered, and nothing is planned.',
    ])
  })
})

describe('renderPlan', () => {
  it('shows the residual dust the amount step leaves, and a rejected route by its reason', async () => {
    const text = fixtureConfigWith('{ EIGEN: "20", ETHFI: "800" }', '{ EIGEN: "20.005", ETHFI: "5" }', FIXTURE_CONFIG_YAML)
    const lines = renderPlan(await fixturePlan(text, true)).split('\n')
    expect(lines).toContain('    0.005 EIGEN stays as residual dust.')
    expect(lines).toContain(
      '  Convert 5 ETHFI (on ethereum) → USDT on uniswap: uniswap ETHFI→WETH→USDT nets 2.815241 USDT; the preferred route cannot be used (below_venue_minimum: ETHFI/USDT on binance: the order is worth 4.745 USDT, under the minimum 5 USDT plus the 100 bps safety buffer (5.05 USDT).).',
    )
    // uniswap's floor: 5 × 0.95 = 4.75, less fees of 0.015 ETHFI × 0.95 = 0.01425 and 0.000005682843342052 WETH × 2,500
    // = 0.01420710835513, up to 0.014208, = 4.721542, × 0.995 = 4.69793429, up to 4.697935 (over 4.721491 × 0.995 = 4.697883545, up to 4.697884).
    const table = lines.slice(lines.indexOf('    steps: approve → swap; gas 305000 units (1.90625 USDT); trading fees 0.028458 USDT; price impact 0.000051 USDT') + 1)
    expect(table.slice(0, 3)).toEqual([
      '       VENUE    PATH             SELL    OUTPUT      FEES       NET           MIN OUTPUT',
      '    *  uniswap  ETHFI→WETH→USDT     5  4.721491  1.934708  2.815241             4.697935',
      '       binance  ETHFI→USDT          5  4.740255  0.410995  4.334005  below_venue_minimum',
    ])
  })

  it('lists what is not converted with its reason and detail, under "No conversion planned."', async () => {
    const text = fixtureConfigWith('value: "1000000"', 'value: "10000000"')
    const rendered = renderPlan(await fixturePlan(text))
    expect(rendered.split('\n').slice(-5)).toEqual([
      '  No conversion planned.',
      '  Not converted:',
      '    TOKEN  AMOUNT  REASON           DETAIL',
      '    EIGEN    1520  below_threshold  The dust ratio 0.000266 does not exceed dust_delta 0.002.',
      '    ETHFI     800  below_threshold  The dust ratio 0.000266 does not exceed dust_delta 0.002.',
    ])
  })

  it('leaves the amount cell empty for a skip without an amount', async () => {
    const plan = await fixturePlan()
    const rendered = renderPlan({ ...plan, skipped: [{ token: 'ZRO', reason: 'no_route', detail: 'No venue trades ZRO.' }] })
    expect(rendered.split('\n').slice(-2)).toEqual(['    TOKEN  AMOUNT  REASON    DETAIL', '    ZRO            no_route  No venue trades ZRO.'])
  })
})

describe('renderOutcomes', () => {
  it('says when nothing was executed', () => {
    expect(renderOutcomes([])).toBe('  Nothing executed.')
  })

  it('shows a conversion against its plan, and a failure with its reason', async () => {
    const instruction = await firstInstruction()
    // The floor: (1,520 × 1.25 − 1.89744) × 0.995 = 1,888.6120472, up to 1,888.612048.
    expect(
      renderOutcomes([
        { instruction, outcome: { status: 'converted', amountIn: amount(EIGEN, '1520'), output: amount(USDT, '1895.123'), fees: amount(USDT, '2.86619') } },
        { instruction, outcome: { status: 'failed', reason: 'slippage', detail: 'under the floor', retryable: false } },
      ]),
    ).toBe(['  converted 1520 EIGEN on binance into 1895.123 USDT (plan said 1895.54256, floor 1888.612048)', '  FAILED EIGEN on binance: slippage: under the floor'].join('\n'))
  })

  it('lists under each conversion every step carried out: its kind, venue, transaction hash and block, or order id', async () => {
    const instruction = await firstInstruction()
    const claim = `0x${'1c'.repeat(32)}`
    const approve = `0x${'a9'.repeat(32)}`
    const swap = `0x${'5e'.repeat(32)}`
    expect(
      renderOutcomes([
        {
          instruction,
          outcome: {
            status: 'converted',
            amountIn: amount(EIGEN, '1520'),
            output: amount(USDT, '1895.123'),
            fees: amount(USDT, '2.86619'),
            steps: [
              { kind: 'claim', venue: 'etherfi', reference: claim, block: 18_000_001n, gasUsed: 80_000n },
              { kind: 'approve', venue: 'uniswap', reference: approve, block: 18_000_002n },
              { kind: 'swap', venue: 'uniswap', reference: swap, block: 18_000_003n, broadcast: 'private' },
            ],
          },
        },
        {
          instruction,
          outcome: {
            status: 'failed',
            reason: 'slippage',
            detail: 'under the floor',
            retryable: false,
            steps: [
              { kind: 'swap', venue: 'uniswap', reference: swap, block: 9n, broadcast: 'public_fallback' },
              { kind: 'market_sell', venue: 'binance', reference: '8391' },
            ],
          },
        },
      ]),
    ).toBe(
      [
        '  converted 1520 EIGEN on binance into 1895.123 USDT (plan said 1895.54256, floor 1888.612048)',
        `    claim on etherfi: ${claim} in block 18000001`,
        `    approve on uniswap: ${approve} in block 18000002`,
        `    swap on uniswap: ${swap} in block 18000003 (sent privately)`,
        '  FAILED EIGEN on binance: slippage: under the floor',
        `    swap on uniswap: ${swap} in block 9 (sent publicly: the private endpoint failed)`,
        '    market_sell on binance: order 8391',
      ].join('\n'),
    )
  })
})

describe('renderEvent', () => {
  it('renders each event type as one line with its time, strategy and type', async () => {
    const plan = await fixturePlan()
    const instruction = await firstInstruction()
    const head = `${ISO} usdt_test`
    expect(renderEvent(dustChecked(plan.snapshot))).toBe(`${head} dust_checked dust 2660 USDT, ratio 0.00266 (exceeds)`)
    expect(renderEvent(dustChecked(plan.snapshot, { name: 'gas_aware', converts: false, why: 'the policy holds' }))).toBe(
      `${head} dust_checked dust 2660 USDT, ratio 0.00266 (exceeds); dust_policy gas_aware: holds (the policy holds)`,
    )
    expect(renderEvent(dustDetected(plan))).toBe(`${head} dust_detected 2 conversion(s) planned, 0 skipped`)
    expect(renderEvent(dustConverted(instruction, { amount: '1520', output: '1895.54256', fees: '2.86619' }, FIXED_TIME))).toBe(`${head} dust_converted 1520 EIGEN → 1895.54256 USDT on binance`)
    expect(renderEvent(dustConversionFailed(instruction, { reason: 'slippage', detail: 'under the floor', retryable: false }, FIXED_TIME))).toBe(
      `${head} dust_conversion_failed EIGEN on binance: slippage: under the floor`,
    )
    expect(renderEvent({ event_type: 'dust_warning', strategy_mode: 'usdt_test', timestamp: FIXED_TIME, code: 'zero_equity', message: 'Equity is 0.' })).toBe(
      `${head} dust_warning zero_equity: Equity is 0.`,
    )
    expect(renderEvent({ event_type: 'dust_cycle_failed', strategy_mode: 'usdt_test', timestamp: FIXED_TIME, error: 'SourceError', code: 'source_failed', message: 'down' })).toBe(
      `${head} dust_cycle_failed source_failed: down`,
    )
  })

  it('says "an unknown amount of" for a conversion whose output was not read, and shows a state change with its reference and detail', async () => {
    const instruction = await firstInstruction()
    const head = `${ISO} usdt_test`
    expect(renderEvent(dustConverted(instruction, { amount: '1520', output: null, fees: '2.86619' }, FIXED_TIME))).toBe(`${head} dust_converted 1520 EIGEN → an unknown amount of USDT on binance`)
    const changed = { event_type: 'conversion_state_changed', strategy_mode: 'usdt_test', timestamp: FIXED_TIME, conversion_id: 'c1', token: 'EIGEN', venue: 'binance', step: 1 } as const
    expect(renderEvent({ ...changed, state: 'submitted', reference: 'order-8813' })).toBe(`${head} conversion_state_changed EIGEN on binance: submitted (step 1) order-8813`)
    expect(renderEvent({ ...changed, state: 'failed', detail: 'rejected by the exchange' })).toBe(`${head} conversion_state_changed EIGEN on binance: failed (step 1): rejected by the exchange`)
  })

  it('leaves out "(exceeds)" when the dust is within dust_delta', async () => {
    const plan = await fixturePlan(fixtureConfigWith('value: "1000000"', 'value: "10000000"'))
    expect(renderEvent(dustChecked(plan.snapshot))).toBe(`${ISO} usdt_test dust_checked dust 2660 USDT, ratio 0.000266`)
  })
})

import { afterAll, assert, beforeAll, describe, expect, it } from 'vitest'
import { cliIo, cliJsonLines, cliTempDir } from '../../../test/cliIo.js'
import { FIXTURE_CONFIG_YAML, fixtureConfigWith } from '../../../test/fixtureConfig.js'
import { FIXED_TIME } from '../../../test/fixtureMoney.js'
import { EXIT, runCli } from './runCli.js'

const PAPER = `${FIXTURE_CONFIG_YAML}execution: { mode: paper, max_slippage_bps: 50 }\n`
const LIVE = `${FIXTURE_CONFIG_YAML}execution: { mode: live }\n`

let temp: Awaited<ReturnType<typeof cliTempDir>>
let config: string
let paper: string

beforeAll(async () => {
  temp = await cliTempDir()
  config = await temp.write('usdt_test.yaml', FIXTURE_CONFIG_YAML)
  paper = await temp.write('paper.yaml', PAPER)
})

afterAll(async () => {
  await temp.cleanup()
})

/** Runs the CLI in-process and returns its exit code with what it printed. */
async function dust(argv: string[], overrides: Parameters<typeof cliIo>[0] = {}) {
  const io = cliIo(overrides)
  const code = await runCli(argv, io)
  return { code, out: io.out(), err: io.err(), io }
}

describe('dust scan', () => {
  it('prints the issue example as JSON: 2660 USDT of dust, a ratio of 0.00266 that exceeds the threshold', async () => {
    const { code, out, err } = await dust(['scan', '--config', config, '--json'])
    expect(err).toBe('')
    expect(code).toBe(EXIT.ok)
    const documents = cliJsonLines(out)
    expect(documents).toHaveLength(1)
    expect(documents[0]).toEqual({
      timestamp: FIXED_TIME,
      strategy_mode: 'usdt_test',
      share_class: 'USDT',
      total_dust_value: '2660',
      dust_tokens: [
        { token: 'EIGEN', amount: '1500', value: '1875', venue: 'etherfi', source: 'claimable_rewards' },
        { token: 'EIGEN', amount: '20', value: '25', venue: 'wallet', source: 'wallet_balance' },
        { token: 'ETHFI', amount: '800', value: '760', venue: 'wallet', source: 'wallet_balance' },
      ],
      unpriced_tokens: [],
      equity: '1000000',
      dust_ratio: '0.00266',
      dust_delta: '0.002',
      exceeds_threshold: true,
      warnings: [],
    })
  })

  it('prints an aligned table for people', async () => {
    const { code, out } = await dust(['scan', '-c', config])
    expect(code).toBe(EXIT.ok)
    expect(out).toBe(
      [
        'usdt_test (share class USDT) at 2025-01-01T00:00:00.000Z',
        '  equity 1000000 USDT · dust 2660 USDT · ratio 0.00266 (26.6 bps) · dust_delta 0.002 · EXCEEDS dust_delta',
        '',
        '  TOKEN  AMOUNT  VALUE (USDT)  VENUE    SOURCE',
        '  EIGEN    1500          1875  etherfi  claimable_rewards',
        '  EIGEN      20            25  wallet   wallet_balance',
        '  ETHFI     800           760  wallet   wallet_balance',
        '',
      ].join('\n'),
    )
  })

  it('lists an unpriced token with its warning, without counting it', async () => {
    const withZro = fixtureConfigWith(
      '  - { symbol: weETH,',
      '  - { symbol: ZRO, decimals: 18, address: "0x6985884C4392D348587B19cb9eAAf157F13271cd" }\n  - { symbol: weETH,',
      fixtureConfigWith('ETHFI: "800" }', 'ETHFI: "800", ZRO: "42" }'),
    )
    const file = await temp.write('zro.yaml', withZro)
    const json = await dust(['scan', '-c', file, '--json'])
    const [document] = cliJsonLines(json.out)
    expect(document?.total_dust_value).toBe('2660')
    expect(document?.unpriced_tokens).toEqual([{ token: 'ZRO', amount: '42', venue: 'wallet', source: 'wallet_balance' }])
    expect(document?.warnings).toEqual([{ code: 'unpriced_token', message: '42 ZRO at wallet has no price in USDT; it is listed as unpriced and not counted.' }])
    const human = await dust(['scan', '-c', file])
    expect(human.out).toContain('  ZRO        42      unpriced  wallet   wallet_balance\n')
    expect(human.out).toContain('  warning: 42 ZRO at wallet has no price in USDT; it is listed as unpriced and not counted.\n')
  })
})

describe('dust plan', () => {
  it("prints the seed's instruction fields with min_output and net_output as JSON", async () => {
    const { code, out } = await dust(['plan', '-c', config, '--json'])
    expect(code).toBe(EXIT.ok)
    const [document] = cliJsonLines(out)
    expect(document).toMatchObject({ total_dust_value: '2660', dust_ratio: '0.00266', exceeds_threshold: true, skipped: [], warnings: [] })
    const instructions = document?.instructions as Array<Record<string, unknown>>
    expect(instructions).toHaveLength(2)
    expect(instructions[0]).toMatchObject({
      token: 'EIGEN',
      amount: '1520',
      target_currency: 'USDT',
      venue: 'binance',
      conversion_path: ['EIGEN', 'USDT'],
      estimated_output: '1895.54256',
      estimated_fees: '2.86619',
      // (1,520 × 1.25 − 1.89744) × 0.995 = 1,888.6120472, up to 1,888.612048.
      min_output: '1888.612048',
      net_output: '1894.57381',
      conversion_id: `usdt_test:EIGEN:onchain:ethereum:${FIXED_TIME}`,
      costs: { trading_fees: '1.89744', price_impact: '2.56', gas_units: '155000', gas_cost: '0.96875' },
      reason: 'Preferred route binance EIGEN→USDT nets 1894.57381 USDT; no route nets more.',
    })
    expect(Object.keys(instructions[0] ?? {}).slice(0, 9)).toEqual(['token', 'amount', 'target_currency', 'venue', 'conversion_path', 'estimated_output', 'estimated_fees', 'min_output', 'net_output'])
    const [chosen] = instructions
    assert.isDefined(chosen, 'plan --json lists a first instruction')
    expect((chosen.alternatives as unknown[])[0]).toMatchObject({
      venue: 'uniswap',
      conversion_path: ['EIGEN', 'WETH', 'USDT'],
      estimated_output: '1880.781157',
      net_output: '1878.312407',
      gas_units: '395000',
    })
    expect(instructions[1]).toMatchObject({
      token: 'ETHFI',
      amount: '800',
      target_currency: 'USDT',
      venue: 'binance',
      conversion_path: ['ETHFI', 'USDT'],
      estimated_output: '758.1411',
      estimated_fees: '1.16515',
      // (800 × 0.95 − 0.7589) × 0.995 = 755.4448945, up to 755.444895.
      min_output: '755.444895',
      net_output: '757.73485',
    })
  })

  it('plans a strategy with a dust_policy by what the policy decides now, as the monitor would, and says so', async () => {
    const withPolicy = (line: string) => fixtureConfigWith('dust_delta: 0.002\n', `dust_delta: 0.002\ndust_policy: ${line}\n`)
    // 26.6 bps of dust, under a budget of 100: gas_aware holds, though the ratio is over dust_delta.
    const holds = await temp.write('holds.yaml', withPolicy('{ name: gas_aware, risk_budget_bps: 100 }'))
    const [held] = cliJsonLines((await dust(['plan', '-c', holds, '--json'])).out)
    expect(held).toMatchObject({
      exceeds_threshold: true,
      instructions: [],
      dust_policy: { name: 'gas_aware', converts: false, why: 'the dust, 26.6 bps of equity, is within the 100 bps risk budget, and gas cannot count as cheap until 24 hourly gas prices are known' },
    })
    expect((await dust(['plan', '-c', holds])).out).toContain(
      '  dust_policy gas_aware: holds (the dust, 26.6 bps of equity, is within the 100 bps risk budget, and gas cannot count as cheap until 24 hourly gas prices are known).\n',
    )
    // --ignore-threshold is the what-if of everything, whatever the policy says.
    const [everything] = cliJsonLines((await dust(['plan', '-c', holds, '--json', '--ignore-threshold'])).out)
    expect(everything?.instructions).toHaveLength(2)
    expect(everything?.dust_policy).toBeUndefined()
    // Over a budget of 10 bps (1,000 USDT), riskiest_first sells down to half of it: all 1,520 EIGEN (1,900 USDT; with one
    // price seen, no volatility yet, so value ranks), then 273.6 ETHFI (259.92 USDT), leaving 500.08 USDT of ETHFI.
    const sells = await temp.write('sells.yaml', withPolicy('{ name: riskiest_first, risk_budget_bps: 10 }'))
    const [sold] = cliJsonLines((await dust(['plan', '-c', sells, '--json'])).out)
    expect(sold?.dust_policy).toMatchObject({ name: 'riskiest_first', converts: true })
    // One cycle of `dust run` says the same, in text and in JSON.
    expect((await dust(['run', '--once', '-c', sells])).out).toContain('  dust_policy riskiest_first: converts now (the dust exceeds the risk budget; the riskiest tokens go first).\n')
    const [ran] = cliJsonLines((await dust(['run', '--once', '-c', sells, '--json'])).out)
    expect(ran?.dust_policy).toEqual({ name: 'riskiest_first', converts: true, why: 'the dust exceeds the risk budget; the riskiest tokens go first' })
    expect(((sold?.instructions ?? []) as Array<Record<string, unknown>>).map((instruction) => [instruction.token, instruction.amount])).toEqual([
      ['EIGEN', '1520'],
      ['ETHFI', '273.6'],
    ])
    // An equity of 0 (a broken source, most likely) leaves no budget to weigh: the policy holds, as the seed's threshold does.
    const broke = await temp.write('broke.yaml', fixtureConfigWith('value: "1000000"', 'value: "0"', withPolicy('{ name: gas_aware }')))
    const [brokeJson] = cliJsonLines((await dust(['plan', '-c', broke, '--json'])).out)
    expect(brokeJson).toMatchObject({ instructions: [], dust_policy: { name: 'gas_aware', converts: false, why: 'the equity is not positive, so there is no budget to weigh the dust against' } })
  })

  it('prints each instruction with the routes weighed, aligned, for people', async () => {
    const { code, out } = await dust(['plan', '-c', config])
    expect(code).toBe(EXIT.ok)
    expect(out).toContain('  Convert 1520 EIGEN (on ethereum) → USDT on binance: Preferred route binance EIGEN→USDT nets 1894.57381 USDT; no route nets more.\n')
    // binance's floor: (1,900 − 1.89744) × 0.995 = 1,888.612048; uniswap's: (1,900 − 5.7 − 5.661452) × 0.995 = 1,879.19535526, up to 1,879.195356.
    expect(out).toContain(
      [
        '       VENUE    PATH             SELL       OUTPUT       FEES          NET   MIN OUTPUT',
        '    *  binance  EIGEN→USDT       1520   1895.54256    2.86619   1894.57381  1888.612048',
        '       uniswap  EIGEN→WETH→USDT  1520  1880.781157  13.830202  1878.312407  1879.195356',
      ].join('\n'),
    )
    expect(out).toContain('    steps: claim → transfer → market_sell; gas 155000 units (0.96875 USDT); trading fees 1.89744 USDT; price impact 2.56 USDT\n')
  })

  it('says why a token is skipped, with its reason', async () => {
    const file = await temp.write('disabled.yaml', `${FIXTURE_CONFIG_YAML}dust_tokens: { ETHFI: { convert: false } }\n`)
    const json = await dust(['plan', '-c', file, '--json'])
    const [document] = cliJsonLines(json.out)
    assert.isDefined(document, 'plan --json prints a document')
    expect((document.instructions as unknown[]).length).toBe(1)
    expect(document.skipped).toEqual([{ token: 'ETHFI', custody: { kind: 'onchain', chain: 'ethereum' }, amount: '800', reason: 'disabled', detail: 'ETHFI has convert: false in dust_tokens.' }])
    const human = await dust(['plan', '-c', file])
    expect(human.out).toContain('  Not converted:\n    TOKEN  AMOUNT  REASON    DETAIL\n    ETHFI     800  disabled  ETHFI has convert: false in dust_tokens.')
  })

  it('skips an unpriced token with the reason unpriced, and prints the warning', async () => {
    const withZro = fixtureConfigWith(
      '  - { symbol: weETH,',
      '  - { symbol: ZRO, decimals: 18, address: "0x6985884C4392D348587B19cb9eAAf157F13271cd" }\n  - { symbol: weETH,',
      fixtureConfigWith('ETHFI: "800" }', 'ETHFI: "800", ZRO: "42" }'),
    )
    const file = await temp.write('zro-plan.yaml', withZro)
    const [document] = cliJsonLines((await dust(['plan', '-c', file, '--json'])).out)
    expect(document?.skipped).toEqual([
      { token: 'ZRO', custody: { kind: 'onchain', chain: 'ethereum' }, amount: '42', reason: 'unpriced', detail: 'ZRO has no price in USDT; it is not converted until it has one.' },
    ])
    expect(document?.warnings).toEqual([{ code: 'unpriced_token', message: '42 ZRO at wallet has no price in USDT; it is listed as unpriced and not counted.' }])
    const human = await dust(['plan', '-c', file])
    expect(human.out).toContain('    ZRO        42  unpriced  ZRO has no price in USDT; it is not converted until it has one.\n')
    expect(human.out).toContain('  warning: 42 ZRO at wallet has no price in USDT; it is listed as unpriced and not counted.\n')
  })

  it('sells tokens already on the exchange there, without claim, transfer or gas', async () => {
    const file = await temp.write(
      'account.yaml',
      fixtureConfigWith('  binance:\n', '  binance_account: { type: static, source: exchange_balance, exchange: binance, balances: { ETHFI: "100" } }\n  binance:\n'),
    )
    const [document] = cliJsonLines((await dust(['plan', '-c', file, '--json'])).out)
    assert.isDefined(document, 'plan --json prints a document')
    const onExchange = (document.instructions as Array<Record<string, unknown>>).find((instruction) => (instruction.custody as { kind: string }).kind === 'exchange')
    // 100 × 0.949 = 94.9 USDT, less 10 bps = 94.8051; the uniswap pools are on-chain, out of reach.
    // The floor: 100 × 0.95 = 95, less 0.0949 = 94.9051, × 0.995 = 94.4305745, up to 94.430575 (over 94.8051 × 0.995 = 94.331075).
    expect(onExchange).toMatchObject({
      token: 'ETHFI',
      amount: '100',
      venue: 'binance',
      conversion_path: ['ETHFI', 'USDT'],
      estimated_output: '94.8051',
      estimated_fees: '0.0949',
      net_output: '94.8051',
      custody: { kind: 'exchange', exchange: 'binance' },
      costs: { gas_units: '0', gas_cost: '0' },
      steps: [{ kind: 'market_sell', venue: 'binance', path: ['ETHFI', 'USDT'], amount_in: '100', min_output: '94.430575' }],
      alternatives: [],
    })
    expect(onExchange?.conversion_id).toBe(`usdt_test:ETHFI:exchange:binance:${FIXED_TIME}`)
    const human = await dust(['plan', '-c', file])
    expect(human.out).toContain('  Convert 100 ETHFI (on binance) → USDT on binance: ')
  })

  it('skips every token below the threshold, unless --ignore-threshold asks what it would do', async () => {
    const file = await temp.write('rich.yaml', fixtureConfigWith('value: "1000000"', 'value: "10000000"'))
    const below = cliJsonLines((await dust(['plan', '-c', file, '--json'])).out)[0]
    expect(below).toMatchObject({ dust_ratio: '0.000266', exceeds_threshold: false, instructions: [] })
    assert.isDefined(below, 'plan --json prints a document')
    expect((below.skipped as Array<Record<string, unknown>>).map((skip) => [skip.token, skip.reason, skip.detail])).toEqual([
      ['EIGEN', 'below_threshold', 'The dust ratio 0.000266 does not exceed dust_delta 0.002.'],
      ['ETHFI', 'below_threshold', 'The dust ratio 0.000266 does not exceed dust_delta 0.002.'],
    ])
    const human = await dust(['plan', '-c', file])
    expect(human.out).toContain('  No conversion planned.')
    expect(human.out).toContain('within dust_delta')

    const whatIf = cliJsonLines((await dust(['plan', '-c', file, '--json', '--ignore-threshold'])).out)[0]
    expect(whatIf).toMatchObject({ exceeds_threshold: false, skipped: [] })
    assert.isDefined(whatIf, 'plan --json --ignore-threshold prints a document')
    expect((whatIf.instructions as Array<Record<string, unknown>>).map((instruction) => [instruction.token, instruction.net_output])).toEqual([
      ['EIGEN', '1894.57381'],
      ['ETHFI', '757.73485'],
    ])
  })
})

describe('dust run', () => {
  it('in dry-run plans and executes nothing: balances and books stay as they were', async () => {
    const first = await dust(['run', '--once', '-c', config])
    expect(first.out).toContain('  Convert 1520 EIGEN (on ethereum) → USDT on binance')
    expect(first.out).toContain('  Execution mode dry-run:\n  dry-run: the plan is recorded, nothing is executed.\n')
    // A second run finds the same dust: nothing was sold.
    const again = cliJsonLines((await dust(['scan', '-c', config, '--json'])).out)[0]
    expect(again?.total_dust_value).toBe('2660')
  })

  // Dry-run records the plan and executes nothing: no failure, exit 0.
  it('in dry-run exits 0 with no outcomes and no dust_conversion_failed', async () => {
    const { code, out } = await dust(['run', '--once', '-c', config, '--json'])
    const [document] = cliJsonLines(out)
    expect(document?.execution_mode).toBe('dry-run')
    expect(document?.outcomes).toEqual([])
    expect(code).toBe(EXIT.ok)
  })

  it('in paper mode converts on the static venues and reports the outcomes as JSON', async () => {
    const { code, out, err } = await dust(['run', '--once', '-c', paper, '--json'])
    expect(err).toBe('')
    expect(code).toBe(EXIT.ok)
    const [document] = cliJsonLines(out)
    expect(document?.execution_mode).toBe('paper')
    expect(document?.total_dust_value).toBe('2660')
    const outcomes = document?.outcomes as Array<Record<string, unknown>>
    expect(outcomes.map(({ instruction: _instruction, ...rest }) => rest)).toEqual([
      { conversion_id: `usdt_test:EIGEN:onchain:ethereum:${FIXED_TIME}`, token: 'EIGEN', status: 'converted', amount: '1520', output: '1895.54256', fees: '2.86619', steps: [] },
      { conversion_id: `usdt_test:ETHFI:onchain:ethereum:${FIXED_TIME}`, token: 'ETHFI', status: 'converted', amount: '800', output: '758.1411', fees: '1.16515', steps: [] },
    ])
    // (1,520 × 1.25 − 1.89744) × 0.995 = 1,888.6120472, up to 1,888.612048.
    expect(outcomes[0]?.instruction).toMatchObject({ token: 'EIGEN', min_output: '1888.612048' })
  })

  it('in paper mode tells people what was converted', async () => {
    const { code, out } = await dust(['run', '--once', '-c', paper])
    expect(code).toBe(EXIT.ok)
    // Floors: (1,900 − 1.89744) × 0.995 = 1,888.612048; (760 − 0.7589) × 0.995 = 755.4448945, up to 755.444895.
    expect(out).toContain(
      [
        '  Execution mode paper:',
        '  converted 1520 EIGEN on binance into 1895.54256 USDT (plan said 1895.54256, floor 1888.612048)',
        '  converted 800 ETHFI on binance into 758.1411 USDT (plan said 758.1411, floor 755.444895)',
      ].join('\n'),
    )
  })

  it('refuses to run without --once (exit 2)', async () => {
    const { code, err, out } = await dust(['run', '-c', config])
    expect(code).toBe(EXIT.usage)
    expect(err).toContain("error: required option '--once' not specified")
    expect(out).toBe('')
  })

  it('refuses a live configuration without --execute, saying how to confirm (exit 2)', async () => {
    const file = await temp.write('live.yaml', LIVE)
    for (const argv of [
      ['run', '--once', '-c', file],
      ['monitor', '--cycles', '1', '-c', file],
    ]) {
      const { code, err, out } = await dust(argv)
      expect(code).toBe(EXIT.usage)
      expect(out).toBe('')
      expect(err).toBe('error: Refusing live execution of usdt_test without --execute.\nAdd --execute to confirm, or set execution.mode to dry-run or paper.\n')
    }
  })

  it('refuses live execution with --execute when a venue is static, saying which and what to do instead (exit 2)', async () => {
    const file = await temp.write('live.yaml', LIVE)
    const { code, err, out } = await dust(['run', '--once', '--execute', '-c', file])
    expect(code).toBe(EXIT.usage)
    expect(out).toBe('')
    expect(err).toBe(
      'error: Cannot execute usdt_test live: etherfi, wallet, binance, uniswap are paper venues, which only fill on paper.\n' +
        'Live execution needs real venues only (evm_wallet, merkle_rewards, merkl, morpho_urd, merkle_drop, uniswap_v2, uniswap_v3, ccxt with paper: false); use execution.mode "paper" to try the others.\n',
    )
  })

  it('still scans and plans a live configuration: nothing is executed there', async () => {
    const file = await temp.write('live.yaml', LIVE)
    const { code, out } = await dust(['plan', '--json', '-c', file])
    expect(code).toBe(EXIT.ok)
    expect(cliJsonLines(out)[0]?.total_dust_value).toBe('2660')
  })
})

describe('dust monitor', () => {
  it('prints every event of one cycle as JSON lines on the system clock, then stops', async () => {
    const before = Date.now()
    const { code, out, err } = await dust(['monitor', '--cycles', '1', '--interval', '0.01', '--json', '-c', paper], { clock: undefined })
    expect(err).toBe('')
    expect(code).toBe(EXIT.ok)
    const events = cliJsonLines(out)
    expect(events.map((event) => event.event_type)).toEqual(['dust_checked', 'dust_detected', 'dust_converted', 'dust_converted'])
    for (const event of events) {
      expect(event.strategy_mode).toBe('usdt_test')
      expect(event.timestamp as number).toBeGreaterThanOrEqual(before)
      expect(event.timestamp as number).toBeLessThanOrEqual(Date.now())
    }
    expect(events[0]?.snapshot).toMatchObject({ total_dust_value: '2660', dust_ratio: '0.00266', exceeds_threshold: true })
    expect(events[1]).toMatchObject({ total_value: '2660', share_class: 'USDT' })
    expect(events.slice(2).map((event) => [event.token, event.amount, event.output, event.target_currency])).toEqual([
      ['EIGEN', '1520', '1895.54256', 'USDT'],
      ['ETHFI', '800', '758.1411', 'USDT'],
    ])
  })

  it('prints events as lines for people, and says when it starts and stops', async () => {
    const { code, out } = await dust(['monitor', '--cycles', '1', '--interval', '0.01', '-c', paper], { clock: undefined })
    expect(code).toBe(EXIT.ok)
    const lines = out.trimEnd().split('\n')
    expect(lines[0]).toBe('Monitoring usdt_test every 0.01s. Press Ctrl-C to stop.')
    expect(lines[1]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z usdt_test dust_checked dust 2660 USDT, ratio 0\.00266 \(exceeds\)$/)
    expect(lines[2]).toMatch(/ usdt_test dust_detected 2 conversion\(s\) planned, 0 skipped$/)
    expect(lines[3]).toMatch(/ usdt_test dust_converted 1520 EIGEN → 1895\.54256 USDT on binance$/)
    expect(lines.at(-1)).toBe('Stopped.')
  })

  it('stops when the stop signal aborts', async () => {
    const stop = new AbortController()
    const io = cliIo({ clock: undefined, stopSignal: stop.signal })
    const running = runCli(['monitor', '--interval', '0.01', '--json', '-c', config], io)
    await new Promise((resolve) => setTimeout(resolve, 50))
    stop.abort()
    await running
    expect(cliJsonLines(io.out()).filter((event) => event.event_type === 'dust_checked').length).toBeGreaterThanOrEqual(1)
  })

  it('starts no cycle when the stop signal aborted before monitoring began', async () => {
    const io = cliIo({ clock: undefined, stopSignal: AbortSignal.abort() })
    const code = await Promise.race([
      runCli(['monitor', '--interval', '0.01', '--json', '-c', paper], io),
      new Promise<string>((resolve) => setTimeout(() => resolve('still running after 5 s'), 5_000)),
    ])
    expect(code).toBe(EXIT.ok)
    expect(cliJsonLines(io.out())).toEqual([])
  })

  it('refuses a --cycles or --interval that is not a positive number (exit 2)', async () => {
    const cycles = await dust(['monitor', '--cycles', '0', '-c', config])
    expect(cycles.code).toBe(EXIT.usage)
    expect(cycles.err).toBe('error: --cycles takes a whole number from 1 to 1000000, found "0".\n')
    const interval = await dust(['monitor', '--interval', '-1', '-c', config])
    expect(interval.code).toBe(EXIT.usage)
    const zero = await dust(['monitor', '--interval', '0', '-c', config])
    expect(zero.err).toBe('error: --interval takes a number of seconds above 0 and at most 86400, found "0".\n')
  })
})

describe('dust config check', () => {
  it('says a valid configuration is valid and what it resolves to (exit 0)', async () => {
    const { code, out, err } = await dust(['config', 'check', '-c', config])
    expect(err).toBe('')
    expect(code).toBe(EXIT.ok)
    expect(out).toBe(
      [
        `${config}: valid`,
        '  mode usdt_test, share class USDT, asset ETH, dust_delta 0.002 (20 bps), every 300s, execution dry-run (max slippage 50 bps)',
        '  6 tokens; venues: etherfi (static), wallet (static), binance (static_cex), uniswap (static_amm); 1 price source(s); equity static',
        '',
      ].join('\n'),
    )
    // A dust_policy is shown with its budget and the keys it reads, defaults filled in.
    const withPolicy = await temp.write('policy.yaml', fixtureConfigWith('dust_delta: 0.002\n', 'dust_delta: 0.002\ndust_policy: { name: venue_size, cex_min_value: "250" }\n'))
    expect((await dust(['config', 'check', '-c', withPolicy])).out).toContain('\n  dust_policy venue_size: budget dust_delta; cex_min_value 250, gas_percentile 50, gas_window_hours 168\n')
  })

  it('names the file, the key path, what was expected and what was found, without a stack trace (exit 2)', async () => {
    const file = await temp.write('bad.yaml', fixtureConfigWith('dust_delta: 0.002', 'dust_delta: 2'))
    const { code, out, err } = await dust(['config', 'check', '-c', file])
    expect(code).toBe(EXIT.usage)
    expect(out).toBe('')
    expect(err).toBe(`error: Invalid configuration in ${file} (1 problem).\n  ${file}:6 dust_delta: expected a decimal from 0 (inclusive) to 1 (exclusive), found "2"\n`)
    expect(err).not.toMatch(/\n\s+at /)
  })

  it('reports a symbol missing from the token registry, and a missing file', async () => {
    const file = await temp.write('unknown-token.yaml', fixtureConfigWith('ETHFI: "800" }', 'ETHFI: "800", ZRO: "1" }'))
    const unknown = await dust(['scan', '-c', file])
    expect(unknown.code).toBe(EXIT.usage)
    expect(unknown.err).toContain(`error: Invalid configuration in ${file}`)
    expect(unknown.err).toContain('venues.wallet.balances.ZRO')
    const missing = await dust(['config', 'check', '-c', `${temp.dir}/nope.yaml`])
    expect(missing.code).toBe(EXIT.usage)
    expect(missing.err).toContain('expected a readable configuration file, found no such file')
  })

  // A gas price finer than a wei is a configuration error, named by its key path.
  it('names gas_price.ethereum.gwei when it is finer than one wei (exit 2)', async () => {
    const file = await temp.write('gwei.yaml', fixtureConfigWith('gwei: "2.5"', 'gwei: "0.0000000001"'))
    const { code, err } = await dust(['config', 'check', '-c', file])
    expect(err).toContain(`error: Invalid configuration in ${file}`)
    expect(err).toContain('gas_price.ethereum.gwei')
    expect(code).toBe(EXIT.usage)
  })

  it('never prints a value that came from ${ENV_VAR}', async () => {
    const file = await temp.write('secret.yaml', fixtureConfigWith('value: "1000000"', 'value: "${DUST_TEST_EQUITY}"'))
    const env = { DUST_TEST_EQUITY: '987654.321' }
    const json = await dust(['config', 'check', '--json', '-c', file], { env })
    expect(json.code).toBe(EXIT.ok)
    expect(json.out).not.toContain('987654')
    const [document] = cliJsonLines(json.out)
    expect(document?.equity).toEqual({ type: 'static', value: '[redacted: from the environment]' })
    expect(document?.mode).toBe('usdt_test')
    const human = await dust(['config', 'check', '-c', file], { env })
    expect(human.out).not.toContain('987654')
    expect(human.out).toContain('  secrets from the environment (not shown): equity.value\n')
    const unset = await dust(['config', 'check', '-c', file])
    expect(unset.code).toBe(EXIT.usage)
    expect(unset.err).toContain('expected the environment variable DUST_TEST_EQUITY to be set, found it unset')
  })
})

describe('dust', () => {
  it('exits 2 on an unknown command', async () => {
    const { code, err } = await dust(['frobnicate'])
    expect(code).toBe(EXIT.usage)
    expect(err).toContain("error: unknown command 'frobnicate'")
  })

  it('lists the commands with --help and exits 0', async () => {
    const { code, out } = await dust(['--help'])
    expect(code).toBe(EXIT.ok)
    expect(out).toContain('Usage: dust [options] [command]')
    for (const command of ['scan [options]', 'plan [options]', 'run [options]', 'monitor [options]', 'config ']) expect(out).toContain(`  ${command}`)
    const plan = await dust(['plan', '--help'])
    expect(plan.code).toBe(EXIT.ok)
    expect(plan.out).toContain('--ignore-threshold')
    const check = await dust(['config', 'check', '--help'])
    expect(check.code).toBe(EXIT.ok)
    expect(check.out).toContain('Usage: dust config check [options]')
  })

  it('writes its logs with its own JSON logger when none is given', async () => {
    const { code, out } = await dust(['scan', '--json', '--log-level', 'silent', '-c', config], { logger: undefined })
    expect(code).toBe(EXIT.ok)
    expect(cliJsonLines(out)[0]?.total_dust_value).toBe('2660')
  })

  it('refuses an unknown log level (exit 2)', async () => {
    const { code, err } = await dust(['scan', '--log-level', 'loud', '-c', config])
    expect(code).toBe(EXIT.usage)
    expect(err).toContain("error: option '--log-level <level>' argument 'loud' is invalid. Allowed choices are silent, error, warn, info, debug.")
  })

  it('prints its version', async () => {
    const { code, out } = await dust(['--version'])
    expect(code).toBe(EXIT.ok)
    expect(out).toBe('0.1.0\n')
  })

  it('refuses two configurations with the same mode (exit 2)', async () => {
    const copy = await temp.write('copy.yaml', FIXTURE_CONFIG_YAML)
    const { code, err, out } = await dust(['scan', '-c', config, copy])
    expect(code).toBe(EXIT.usage)
    expect(out).toBe('')
    expect(err).toBe('error: Two configuration files name the strategy mode "usdt_test"; each strategy must have its own mode.\n')
  })

  it('scans several strategies, one JSON document per line', async () => {
    const other = await temp.write('other.yaml', fixtureConfigWith('mode: usdt_test', 'mode: usdt_other'))
    const { code, out } = await dust(['scan', '--json', '-c', config, other])
    expect(code).toBe(EXIT.ok)
    expect(cliJsonLines(out).map((document) => [document.strategy_mode, document.total_dust_value])).toEqual([
      ['usdt_test', '2660'],
      ['usdt_other', '2660'],
    ])
  })
})

describe('the durable log from the CLI', () => {
  it('run --once writes the log; events and conversions read it back, as JSON and for people', async () => {
    const store = `${temp.dir}/log-${Date.now()}.db`
    expect((await dust(['run', '--once', '-c', paper, '--store', store])).code).toBe(EXIT.ok)
    const events = await dust(['events', '--json', '-c', paper, '--store', store])
    expect(events.code).toBe(EXIT.ok)
    const lines = cliJsonLines(events.out)
    expect(lines.map((line) => line.seq)).toEqual(lines.map((_, index) => index + 1))
    expect(lines.map((line) => `${line.event_type}${line.state ? `:${line.state}` : ''}`)).toEqual([
      'dust_checked',
      'dust_detected',
      'conversion_state_changed:planned',
      'conversion_state_changed:confirmed',
      'dust_converted',
      'conversion_state_changed:planned',
      'conversion_state_changed:confirmed',
      'dust_converted',
    ])
    const page = cliJsonLines((await dust(['events', '--json', '--since', '2', '--limit', '2', '-c', paper, '--store', store])).out)
    expect(page.map((line) => line.seq)).toEqual([3, 4])
    const conversions = await dust(['conversions', '--json', '-c', paper, '--store', store])
    expect(cliJsonLines(conversions.out).map((line) => [line.token, line.state, line.venue])).toEqual([
      ['EIGEN', 'confirmed', 'binance'],
      ['ETHFI', 'confirmed', 'binance'],
    ])
    // Each conversion comes with what its dust_converted event says it gave.
    const converted = lines.filter((line) => line.event_type === 'dust_converted')
    expect(cliJsonLines(conversions.out).map((line) => [line.id, line.outcome])).toEqual(
      converted.map((line) => [line.conversion_id, { output: line.output, fees: line.fees, target_currency: 'USDT', steps: line.steps }]),
    )
    const table = await dust(['conversions', '-c', paper, '--store', store])
    const [header, ...rows] = table.out.trimEnd().split('\n')
    expect(header).toMatch(/^STRATEGY\s+TOKEN\s+VENUE\s+STATE\s+STEP\s+OUTPUT\s+UPDATED\s+REFERENCES$/)
    expect(rows.map((row) => row.split(/\s{2,}/)[5])).toEqual(converted.map((line) => `${line.output} USDT`))
    expect((await dust(['conversions', '--open', '-c', paper, '--store', store])).out).toBe('No conversions on record.\n')
  })

  it('refuses a bad --since with exit 2', async () => {
    const { code, err } = await dust(['events', '--since', 'x', '-c', paper, '--store', `${temp.dir}/unused.db`])
    expect(code).toBe(EXIT.usage)
    expect(err).toBe('error: --since takes a whole number from 0 to 9007199254740991, found "x".\n')
  })

  it('serves the API until stopped: health, the snapshot after the first cycle, and no convert route without a token', async () => {
    const stop = new AbortController()
    const io = cliIo({ stopSignal: stop.signal, clock: undefined })
    const running = runCli(['serve', '--port', '0', '-c', config, '--store', `${temp.dir}/serve-${Date.now()}.db`], io)
    let address: string | undefined
    for (let tries = 0; !address && tries < 200; tries += 1) {
      address = /at (http:\/\/127\.0\.0\.1:\d+)/.exec(io.out())?.[1]
      if (!address) await new Promise((resolve) => setTimeout(resolve, 25))
    }
    expect(io.out()).toContain('(scan and convert are off: no api.token)')
    expect(await (await fetch(`${address}/health`)).json()).toEqual({ ok: true, store: 'sqlite', strategies: 1 })
    let snapshot: Response | undefined
    for (let tries = 0; tries < 200; tries += 1) {
      snapshot = await fetch(`${address}/strategies/usdt_test/snapshot`)
      if (snapshot.status === 200) break
      await new Promise((resolve) => setTimeout(resolve, 25))
    }
    assert.isDefined(snapshot, 'the snapshot route was fetched')
    expect(((await snapshot.json()) as { total_dust_value: string }).total_dust_value).toBe('2660')
    expect((await fetch(`${address}/strategies/usdt_test/convert`, { method: 'POST' })).status).toBe(404)
    // The first scan fed the metrics: its duration, and the dust ratio.
    const metrics = await (await fetch(`${address}/metrics`)).text()
    expect(metrics).toMatch(/^dust_scan_duration_seconds_count\{strategy="usdt_test"\} [1-9]\d*$/m)
    expect(metrics).toMatch(/^dust_ratio\{strategy="usdt_test"\} 0\.00266$/m)
    stop.abort()
    expect(await running).toBe(EXIT.ok)
    expect(io.out().trimEnd().split('\n').at(-1)).toBe('Stopped.')
  })
})

import { describe, expect, it } from 'vitest'
import { NO_FILES, configIssuesOf } from '../../test/configIssues.js'
import { FIXTURE_CONFIG_YAML, fixtureConfigWith } from '../../test/fixtureConfig.js'
import { parseConfigText } from './parseConfigText.js'

/** The fixture with a `dust_policy` line after its dust_delta. */
const withPolicy = (line: string) => fixtureConfigWith('dust_delta: 0.002\n', `dust_delta: 0.002\ndust_policy: ${line}\n`, FIXTURE_CONFIG_YAML)

const parse = async (text: string) => (await parseConfigText({ files: NO_FILES, ccxtExchanges: async () => ['binance'] }, { text, file: '/configs/strategy.yaml', env: {} })).config

describe('parseConfigText with a dust_policy', () => {
  it('leaves dust_policy out when absent (the threshold), and fills the defaults of a named policy', async () => {
    expect((await parse(FIXTURE_CONFIG_YAML)).dust_policy).toBeUndefined()
    expect((await parse(withPolicy('{ name: gas_aware, risk_budget_bps: 15, gas_percentile: 25 }'))).dust_policy).toEqual({
      name: 'gas_aware',
      risk_budget_bps: 15,
      gas_percentile: 25,
      gas_window_hours: 168,
      volatility_hours: 720,
      cheap_share: '0.5',
      claim_cost_max_bps: 50,
      cex_min_value: '1',
      target_share: '0.5',
    })
  })

  it('refuses an unknown policy, a bad parameter and a risk budget for the threshold, naming each', async () => {
    expect(await configIssuesOf(withPolicy('{ name: cheapest }'))).toEqual([
      { path: 'dust_policy.name', expected: 'one of "threshold", "gas_aware", "claim_batching", "venue_size", "riskiest_first"', found: '"cheapest"' },
    ])
    expect(await configIssuesOf(withPolicy('{ name: gas_aware, gas_percentile: 101 }'))).toEqual([{ path: 'dust_policy.gas_percentile', expected: 'a whole number from 0 to 100', found: '"101"' }])
    expect(await configIssuesOf(withPolicy('{ name: riskiest_first, target_share: 1.5 }'))).toEqual([{ path: 'dust_policy.target_share', expected: 'a decimal from 0 to 1', found: '"1.5"' }])
    expect(await configIssuesOf(withPolicy('{ name: threshold, risk_budget_bps: 20 }'))).toEqual([
      { path: 'dust_policy.risk_budget_bps', expected: 'no risk_budget_bps for the threshold policy: its budget is dust_delta', found: '"20"' },
    ])
    expect(await configIssuesOf(withPolicy('{ name: gas_aware, budget: 20 }'))).toEqual([{ path: 'dust_policy', expected: 'only known keys', found: 'unknown key "budget"' }])
    // A window of one hour would hold only the price it judges, always at its own percentile: two at least.
    expect(await configIssuesOf(withPolicy('{ name: gas_aware, gas_window_hours: 1 }'))).toEqual([{ path: 'dust_policy.gas_window_hours', expected: 'a whole number from 2 to 8760', found: '"1"' }])
  })

  it('says what a number key expects when it finds an empty value or a list, not the words of the schema library', async () => {
    expect(await configIssuesOf(withPolicy('{ name: gas_aware, gas_percentile: null, risk_budget_bps: [20], cex_min_value: ~ }'))).toEqual([
      { path: 'dust_policy.risk_budget_bps', expected: 'a whole number from 1 to 10000', found: 'a list of 1' },
      { path: 'dust_policy.gas_percentile', expected: 'a whole number from 0 to 100', found: 'an empty value' },
      { path: 'dust_policy.cex_min_value', expected: 'a non-negative decimal number such as "1.25"', found: 'an empty value' },
    ])
  })
})

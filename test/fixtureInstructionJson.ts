import type { InstructionJson } from '../src/domain/events.js'

/**
 * A serialized instruction with every field `serializeInstruction` writes: EIGEN claimed,
 * approved and swapped to USDT on Uniswap. Tests that record `planned` events start from it.
 */
export const INSTRUCTION_JSON: InstructionJson = {
  token: 'EIGEN',
  amount: '1520',
  target_currency: 'USDT',
  venue: 'uniswap_v3',
  conversion_path: ['EIGEN', 'WETH', 'USDT'],
  estimated_output: '171.4',
  estimated_fees: '4.2',
  min_output: '169.686',
  net_output: '167.2',
  conversion_id: 'c1',
  strategy_mode: 'usdt_test',
  custody: { kind: 'onchain', chain: 'local' },
  sources: [{ venue: 'eigen_merkle', source: 'claimable_rewards', amount: '1520' }],
  residual: '0',
  leftovers: [],
  costs: { trading_fees: '0.5', price_impact: '0.1', gas_units: '250000', gas_cost: '0.0012' },
  steps: [
    { kind: 'claim', venue: 'eigen_merkle', token: 'EIGEN', amount: '1520' },
    { kind: 'approve', venue: 'uniswap_v3', token: 'EIGEN', amount: '1520' },
    { kind: 'swap', venue: 'uniswap_v3', path: ['EIGEN', 'WETH', 'USDT'], amount_in: '1520', min_output: '169.686' },
  ],
  reason: 'uniswap_v3 via EIGEN → WETH → USDT nets the most (167.2 USDT) of 1 usable route.',
  alternatives: [],
}

/** The fixture instruction with some fields replaced. */
export function instructionJson(overrides: Partial<InstructionJson> = {}): InstructionJson {
  return { ...INSTRUCTION_JSON, ...overrides }
}

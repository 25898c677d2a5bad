import { toFunctionSelector, toFunctionSignature } from 'viem'
import { describe, expect, it } from 'vitest'
import { KEEPER_FUNCTIONS } from './KeeperNeeds.js'

describe('KEEPER_FUNCTIONS', () => {
  it("names the functions the adapters call, with the real contracts' signatures and selectors", () => {
    // Selectors as Etherscan and the contracts' sources give them (the distributors' as rewardDistributorAbis.test.ts holds them).
    expect(Object.fromEntries(Object.entries(KEEPER_FUNCTIONS).map(([key, item]) => [key, [toFunctionSignature(item), toFunctionSelector(item)]]))).toEqual({
      claim_merkle_rewards: ['claim(uint256,address,uint256,bytes32[])', '0x2e7ba6ef'],
      claim_merkl: ['claim(address[],address[],uint256[],bytes32[][])', '0x71ee95c0'],
      claim_morpho_urd: ['claim(address,address,uint256,bytes32[])', '0xfabed412'],
      claim_merkle_drop: ['claim(address,uint256,bytes32,bytes32[])', '0x1d7d4ebc'],
      approve: ['approve(address,uint256)', '0x095ea7b3'],
      transfer: ['transfer(address,uint256)', '0xa9059cbb'],
      swap_v2: ['swapExactTokensForTokens(uint256,uint256,address[],address,uint256)', '0x38ed1739'],
      swap_v3: ['exactInput((bytes,address,uint256,uint256,uint256))', '0xc04b8d59'],
    })
  })

  it('keeps the parameter names the conditions refer to', () => {
    expect(KEEPER_FUNCTIONS.claim_merkle_rewards.inputs.map((input) => input.name)).toEqual(['index', 'account', 'amount', 'merkleProof'])
    expect(KEEPER_FUNCTIONS.claim_merkl.inputs.map((input) => input.name)).toEqual(['users', 'tokens', 'amounts', 'proofs'])
    expect(KEEPER_FUNCTIONS.swap_v2.inputs.map((input) => input.name)).toEqual(['amountIn', 'amountOutMin', 'path', 'to', 'deadline'])
    expect(KEEPER_FUNCTIONS.swap_v3.inputs[0].components.map((input) => input.name)).toEqual(['path', 'recipient', 'deadline', 'amountIn', 'amountOutMinimum'])
  })
})

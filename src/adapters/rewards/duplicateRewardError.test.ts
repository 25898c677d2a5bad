import { describe, expect, it } from 'vitest'
import { SourceError } from '../../errors/index.js'
import { duplicateRewardError } from './duplicateRewardError.js'

describe('duplicateRewardError', () => {
  it('names the venue, where the proofs came from, the token and the account, and what was expected', () => {
    const error = duplicateRewardError({ venue: 'merkl_rewards', where: 'https://api.merkl.xyz' }, '0xFe0c30065B384F05761f15d0CC899D4F9F9Cc0eB', '0x5A0b54D5dc17e0AadC383d2db43B0a0D3E029c4c')
    expect(error).toBeInstanceOf(SourceError)
    expect(error).toMatchObject({
      name: 'SourceError',
      code: 'source_failed',
      source: 'merkl_rewards',
      details: undefined,
      message:
        'The proofs of merkl_rewards from https://api.merkl.xyz name the reward 0xFe0c30065B384F05761f15d0CC899D4F9F9Cc0eB twice for 0x5A0b54D5dc17e0AadC383d2db43B0a0D3E029c4c; expected one cumulative amount per token.',
    })
  })
})

import { getAddress } from 'viem'
import { describe, expect, it } from 'vitest'
import { parseMerkleDropClaims } from './parseMerkleDropClaims.js'

const account = getAddress('0xabcdefabcdefabcdefabcdefabcdefabcdefabcd')
const token = getAddress('0x1111111111111111111111111111111111111111')
const origin = { venue: 'drop', where: '/srv/dust/drop-claims.json' }
const step = `0x${'ab'.repeat(32)}`
const file = { merkleRoot: `0x${'cd'.repeat(32)}`, claims: { [account.toLowerCase()]: { amount: '2500000000000000000', proof: [step] } } }

describe('parseMerkleDropClaims', () => {
  it("reads the account's cumulative amount and proof, whatever the case of its address", () => {
    expect(parseMerkleDropClaims({ ...origin, value: file, account, token })).toEqual([{ token, amount: 2500000000000000000n, proof: [step] }])
  })

  it('answers no claim for an account the file does not name', () => {
    expect(parseMerkleDropClaims({ ...origin, value: file, account: getAddress('0x000000000000000000000000000000000000bEEF'), token })).toEqual([])
  })

  it('refuses a file of another shape, naming the field', () => {
    expect(() => parseMerkleDropClaims({ ...origin, value: { ...file, tokenTotal: '0x01' }, account, token })).toThrow(
      'The proofs of drop from /srv/dust/drop-claims.json are not a cumulative drop claims file ({ merkleRoot, claims }): the answer itself is wrong',
    )
    expect(() => parseMerkleDropClaims({ ...origin, value: { ...file, claims: { [account]: { amount: '0x22', proof: [] } } }, account, token })).toThrow(
      `claims.${account}.amount is wrong (a whole number of base units written in decimal)`,
    )
  })

  it('refuses an account named twice in different cases', () => {
    const twice = { ...file, claims: { [account.toLowerCase()]: { amount: '1', proof: [] }, [account]: { amount: '2', proof: [] } } }
    expect(() => parseMerkleDropClaims({ ...origin, value: twice, account, token })).toThrow(`name ${account} 2 times (in different cases); expected once.`)
  })
})

import { getAddress } from 'viem'
import { describe, expect, it } from 'vitest'
import { encodeKey } from 'zodiac-roles-sdk'
import { roleKeyOf, rolesExecutionOf } from './roleKeyOf.js'

describe('roleKeyOf', () => {
  it("encodes a role name as zodiac-roles-sdk's encodeKey does", () => {
    for (const name of ['dust-keeper', 'a', 'x'.repeat(31), 'clé-ü']) expect(roleKeyOf(name)).toBe(encodeKey(name))
    expect(roleKeyOf('dust-keeper')).toBe('0x647573742d6b6565706572000000000000000000000000000000000000000000')
  })

  it('keeps a bytes32 key as it is, in lower case', () => {
    const key = `0x${'AB'.repeat(32)}`
    expect(roleKeyOf(key)).toBe(`0x${'ab'.repeat(32)}`)
  })

  it('refuses a name longer than 32 bytes, as the schema does before it', () => {
    expect(() => roleKeyOf('x'.repeat(33))).toThrow(/size/i)
  })

  it('builds the execution settings with checksummed addresses', () => {
    const execution = rolesExecutionOf({ safe: '0x00000000000000000000000000000000000000aa', roles_modifier: '0x00000000000000000000000000000000000000bb', role: 'dust-keeper' })
    expect(execution).toEqual({
      type: 'roles',
      safe: getAddress('0x00000000000000000000000000000000000000aa'),
      roles: getAddress('0x00000000000000000000000000000000000000bb'),
      roleKey: roleKeyOf('dust-keeper'),
      roleName: 'dust-keeper',
    })
  })
})

import { HttpRequestError } from 'viem'
import { describe, expect, it } from 'vitest'
import { shortMessageOf } from './shortMessageOf.js'

describe('shortMessageOf', () => {
  it("takes viem's short message, which leaves the URL out, else the message, else the value as text", () => {
    const viem = new HttpRequestError({ url: 'https://user:secret@rpc.example/v2', status: 503 })
    expect(shortMessageOf(viem)).toBe('HTTP request failed.')
    expect(viem.message).toContain('rpc.example')
    expect(shortMessageOf(viem)).not.toContain('rpc.example')
    expect(shortMessageOf(new Error('plain'))).toBe('plain')
    expect(shortMessageOf('a string')).toBe('a string')
  })
})

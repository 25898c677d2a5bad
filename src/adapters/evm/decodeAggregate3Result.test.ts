import fc from 'fast-check'
import { type Hex, bytesToHex, decodeFunctionResult, encodeFunctionResult, multicall3Abi } from 'viem'
import { describe, expect, it } from 'vitest'
import { type Aggregate3Result, decodeAggregate3Result } from './decodeAggregate3Result.js'

const viemAggregate3 = (data: Hex) => decodeFunctionResult({ abi: multicall3Abi, functionName: 'aggregate3', data })
const encode = (results: readonly Aggregate3Result[]) => encodeFunctionResult({ abi: multicall3Abi, functionName: 'aggregate3', result: results })

/** Return data of 0 to 70 bytes: empty, shorter or longer than a word, odd byte lengths included. */
const result = fc.record({ success: fc.boolean(), returnData: fc.uint8Array({ minLength: 0, maxLength: 70 }).map((bytes) => bytesToHex(bytes)) })
const results = fc.array(result, { minLength: 0, maxLength: 10 })

/** Runs a decoder and gives its results, or the fact that it refused. */
const outcome = (decode: () => readonly Aggregate3Result[]): readonly Aggregate3Result[] | 'refused' => {
  try {
    return decode().map(({ success, returnData }) => ({ success, returnData }))
  } catch {
    return 'refused'
  }
}

/** Changes an answer the way a broken or hostile node might: cuts it, or overwrites a word or a byte. */
const damage = fc.oneof(
  fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant('word' as const),
    at: fc.nat(),
    value: fc.oneof(fc.nat({ max: 4_096 }).map(BigInt), fc.bigInt({ min: 0n, max: 2n ** 256n - 1n }), fc.constantFrom(2n, 2n ** 53n, 2n ** 64n)),
  }),
  fc.record({ kind: fc.constant('byte' as const), at: fc.nat(), value: fc.nat({ max: 255 }) }),
)

function damaged(data: Hex, change: typeof damage extends fc.Arbitrary<infer T> ? T : never): Hex {
  const digits = data.slice(2)
  const bytes = digits.length / 2
  if (change.kind === 'cut') return `0x${digits.slice(0, (change.at % (bytes + 1)) * 2)}`
  if (change.kind === 'byte') {
    const at = (change.at % Math.max(bytes, 1)) * 2
    return `0x${digits.slice(0, at)}${change.value.toString(16).padStart(2, '0')}${digits.slice(at + 2)}`
  }
  // Overwrites a whole word on a word boundary: an offset, a length, a flag or data.
  const words = Math.floor(bytes / 32)
  if (words === 0) return data
  const at = (change.at % words) * 64
  return `0x${digits.slice(0, at)}${change.value.toString(16).padStart(64, '0')}${digits.slice(at + 64)}`
}

describe('decodeAggregate3Result', () => {
  it("decodes the same results as viem's decodeFunctionResult on random answers", () => {
    fc.assert(
      fc.property(results, (answer) => {
        const data = encode(answer)
        expect(decodeAggregate3Result(data)).toEqual(viemAggregate3(data))
        expect(decodeAggregate3Result(data)).toEqual(answer)
      }),
      { seed: 3, numRuns: 400 },
    )
  })

  it('refuses every damaged answer that viem refuses, and decodes the others as viem does', () => {
    let refused = 0
    fc.assert(
      fc.property(results, fc.array(damage, { minLength: 1, maxLength: 3 }), (answer, changes) => {
        const data = changes.reduce(damaged, encode(answer))
        const ours = outcome(() => decodeAggregate3Result(data))
        expect(ours).toEqual(outcome(() => viemAggregate3(data)))
        if (ours === 'refused') refused += 1
      }),
      { seed: 4, numRuns: 1_000 },
    )
    // The damage is not all harmless: a good share of the answers are refused by both.
    expect(refused).toBeGreaterThan(200)
  })

  it('refuses random bytes exactly when viem does', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 200 }), (bytes) => {
        const data = bytesToHex(bytes)
        expect(outcome(() => decodeAggregate3Result(data))).toEqual(outcome(() => viemAggregate3(data)))
      }),
      { seed: 5, numRuns: 500 },
    )
  })

  it('refuses what no Multicall3 answers, saying what it expected and found', () => {
    const word = (value: number | bigint) => value.toString(16).padStart(64, '0')
    const one = (flag: string, offset = word(64), length = word(0)) => `0x${word(32)}${word(1)}${word(32)}${flag}${offset}${length}` as Hex
    expect(() => decodeAggregate3Result('0x')).toThrow('The aggregate3 answer is malformed: expected data, found none (0x).')
    expect(() => decodeAggregate3Result(`0x${'00'.repeat(31)}`)).toThrow('expected at least 32 bytes, found 31.')
    expect(() => decodeAggregate3Result(`0x${'0'.repeat(127)}`)).toThrow('expected whole bytes (an even number of hex digits), found 127 hex digits.')
    expect(() => decodeAggregate3Result(`0x${'zz'.repeat(64)}` as Hex)).toThrow('expected 0x and hex digits, found 0xzzzz')
    expect(() => decodeAggregate3Result(one(word(2)))).toThrow(`expected a success flag of 0 or 1, found 0x${word(2)} in result 0.`)
    expect(() => decodeAggregate3Result(one(word(1), word(64), word(1)))).toThrow('expected the 1 bytes of result 0 within the 192 bytes, found them to end at byte 193.')
    expect(() => decodeAggregate3Result(one(word(1), word(2n ** 53n)))).toThrow(`expected an offset or length below 2^53, found 0x${word(2n ** 53n)} at position 128.`)
    expect(() => decodeAggregate3Result(one(word(1), word(4_096)))).toThrow('expected a position within the 192 bytes, found position 4192.')
    // An empty array must still be followed by room for the next word, as viem's cursor requires.
    expect(() => decodeAggregate3Result(`0x${word(0)}`)).toThrow('expected a position within the 32 bytes, found position 32.')
  })

  it('reads upper-case hex and gives lower-case return data, as viem does', () => {
    const data = encode([{ success: true, returnData: '0xabcdef' }])
    const upper = `0x${data.slice(2).toUpperCase()}` as Hex
    expect(decodeAggregate3Result(upper)).toEqual([{ success: true, returnData: '0xabcdef' }])
    expect(viemAggregate3(upper)).toEqual([{ success: true, returnData: '0xabcdef' }])
  })
})

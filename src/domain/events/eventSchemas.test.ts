import { readFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import { INSTRUCTION_JSON } from '../../../test/fixtureInstructionJson.js'
import { FIXED_TIME } from '../../../test/fixtureMoney.js'
import { ERROR_CODES } from '../../errors/ErrorCode.js'
import { CONVERSION_FAILURE_REASONS } from '../conversions/ConversionFailureReason.js'
import { SKIP_REASONS, SKIP_REASON_MEANINGS } from '../planning/SkipReason.js'
import { DUST_WARNING_CODES, DUST_WARNING_CODE_MEANINGS } from './DustWarningCode.js'
import { EVENT_JSON_SCHEMA_PATH, buildEventJsonSchema } from './buildEventJsonSchema.js'
import { dustEventSchema } from './eventSchemas.js'

/** Every `$ref` in a JSON document. */
function refsOf(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(refsOf)
  if (node === null || typeof node !== 'object') return []
  return Object.entries(node).flatMap(([key, value]) => (key === '$ref' && typeof value === 'string' ? [value] : refsOf(value)))
}

describe('the JSON Schema of the events', () => {
  it(`is committed at ${EVENT_JSON_SCHEMA_PATH} as the zod definitions generate it`, async () => {
    const committed = await readFile(new URL(`../../../${EVENT_JSON_SCHEMA_PATH}`, import.meta.url), 'utf8').catch(() => '(missing)')
    expect(committed, `${EVENT_JSON_SCHEMA_PATH} is not what the zod definitions generate: run \`npx tsx scripts/writeEventSchema.ts\` and commit the file.`).toBe(buildEventJsonSchema())
  })

  it('is a draft 2020-12 document: one branch per event type, each closed, every $ref to one of its $defs', () => {
    const document: unknown = JSON.parse(buildEventJsonSchema())
    expect(document).toMatchObject({ $schema: 'https://json-schema.org/draft/2020-12/schema', title: 'Dust event' })
    const { oneOf, $defs } = document as {
      oneOf: Array<{ type: string; properties: { event_type: { const: string } }; additionalProperties: boolean; required: string[] }>
      $defs: Record<string, unknown>
    }
    expect(oneOf.map((branch) => branch.properties.event_type.const)).toEqual([
      'dust_checked',
      'dust_detected',
      'dust_converted',
      'dust_conversion_failed',
      'dust_warning',
      'dust_cycle_failed',
      'conversion_state_changed',
    ])
    for (const branch of oneOf) {
      expect([branch.type, branch.additionalProperties]).toEqual(['object', false])
      expect(branch.required).toEqual(expect.arrayContaining(['event_type', 'strategy_mode', 'timestamp']))
    }
    const refs = [...new Set(refsOf(document))].sort()
    expect(refs).toEqual(
      Object.keys($defs)
        .map((name) => `#/$defs/${name}`)
        .sort(),
    )
  })

  it('lists the reasons and warning codes as enums, each documented', () => {
    const text = buildEventJsonSchema()
    for (const code of [...SKIP_REASONS, ...CONVERSION_FAILURE_REASONS, ...DUST_WARNING_CODES]) expect(text).toContain(`"${code}"`)
    expect(Object.keys(SKIP_REASON_MEANINGS)).toEqual([...SKIP_REASONS])
    expect(Object.keys(DUST_WARNING_CODE_MEANINGS)).toEqual([...DUST_WARNING_CODES])
  })
})

describe('dustEventSchema', () => {
  const base = { strategy_mode: 'usdt_test', timestamp: FIXED_TIME }

  it("reads an event of each type as it is, and refuses one that is not of its type's shape", () => {
    const planned = { ...base, event_type: 'conversion_state_changed', conversion_id: 'c1', token: 'EIGEN', venue: 'uniswap_v3', state: 'planned', step: 0, instruction: INSTRUCTION_JSON }
    expect(dustEventSchema.parse(planned)).toEqual(planned)
    const failed = {
      ...base,
      event_type: 'dust_conversion_failed',
      conversion_id: 'c1',
      token: 'EIGEN',
      venue: 'uniswap_v3',
      amount: '1520',
      reason: 'reverted',
      detail: 'Reverted.',
      retryable: false,
      steps: [],
    }
    expect(dustEventSchema.parse(failed)).toEqual(failed)
    expect(dustEventSchema.safeParse({ ...failed, reason: 'swap_exploded' }).success).toBe(false)
    expect(dustEventSchema.safeParse({ ...planned, instruction: { token: 'EIGEN' } }).success).toBe(false)
    expect(dustEventSchema.safeParse({ ...base, event_type: 'dust_warning', code: 'made_up', message: 'x' }).success).toBe(false)
    expect(dustEventSchema.safeParse({ ...base, event_type: 'dust_exploded' }).success).toBe(false)
  })
})

describe('the README', () => {
  it('lists every event type, failure reason, warning code and error code in its Events and codes part', async () => {
    const readme = await readFile(new URL('../../../README.md', import.meta.url), 'utf8')
    const section = readme.slice(readme.indexOf('**Events and codes.**'), readme.indexOf('**Conversions are workflows.**'))
    const listed = new Set([...section.matchAll(/`([a-z_]+)`/g)].map((match) => match[1]))
    const codes = [...dustEventSchema.options.map((option) => option.shape.event_type.value), ...CONVERSION_FAILURE_REASONS, ...DUST_WARNING_CODES, ...ERROR_CODES]
    expect(codes.filter((code) => !listed.has(code))).toEqual([])
  })
})

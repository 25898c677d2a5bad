import type { ConversionRecord } from '../ports/index.js'

/** A conversion record as JSON, snake_case, as the CLI and the HTTP API show it. */
export function serializeConversion(record: ConversionRecord): Record<string, unknown> {
  return {
    id: record.id,
    strategy_mode: record.strategyMode,
    token: record.token,
    venue: record.venue,
    state: record.state,
    step: record.step,
    references: record.references,
    instruction: record.instruction,
    ...(record.detail === undefined ? {} : { detail: record.detail }),
    created_at: record.createdAt,
    updated_at: record.updatedAt,
  }
}

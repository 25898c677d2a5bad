import type { ConversionOutcome, ConversionRecord, StoredConversion } from '../ports/index.js'

/** A conversion record as JSON: what the CLI and the HTTP API show. */
export type ConversionRecordJson = {
  readonly id: string
  readonly strategy_mode: string
  readonly token: string
  readonly venue: string
  readonly state: ConversionRecord['state']
  readonly step: number
  readonly references: readonly string[]
  /** The instruction as the log holds it (see `InstructionJson` for what this version writes). */
  readonly instruction: ConversionRecord['instruction']
  readonly detail?: string
  /** What it really gave, once it converted: from its `dust_converted` event (output, fees, each step with its gas). */
  readonly outcome?: ConversionOutcome
  readonly created_at: number
  readonly updated_at: number
}

/** A conversion record as JSON, snake_case, as the CLI and the HTTP API show it. */
export function serializeConversion(record: StoredConversion): ConversionRecordJson {
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
    ...(record.outcome === undefined ? {} : { outcome: record.outcome }),
    created_at: record.createdAt,
    updated_at: record.updatedAt,
  }
}

import { z } from 'zod'
import {
  conversionStepJsonSchema,
  custodyJsonSchema,
  dustEventSchema,
  dustSnapshotJsonSchema,
  instructionJsonSchema,
  routeCandidateJsonSchema,
  skippedJsonSchema,
  stepRecordSchema,
} from './eventSchemas.js'

/** Where the JSON Schema of the events is committed, from the repository root (the package exports it as `./event-schema`). */
export const EVENT_JSON_SCHEMA_PATH = 'schema/dust-event.schema.json'

/**
 * Builds the JSON Schema (draft 2020-12) of every event this system records, from the same zod
 * definitions the TypeScript types derive from, as the pretty-printed text committed at
 * {@link EVENT_JSON_SCHEMA_PATH}. The same definitions give the same text, key for key.
 */
export function buildEventJsonSchema(): string {
  // Parts that several events share are named once under $defs (a registry of this call only).
  const metadata = z.registry<{ id: string }>()
  metadata.add(dustSnapshotJsonSchema, { id: 'DustSnapshot' })
  metadata.add(custodyJsonSchema, { id: 'Custody' })
  metadata.add(conversionStepJsonSchema, { id: 'ConversionStep' })
  metadata.add(routeCandidateJsonSchema, { id: 'RouteCandidate' })
  metadata.add(instructionJsonSchema, { id: 'Instruction' })
  metadata.add(skippedJsonSchema, { id: 'SkippedConversion' })
  metadata.add(stepRecordSchema, { id: 'StepRecord' })
  const { $schema, ...schema } = z.toJSONSchema(dustEventSchema, { target: 'draft-2020-12', io: 'output', metadata })
  const document = {
    $schema,
    title: 'Dust event',
    description:
      'An event the dust manager records (snake_case, amounts as decimal strings), told apart by event_type. Generated from the zod definitions in src/domain/events/eventSchemas.ts by scripts/writeEventSchema.ts: do not edit by hand.',
    ...schema,
  }
  return `${JSON.stringify(document, null, 2)}\n`
}

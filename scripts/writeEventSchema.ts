import { writeFile } from 'node:fs/promises'
import { EVENT_JSON_SCHEMA_PATH, buildEventJsonSchema } from '../src/domain/events/buildEventJsonSchema.js'

// Writes the events' JSON Schema from their zod definitions: `npx tsx scripts/writeEventSchema.ts`.
const target = new URL(`../${EVENT_JSON_SCHEMA_PATH}`, import.meta.url)
await writeFile(target, buildEventJsonSchema())
console.log(`Wrote ${EVENT_JSON_SCHEMA_PATH}.`)

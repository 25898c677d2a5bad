import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadConfig } from '../src/app/loadConfig.js'
import type { LoadedConfig } from '../src/config/index.js'
import type { ConversionPlan } from '../src/domain/planning/ConversionPlan.js'
import { planConversions } from '../src/engine/planConversions.js'
import { scanStrategy } from '../src/engine/scanStrategy.js'
import type { Strategy } from '../src/engine/Strategy.js'
import { createStrategy } from '../src/app/createStrategy.js'
import { loadVenueBuilders } from '../src/app/venues/loadVenueBuilders.js'
import type { Logger } from '../src/ports/index.js'
import { FIXTURE_CONFIG_YAML } from './fixtureConfig.js'
import { fixtureClock } from './fixtureMoney.js'

const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {} }

/** Validates configuration text as the loader would (no file is read). */
export function fixtureLoadedConfig(text: string = FIXTURE_CONFIG_YAML, env: Record<string, string> = {}): Promise<LoadedConfig> {
  return loadConfig({ text, file: join(tmpdir(), 'fixture.yaml'), env })
}

/** Wires configuration text into a strategy on the fixed clock. */
export async function fixtureStrategy(text: string = FIXTURE_CONFIG_YAML): Promise<Strategy> {
  const { config } = await fixtureLoadedConfig(text)
  return createStrategy({ config, clock: fixtureClock(), venueBuilders: await loadVenueBuilders([config]) })
}

/** Scans and plans a configuration on the fixed clock: a real plan with real figures. */
export async function fixturePlan(text: string = FIXTURE_CONFIG_YAML, ignoreThreshold = false): Promise<ConversionPlan> {
  const strategy = await fixtureStrategy(text)
  const scan = await scanStrategy({ clock: fixtureClock(), logger: quiet }, { strategy })
  return (await planConversions({ logger: quiet }, { strategy, scan, ignoreThreshold })).plan
}

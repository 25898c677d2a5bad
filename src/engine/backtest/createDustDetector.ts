import { detectDust } from '../../domain/dust/index.js'
import type { BacktestReplay, ReplayHour } from './BacktestReplay.js'
import { RATIO_SCALE } from './BacktestRunResult.js'
import type { Detection, RunState } from './RunState.js'
import { createThresholdCheck } from './createThresholdCheck.js'

/** Detects a run's dust at an hour: sets its detection and whether it now exceeds its dust_delta. */
export type DustDetector = (state: RunState, hour: ReplayHour) => void

/**
 * Creates the replay's detector: one `detectDust` per distinct set of holdings per hour (most runs
 * hold the same most of the time), after which each run applies its own dust_delta and hysteresis
 * with the detector's own rule (`evaluateThreshold`, through `createThresholdCheck`).
 */
export function createDustDetector(replay: BacktestReplay): DustDetector {
  const { market, basePolicy } = replay
  let detectedHour = -1
  let detected = new Map<string, Detection>()
  return (state, hour) => {
    if (detectedHour !== hour.index) {
      // A new map rather than `clear()`: a cleared map that has grown old keeps the hour's
      // detections reachable to the young-generation GC, which then moves them all to the old
      // generation, where only a full GC frees them (a third of a grid's time went to GC).
      detected = new Map()
      detectedHour = hour.index
    }
    let detection = detected.get(state.signature)
    if (!detection) {
      const { snapshot } = detectDust({ policy: basePolicy, holdings: state.holdings, priceBook: hour.priceBook, equity: market.equity(hour.index), timestamp: hour.at })
      detection = { snapshot, scaled: (snapshot.dustRatio.numerator * RATIO_SCALE) / snapshot.dustRatio.denominator }
      detected.set(state.signature, detection)
    }
    state.detection = detection
    state.thresholdCheck ??= createThresholdCheck(state.policy)
    state.exceedsThreshold = state.thresholdCheck(detection.snapshot.dustRatio, detection.scaled, state.exceedsThreshold)
  }
}

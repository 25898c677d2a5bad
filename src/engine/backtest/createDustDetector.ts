import { detectDust, evaluateThreshold } from '../../domain/dust/index.js'
import type { BacktestReplay, ReplayHour } from './BacktestReplay.js'
import { RATIO_SCALE } from './BacktestRunResult.js'
import type { Detection, RunState } from './RunState.js'

/** Detects a run's dust at an hour: sets its detection and whether it now exceeds its dust_delta. */
export type DustDetector = (state: RunState, hour: ReplayHour) => void

/**
 * Creates the replay's detector: one `detectDust` per distinct set of holdings per hour (most runs
 * hold the same most of the time), after which each run applies its own dust_delta and hysteresis
 * with the detector's own rule (`evaluateThreshold`).
 */
export function createDustDetector(replay: BacktestReplay): DustDetector {
  const { market, basePolicy } = replay
  let detectedHour = -1
  const detected = new Map<string, Detection>()
  return (state, hour) => {
    if (detectedHour !== hour.index) {
      detected.clear()
      detectedHour = hour.index
    }
    let detection = detected.get(state.signature)
    if (!detection) {
      const { snapshot } = detectDust({ policy: basePolicy, holdings: state.holdings, priceBook: hour.priceBook, equity: market.equity(hour.index), timestamp: hour.at })
      detection = { snapshot, scaled: (snapshot.dustRatio.numerator * RATIO_SCALE) / snapshot.dustRatio.denominator }
      detected.set(state.signature, detection)
    }
    state.detection = detection
    state.exceedsThreshold = evaluateThreshold({
      ratio: detection.snapshot.dustRatio,
      dustDelta: state.policy.dustDelta,
      hysteresis: state.policy.hysteresis,
      previouslyExceeded: state.exceedsThreshold,
    })
  }
}

export { type ApplyConversionEventReturnType, type ConversionRefusal, type ConversionRefusalReason, applyConversionEvent } from './applyConversionEvent.js'
export {
  CONVERSION_FAILURE_REASONS,
  CONVERSION_FAILURE_REASON_MEANINGS,
  type ConversionFailureReason,
  isConversionFailureReason,
} from './ConversionFailureReason.js'
export {
  CONVERSION_STATES,
  type ConversionRecord,
  type ConversionState,
  FINAL_CONVERSION_STATES,
  type FinalConversionState,
  NEXT_CONVERSION_STATES,
  STATE_RANK_IN_STEP,
  isFinalConversionState,
} from './conversionStates.js'

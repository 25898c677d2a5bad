import { z } from 'zod'
import { ERROR_CODES } from '../../errors/ErrorCode.js'
import { CONVERSION_FAILURE_REASONS } from '../conversions/ConversionFailureReason.js'
import { CONVERSION_STATES } from '../conversions/conversionStates.js'
import { SKIP_REASONS } from '../planning/SkipReason.js'
import { CONVERSION_POLICIES } from '../policy/ConversionPolicy.js'
import { DUST_WARNING_CODES } from './DustWarningCode.js'

/*
 * The events this system records, as zod definitions of their JSON (snake_case, decimal
 * strings): the TypeScript types, the JSON Schema shipped to consumers and the checks of
 * recorded events all derive from these. Field order is the order the builders write.
 */

const decimal = z.string().describe('An exact decimal number, as a string.')
const text = z.string()
const timestamp = z.number().int().describe('Wall-clock milliseconds since the Unix epoch.')

/** Where a holding comes from. */
export const holdingSourceSchema = z.enum(['wallet_balance', 'claimable_rewards', 'exchange_balance'])

/** A token and an amount of it. */
const tokenAmountSchema = z.object({ token: text, amount: decimal })

/** A snapshot of one strategy's dust, as `serializeSnapshot` writes it. */
export const dustSnapshotJsonSchema = z.object({
  timestamp,
  strategy_mode: text,
  share_class: text,
  total_dust_value: decimal,
  dust_tokens: z.array(z.object({ token: text, amount: decimal, value: decimal, venue: text, source: holdingSourceSchema })),
  unpriced_tokens: z.array(z.object({ token: text, amount: decimal, venue: text, source: holdingSourceSchema })),
  equity: decimal,
  dust_ratio: decimal,
  dust_delta: decimal,
  exceeds_threshold: z.boolean(),
  /** Present only when the snapshot is incomplete: its figures count only the sources that answered. */
  incomplete_equity: z.object({ failed_sources: z.array(text), unpriced_holdings: z.array(text) }).optional(),
})

/** Where tokens are held: on a chain, or on an exchange. */
export const custodyJsonSchema = z.discriminatedUnion('kind', [z.object({ kind: z.literal('onchain'), chain: text }), z.object({ kind: z.literal('exchange'), exchange: text })])

const path = z.array(text).readonly().describe('The symbols the route goes through, from the token sold to the one bought.')

/** One action of a conversion, as an instruction lists it. */
export const conversionStepJsonSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('claim'), venue: text, token: text, amount: decimal }),
  z.object({ kind: z.literal('transfer'), to: text, token: text, amount: decimal }),
  z.object({ kind: z.literal('approve'), venue: text, token: text, amount: decimal }),
  z.object({ kind: z.literal('swap'), venue: text, path, amount_in: decimal, min_output: decimal }),
  z.object({ kind: z.literal('market_sell'), venue: text, path, amount_in: decimal, min_output: decimal }),
])

/** Why a token or a route is not converted. */
export const skipReasonSchema = z.enum(SKIP_REASONS)

/** A route the planner priced, chosen or not, as `serializeCandidate` writes it. */
export const routeCandidateJsonSchema = z.object({
  venue: text,
  conversion_path: path,
  amount: decimal,
  residual: decimal,
  leftovers: z.array(tokenAmountSchema),
  estimated_output: decimal,
  estimated_fees: decimal,
  trading_fees: decimal,
  price_impact: decimal,
  gas_units: z.string().describe('A whole number of gas units, as a string.'),
  gas_cost: decimal,
  net_output: decimal,
  min_output: decimal,
  /** Why the route cannot be used; absent when it can. */
  rejected: skipReasonSchema.optional(),
  detail: text.optional(),
})

/** A decision to convert one token held in one custody, as `serializeInstruction` writes it. */
export const instructionJsonSchema = z.object({
  token: text,
  amount: decimal,
  target_currency: text,
  venue: text,
  conversion_path: path,
  estimated_output: decimal,
  estimated_fees: decimal,
  min_output: decimal,
  net_output: decimal,
  conversion_id: text,
  strategy_mode: text,
  custody: custodyJsonSchema,
  sources: z.array(z.object({ venue: text, source: holdingSourceSchema, amount: decimal })),
  residual: decimal,
  leftovers: z.array(tokenAmountSchema),
  costs: z.object({ trading_fees: decimal, price_impact: decimal, gas_units: z.string(), gas_cost: decimal }),
  steps: z.array(conversionStepJsonSchema),
  /** Why this route won, in words. */
  reason: text,
  alternatives: z.array(routeCandidateJsonSchema),
})

/** A decision not to convert a token, as `serializeSkipped` writes it. */
export const skippedJsonSchema = z.object({
  token: text,
  custody: custodyJsonSchema.optional(),
  amount: decimal.optional(),
  reason: skipReasonSchema,
  detail: text,
  alternatives: z.array(routeCandidateJsonSchema).optional(),
})

/** A carried-out step as events record it: its transaction hash and block or order id, and the gas it used. */
export const stepRecordSchema = z.object({
  kind: z.enum(['claim', 'transfer', 'approve', 'swap', 'market_sell']),
  venue: text,
  /** Transaction hash or exchange order id. */
  reference: text,
  gas_used: z.string().optional(),
  /** In the chain's native coin. */
  gas_cost: decimal.optional(),
  /** The block the transaction was mined in (on-chain steps), a whole number as a string. */
  block: z.string().regex(/^\d+$/).describe('A block number, as a string of digits.').optional(),
  /**
   * Where a swap meant for the chain's private endpoint was broadcast: `private`, or
   * `public_fallback` when that endpoint failed and `private_rpc_fallback: public` sent it publicly.
   */
  broadcast: z.enum(['private', 'public_fallback']).optional(),
})

const steps = z.array(stepRecordSchema).readonly()

const eventBase = { strategy_mode: text, timestamp }

/** What a strategy's `dust_policy` (other than the seed's threshold) decided this cycle, and why. */
export const dustPolicyDecisionJsonSchema = z.object({
  name: z.enum(CONVERSION_POLICIES),
  converts: z.boolean(),
  why: text.describe(
    'The reason in words, with the figures of a hold: "the dust exceeds the risk budget", "gas is cheap and …", "the dust, 9.5 bps of equity, is within the 20 bps risk budget, and …", ….',
  ),
})

/** A cycle measured a strategy's dust, over the threshold or not (and, under a dust_policy, what the policy decided). */
export const dustCheckedSchema = z.object({
  event_type: z.literal('dust_checked'),
  ...eventBase,
  snapshot: dustSnapshotJsonSchema,
  dust_policy: dustPolicyDecisionJsonSchema
    .optional()
    .describe("The strategy's dust_policy decision this cycle, whether it converts or holds; absent under the seed's threshold, and when the cycle failed before it decided."),
})

/** Dust exceeded the threshold (or the strategy's dust_policy decided to convert); the plan made for it rides along (the seed's `DustEvent`). */
export const dustDetectedSchema = z.object({
  event_type: z.literal('dust_detected'),
  ...eventBase,
  dust_tokens: dustSnapshotJsonSchema.shape.dust_tokens,
  total_value: decimal,
  share_class: text,
  snapshot: dustSnapshotJsonSchema,
  conversion_instructions: z.array(instructionJsonSchema),
  skipped: z.array(skippedJsonSchema),
  dust_policy: dustPolicyDecisionJsonSchema.optional().describe("The strategy's dust_policy decision; absent under the seed's threshold."),
})

/** A conversion finished: tokens sold, share class received. */
export const dustConvertedSchema = z.object({
  event_type: z.literal('dust_converted'),
  ...eventBase,
  conversion_id: text,
  token: text,
  venue: text,
  amount: decimal,
  /**
   * What arrived, in the target currency; `null` when recovery after a restart found the sale
   * confirmed but its venue's answer does not show what arrived (the balances will).
   */
  output: decimal.nullable(),
  fees: decimal,
  target_currency: text,
  instruction: instructionJsonSchema,
  /** Each step carried out: its transaction hash and block or order id, and the gas it used. */
  steps,
})

/** Why a conversion failed. */
export const conversionFailureReasonSchema = z.enum(CONVERSION_FAILURE_REASONS)

/** A conversion failed; the dust is still held. */
export const dustConversionFailedSchema = z.object({
  event_type: z.literal('dust_conversion_failed'),
  ...eventBase,
  conversion_id: text,
  token: text,
  venue: text,
  amount: decimal,
  reason: conversionFailureReasonSchema,
  detail: text,
  retryable: z.boolean(),
  /** Steps carried out before the failure (a claim that went through, an approval). */
  steps,
})

/** What a `dust_warning` is about. */
export const dustWarningCodeSchema = z.enum(DUST_WARNING_CODES)

/** Something an operator should see that did not stop the cycle (an unpriced token, zero equity, a source down). */
export const dustWarningSchema = z.object({
  event_type: z.literal('dust_warning'),
  ...eventBase,
  code: dustWarningCodeSchema,
  message: text,
  /** The figures behind the warning (each source's price when sources disagree). */
  figures: z.record(z.string(), z.string()).readonly().optional(),
  token: text.optional(),
  venue: text.optional(),
})

/** A machine-readable error code. */
export const errorCodeSchema = z.enum(ERROR_CODES)

/** A strategy's cycle could not finish; other strategies went on. */
export const dustCycleFailedSchema = z.object({
  event_type: z.literal('dust_cycle_failed'),
  ...eventBase,
  /** The name of the error's class. */
  error: text,
  code: errorCodeSchema,
  message: text,
})

/** Where a conversion stands. */
export const conversionStateSchema = z.enum(CONVERSION_STATES)

/** A conversion moved to a new state; written before the side effect it announces (crash-only recovery replays these). */
export const conversionStateChangedSchema = z.object({
  event_type: z.literal('conversion_state_changed'),
  ...eventBase,
  conversion_id: text,
  token: text,
  venue: text,
  state: conversionStateSchema,
  /** Index of the instruction step the state is about. */
  step: z.number().int().nonnegative(),
  /** The transaction hash or order id this state records, when it has one. */
  reference: text.optional(),
  detail: text.optional(),
  /** The serialized instruction; carried by `planned`, so that recovery needs nothing else. */
  instruction: instructionJsonSchema.optional(),
})

/** Any event this system records, told apart by `event_type`. */
export const dustEventSchema = z.discriminatedUnion('event_type', [
  dustCheckedSchema,
  dustDetectedSchema,
  dustConvertedSchema,
  dustConversionFailedSchema,
  dustWarningSchema,
  dustCycleFailedSchema,
  conversionStateChangedSchema,
])

/** A snapshot as JSON, with the seed's snake_case names and decimal strings for every number. */
export type DustSnapshotJson = z.output<typeof dustSnapshotJsonSchema>
/** A custody as JSON. */
export type CustodyJson = z.output<typeof custodyJsonSchema>
/** An instruction step as JSON. */
export type ConversionStepJson = z.output<typeof conversionStepJsonSchema>
/** A route candidate as JSON. */
export type RouteCandidateJson = z.output<typeof routeCandidateJsonSchema>
/** An instruction as JSON: what events and conversion records carry. */
export type InstructionJson = z.output<typeof instructionJsonSchema>
/** A skip as JSON. */
export type SkippedJson = z.output<typeof skippedJsonSchema>

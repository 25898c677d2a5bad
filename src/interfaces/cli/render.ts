import { type DustSnapshot, describeIncompleteEquity } from '../../domain/dust/index.js'
import type { DustEvent, DustPolicyDecisionJson } from '../../domain/events.js'
import type { Amount, Fraction } from '../../domain/money/index.js'
import type { ConversionPlan, RouteCandidate } from '../../domain/planning/ConversionPlan.js'
import type { ExecutionOutcome, StepReceipt } from '../../ports/index.js'
import type { DustConversionInstruction } from '../../domain/planning/ConversionPlan.js'
import { formatTable } from './formatTable.js'

/** Shows an amount for people: at most 6 decimals, rounded down, without trailing zeros. */
export function showAmount(amount: Amount): string {
  return amount.toTokens().toDecimalString(Math.min(amount.currency.decimals, 6), 'down')
}

/** Shows a ratio with its basis points: `0.00266 (26.6 bps)`. */
export function showRatio(ratio: Fraction): string {
  return `${ratio.toSignificant(6)} (${ratio.multiply(10_000n).toDecimalString(2)} bps)`
}

/** Renders a snapshot as a header line and a table of dust holdings. */
export function renderSnapshot(snapshot: DustSnapshot): string {
  const share = snapshot.shareClass
  const verdict = snapshot.incomplete ? 'no verdict' : snapshot.exceedsThreshold ? 'EXCEEDS dust_delta' : 'within dust_delta'
  const lines = [
    `${snapshot.strategyMode} (share class ${share}) at ${new Date(snapshot.timestamp).toISOString()}`,
    `  equity ${showAmount(snapshot.equity)} ${share} · dust ${showAmount(snapshot.totalDustValue)} ${share} · ratio ${showRatio(snapshot.dustRatio)} · dust_delta ${snapshot.dustDelta.toSignificant(6)} · ${verdict}`,
  ]
  if (snapshot.incomplete) {
    lines.push(`  INCOMPLETE (incomplete_equity): ${describeIncompleteEquity(snapshot.incomplete)}; the figures above count only what answered, and nothing is planned.`)
  }
  if (snapshot.dustTokens.length === 0 && snapshot.unpricedTokens.length === 0) {
    lines.push('  no dust held')
    return lines.join('\n')
  }
  const rows = [
    ...snapshot.dustTokens.map((token) => [token.token, showAmount(token.amount), showAmount(token.value), token.venue, token.source]),
    ...snapshot.unpricedTokens.map((token) => [token.token, showAmount(token.amount), 'unpriced', token.venue, token.source]),
  ]
  const table = formatTable(['TOKEN', 'AMOUNT', `VALUE (${share})`, 'VENUE', 'SOURCE'], rows, new Set(['AMOUNT', `VALUE (${share})`]))
  lines.push('', ...table.split('\n').map((line) => `  ${line}`))
  return lines.join('\n')
}

function routeRow(candidate: RouteCandidate, marker: string): string[] {
  return [
    marker,
    candidate.venue,
    candidate.path.join('→'),
    showAmount(candidate.amountIn),
    showAmount(candidate.estimatedOutput),
    showAmount(candidate.estimatedFees),
    showAmount(candidate.netOutput),
    candidate.rejection ? candidate.rejection.reason : showAmount(candidate.minOutput),
  ]
}

/** `  dust_policy gas_aware: converts now (the dust exceeds the risk budget).`: a policy's decision, under its plan. */
export function renderPolicyDecision(policy: DustPolicyDecisionJson): string {
  return `  dust_policy ${policy.name}: ${policy.converts ? 'converts now' : 'holds'} (${policy.why}).`
}

/** Renders a plan: the snapshot, each instruction with the routes weighed, and each skip with its reason. */
export function renderPlan(plan: ConversionPlan): string {
  const share = plan.snapshot.shareClass
  const lines = [renderSnapshot(plan.snapshot), '']
  if (plan.instructions.length === 0) lines.push('  No conversion planned.')
  for (const instruction of plan.instructions) {
    const custody = instruction.custody.kind === 'onchain' ? `on ${instruction.custody.chain}` : `on ${instruction.custody.exchange}`
    lines.push(`  Convert ${showAmount(instruction.amount)} ${instruction.token} (${custody}) → ${share} on ${instruction.venue}: ${instruction.reason}`)
    if (instruction.chosen.residual.isPositive()) lines.push(`    ${showAmount(instruction.chosen.residual)} ${instruction.token} stays as residual dust.`)
    for (const leftover of instruction.chosen.leftovers) lines.push(`    ${showAmount(leftover)} ${leftover.currency.symbol} stays unspent on ${instruction.venue} between hops.`)
    const steps = instruction.chosen.steps.map((step) => step.kind).join(' → ')
    lines.push(
      `    steps: ${steps}; gas ${instruction.chosen.gasUnits} units (${showAmount(instruction.chosen.gasCost)} ${share}); trading fees ${showAmount(instruction.chosen.tradingFees)} ${share}; price impact ${showAmount(instruction.chosen.priceImpact)} ${share}`,
    )
    const rows = [routeRow(instruction.chosen, '*'), ...instruction.alternatives.map((candidate) => routeRow(candidate, ''))]
    const header = ['', 'VENUE', 'PATH', 'SELL', 'OUTPUT', 'FEES', 'NET', 'MIN OUTPUT']
    lines.push(
      ...formatTable(header, rows, new Set(['SELL', 'OUTPUT', 'FEES', 'NET', 'MIN OUTPUT']))
        .split('\n')
        .map((line) => `    ${line}`),
      '',
    )
  }
  if (plan.skipped.length > 0) {
    lines.push('  Not converted:')
    const rows = plan.skipped.map((skip) => [skip.token, skip.amount ? showAmount(skip.amount) : '', skip.reason, skip.detail])
    lines.push(
      ...formatTable(['TOKEN', 'AMOUNT', 'REASON', 'DETAIL'], rows, new Set(['AMOUNT']))
        .split('\n')
        .map((line) => `    ${line}`),
    )
  }
  return lines.join('\n').trimEnd()
}

/** Renders one carried-out step: its kind and venue, then its transaction hash and block, or its order id. */
function renderStep(step: StepReceipt): string {
  const where = step.block === undefined ? (step.kind === 'market_sell' ? `order ${step.reference}` : step.reference) : `${step.reference} in block ${step.block}`
  const broadcast = step.broadcast === 'private' ? ' (sent privately)' : step.broadcast === 'public_fallback' ? ' (sent publicly: the private endpoint failed)' : ''
  return `${step.kind} on ${step.venue}: ${where}${broadcast}`
}

/** Renders what executing a plan did: per conversion, its result, then each step carried out. */
export function renderOutcomes(outcomes: ReadonlyArray<{ instruction: DustConversionInstruction; outcome: ExecutionOutcome }>): string {
  if (outcomes.length === 0) return '  Nothing executed.'
  return outcomes
    .map(({ instruction, outcome }) =>
      [
        outcome.status === 'converted'
          ? `  converted ${showAmount(outcome.amountIn)} ${instruction.token} on ${instruction.venue} into ${showAmount(outcome.output)} ${instruction.targetCurrency} (plan said ${showAmount(instruction.estimatedOutput)}, floor ${showAmount(instruction.minOutput)})`
          : `  FAILED ${instruction.token} on ${instruction.venue}: ${outcome.reason}: ${outcome.detail}`,
        ...(outcome.steps ?? []).map((step) => `    ${renderStep(step)}`),
      ].join('\n'),
    )
    .join('\n')
}

/** Renders one event as a line for `monitor`. */
export function renderEvent(event: DustEvent): string {
  const time = new Date(event.timestamp).toISOString()
  const head = `${time} ${event.strategy_mode} ${event.event_type}`
  switch (event.event_type) {
    case 'dust_checked':
      return `${head} dust ${event.snapshot.total_dust_value} ${event.snapshot.share_class}, ratio ${event.snapshot.dust_ratio}${event.snapshot.exceeds_threshold ? ' (exceeds)' : ''}${event.dust_policy ? `; dust_policy ${event.dust_policy.name}: ${event.dust_policy.converts ? 'converts now' : 'holds'} (${event.dust_policy.why})` : ''}`
    case 'dust_detected':
      return `${head} ${event.conversion_instructions.length} conversion(s) planned, ${event.skipped.length} skipped`
    case 'dust_converted':
      return `${head} ${event.amount} ${event.token} → ${event.output ?? 'an unknown amount of'} ${event.target_currency} on ${event.venue}`
    case 'dust_conversion_failed':
      return `${head} ${event.token} on ${event.venue}: ${event.reason}: ${event.detail}`
    case 'dust_warning':
      return `${head} ${event.code}: ${event.message}`
    case 'dust_cycle_failed':
      return `${head} ${event.code}: ${event.message}`
    case 'conversion_state_changed':
      return `${head} ${event.token} on ${event.venue}: ${event.state} (step ${event.step})${event.reference ? ` ${event.reference}` : ''}${event.detail ? `: ${event.detail}` : ''}`
  }
}

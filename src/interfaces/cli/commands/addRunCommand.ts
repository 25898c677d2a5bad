import type { Command } from 'commander'
import { type CliContext, type CommonOptions, EXIT, storeOption, withCommonOptions } from '../createCliContext.js'

/** Adds `dust run --once`: one cycle of the dust manager, executed when the execution mode allows it. */
export function addRunCommand(program: Command, context: CliContext): void {
  withCommonOptions(program.command('run'))
    .description('Run one cycle of the dust manager: scan, plan, and execute when the execution mode is paper (dry-run only records the plan).')
    .requiredOption('--once', 'run a single cycle and exit (the only way `run` works; use `monitor` to keep running)')
    .option('--execute', 'allow live execution when a configuration says execution.mode: live')
    .addOption(storeOption())
    .action(async (options: CommonOptions & { execute?: boolean; store?: string }) => {
      const { io, clock, print } = context
      // The store opens before the strategies are built: their token discovery keeps its cursors there.
      const { loaded, strategies, store } = await context.loadStrategies(options, true, { store: options.store, execute: options.execute })
      // Stopped while the configurations loaded: no cycle is started.
      if (io.stopSignal?.aborted) {
        await store?.close()
        context.exitCode = EXIT.stopped
        return
      }
      const logger = await context.loggerFor(options.logLevel, loaded)
      const [{ createDustManager }, { stepRecords }, { serializeInstruction, serializePlan }, { renderOutcomes, renderPlan, renderPolicyDecision }] = await Promise.all([
        import('../../../engine/createDustManager.js'),
        import('../../../domain/events.js'),
        import('../../../domain/planning/ConversionPlan.js'),
        import('../render.js'),
      ])
      const manager = createDustManager({ strategies, clock, logger, execute: true, store })
      const results = await manager.runOnce().finally(() => store?.close())
      for (const result of results) {
        if (!result.ok) {
          context.failed(result.mode, 'cycle', result.error, options.json)
          continue
        }
        if (result.outcomes.some(({ outcome }) => outcome.status === 'failed')) context.exitCode = EXIT.failure
        const strategy = strategies.find((candidate) => candidate.policy.mode === result.mode)
        if (options.json) {
          print(
            JSON.stringify({
              ...serializePlan(result.plan),
              ...(result.policy ? { dust_policy: result.policy } : {}),
              execution_mode: strategy?.executionMode,
              outcomes: result.outcomes.map(({ instruction, outcome }) => ({
                conversion_id: instruction.conversionId,
                token: instruction.token,
                instruction: serializeInstruction(instruction),
                ...(outcome.status === 'converted'
                  ? { status: outcome.status, amount: outcome.amountIn.toDecimalString(), output: outcome.output.toDecimalString(), fees: outcome.fees.toDecimalString() }
                  : { status: outcome.status, reason: outcome.reason, detail: outcome.detail, retryable: outcome.retryable }),
                steps: stepRecords(outcome.steps),
              })),
            }),
          )
        } else {
          print(renderPlan(result.plan))
          if (result.policy) print(renderPolicyDecision(result.policy))
          print(`\n  Execution mode ${strategy?.executionMode}:`)
          print(strategy?.executionMode === 'dry-run' ? '  dry-run: the plan is recorded, nothing is executed.' : renderOutcomes(result.outcomes))
        }
      }
    })
}

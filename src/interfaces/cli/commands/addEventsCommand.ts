import type { Command } from 'commander'
import { UsageError } from '../../../errors/index.js'
import { parseWholeOption } from '../parseWholeOption.js'
import { type CliContext, type CommonOptions, storeOption, withCommonOptions } from '../createCliContext.js'

/** Adds `dust events`: the event log in order, optionally followed until stopped. */
export function addEventsCommand(program: Command, context: CliContext): void {
  withCommonOptions(program.command('events'))
    .description('Print the event log: every snapshot decision, plan, conversion state and outcome, in order (--follow keeps printing new ones until Ctrl-C).')
    .addOption(storeOption())
    .option('--since <seq>', 'only events after this sequence number', (text) => parseWholeOption('--since', text, 0, Number.MAX_SAFE_INTEGER))
    .option('--limit <n>', 'at most this many events, the oldest first', (text) => parseWholeOption('--limit', text, 1, 1_000_000))
    .option('--last <n>', 'only the newest n events (a tail), still oldest first; with --follow, then the new ones', (text) => parseWholeOption('--last', text, 1, 1_000_000))
    .option('--strategy <mode>', 'only the events of this strategy')
    .option('--follow', 'keep printing new events until interrupted')
    .action(async (options: CommonOptions & { store?: string; since?: number; limit?: number; last?: number; strategy?: string; follow?: boolean }) => {
      const { io, clock, print } = context
      if (options.limit !== undefined && options.last !== undefined) {
        throw new UsageError(`--limit ${options.limit} prints the oldest events and --last ${options.last} the newest; give one of them, not both.`)
      }
      const loaded = await context.loadConfigs(options)
      const { renderEvent } = await import('../render.js')
      const store = await context.openRequiredStore(loaded, options.store)
      try {
        let since = options.since ?? 0
        let left = options.limit
        // With --last, the first page is the log's tail; following goes on from its newest event.
        let tail = options.last === undefined ? undefined : await store.read({ since, last: options.last, strategyMode: options.strategy })
        for (;;) {
          const page = tail ?? (await store.read({ since, limit: left, strategyMode: options.strategy }))
          tail = undefined
          for (const stored of page) {
            print(options.json ? JSON.stringify({ seq: stored.seq, recorded_at: stored.recordedAt, ...stored.event }) : `${String(stored.seq).padStart(6)} ${renderEvent(stored.event)}`)
            since = stored.seq
          }
          if (left !== undefined) left -= page.length
          if (!options.follow || io.stopSignal?.aborted || left === 0) break
          await clock.sleep(1_000, io.stopSignal)
          if (io.stopSignal?.aborted) break
        }
      } finally {
        await store.close()
      }
    })
}

import type { Command } from 'commander'
import { type CliContext, type CommonOptions, storeOption, withCommonOptions } from '../createCliContext.js'

/** Adds `dust conversions`: every conversion on record with its state, step and references. */
export function addConversionsCommand(program: Command, context: CliContext): void {
  withCommonOptions(program.command('conversions'))
    .description('List conversions with their state (planned, claiming, claimed, submitted, confirmed, failed, expired), step, and transaction hashes or order ids.')
    .addOption(storeOption())
    .option('--open', 'only conversions not final yet')
    .option('--strategy <mode>', 'only the conversions of this strategy')
    .action(async (options: CommonOptions & { store?: string; open?: boolean; strategy?: string }) => {
      const { print } = context
      const loaded = await context.loadConfigs(options)
      const [{ serializeConversion }, { formatTable }] = await Promise.all([import('../../serializeConversion.js'), import('../formatTable.js')])
      const store = await context.openRequiredStore(loaded, options.store)
      try {
        const records = await store.conversions({ open: options.open ? true : undefined, strategyMode: options.strategy })
        if (options.json) {
          for (const record of records) {
            print(JSON.stringify(serializeConversion(record)))
          }
        } else if (records.length === 0) print('No conversions on record.')
        else {
          const rows = records.map((record) => [
            record.strategyMode,
            record.token,
            record.venue,
            record.state,
            String(record.step),
            // What arrived, once it converted; `?` when recovery found the sale confirmed but not what it gave.
            record.outcome === undefined ? '-' : `${record.outcome.output ?? '?'} ${record.outcome.target_currency}`,
            new Date(record.updatedAt).toISOString(),
            record.references.join(' '),
          ])
          print(formatTable(['STRATEGY', 'TOKEN', 'VENUE', 'STATE', 'STEP', 'OUTPUT', 'UPDATED', 'REFERENCES'], rows))
        }
      } finally {
        await store.close()
      }
    })
}

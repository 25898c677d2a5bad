import { Command, CommanderError } from 'commander'
import { describe, expect, it } from 'vitest'
import { cliIo } from '../../../../test/cliIo.js'
import { UsageError } from '../../../errors/index.js'
import { createCliContext } from '../createCliContext.js'
import { addBacktestCommand } from './addBacktestCommand.js'
import { addConfigCommand } from './addConfigCommand.js'
import { addConversionsCommand } from './addConversionsCommand.js'
import { addDemoCommand } from './addDemoCommand.js'
import { addEventsCommand } from './addEventsCommand.js'
import { addKeeperCommand } from './addKeeperCommand.js'
import { addMonitorCommand } from './addMonitorCommand.js'
import { addPlanCommand } from './addPlanCommand.js'
import { addRunCommand } from './addRunCommand.js'
import { addScanCommand } from './addScanCommand.js'
import { addServeCommand } from './addServeCommand.js'

/** A fresh program with every command registered, as `runCli` builds it; errors are thrown, not printed. */
function createProgram(): { program: Command; errors: string[] } {
  const errors: string[] = []
  const context = createCliContext(cliIo())
  const program = new Command('dust').exitOverride().configureOutput({ writeOut: () => {}, writeErr: (text) => errors.push(text) })
  for (const add of [
    addScanCommand,
    addPlanCommand,
    addRunCommand,
    addMonitorCommand,
    addEventsCommand,
    addConversionsCommand,
    addServeCommand,
    addDemoCommand,
    addBacktestCommand,
    addConfigCommand,
    addKeeperCommand,
  ]) {
    add(program, context)
  }
  return { program, errors }
}

function commandNamed(program: Command, name: string): Command {
  const command = program.commands.find((candidate) => candidate.name() === name)
  if (command === undefined) throw new Error(`Expected a command named ${name}, found none.`)
  return command
}

const COMMON = ['--config', '--json', '--log-level']

describe('the dust commands', () => {
  it('registers every command with a description and its options', () => {
    const { program } = createProgram()
    const expected: Record<string, string[]> = {
      scan: COMMON,
      plan: [...COMMON, '--ignore-threshold'],
      run: [...COMMON, '--once', '--execute', '--store'],
      monitor: [...COMMON, '--store', '--cycles', '--interval', '--execute', '--workers', '--worker-id', '--lease-seconds'],
      events: [...COMMON, '--store', '--since', '--limit', '--last', '--strategy', '--follow'],
      conversions: [...COMMON, '--store', '--open', '--strategy'],
      serve: [...COMMON, '--store', '--host', '--port', '--execute'],
      demo: ['--data-dir', '--cycles', '--keeper', '--log-level'],
      backtest: [
        '--config',
        '--position',
        '--from',
        '--to',
        '--sweep',
        '--policy',
        '--plots',
        '--no-plots',
        '--data-dir',
        '--grid',
        '--walk-forward',
        '--grid-size',
        '--workers',
        '--progress',
        '--json',
      ],
      config: [],
      keeper: [],
    }
    expect(program.commands.map((command) => command.name())).toEqual(Object.keys(expected))
    for (const [name, options] of Object.entries(expected)) {
      const command = commandNamed(program, name)
      expect(command.description().length, `description of ${name}`).toBeGreaterThan(0)
      expect(command.options.map((option) => option.long)).toEqual(options)
    }
  })

  it('nests check under config, reading configuration files', () => {
    const check = commandNamed(commandNamed(createProgram().program, 'config'), 'check')
    expect(check.description()).toBe('Validate configuration files and show what they resolve to (secrets from ${ENV_VAR} are never shown).')
    expect(check.options.map((option) => option.long)).toEqual(['--config', '--json'])
  })

  it('makes --once mandatory for run and defaults the configuration and log level', () => {
    const { program } = createProgram()
    const run = commandNamed(program, 'run')
    expect(run.options.find((option) => option.long === '--once')?.mandatory).toBe(true)
    expect(run.options.find((option) => option.long === '--config')?.defaultValue).toEqual(['configs/modes/usdt_eth_staking_hedged_simple.yaml'])
    expect(run.options.find((option) => option.long === '--log-level')?.defaultValue).toBe('error')
    expect(commandNamed(program, 'demo').options.find((option) => option.long === '--cycles')?.defaultValue).toBe(1)
  })

  it('refuses run without --once before running anything', async () => {
    const { program, errors } = createProgram()
    const parsing = program.parseAsync(['run'], { from: 'user' })
    await expect(parsing).rejects.toBeInstanceOf(CommanderError)
    expect(errors).toEqual(["error: required option '--once' not specified\n"])
  })

  it("refuses monitor's --cycles outside 1 to 1,000,000 with the option's own message", async () => {
    const { program, errors } = createProgram()
    const parsing = program.parseAsync(['monitor', '--cycles', '0'], { from: 'user' })
    await expect(parsing).rejects.toBeInstanceOf(UsageError)
    await expect(parsing).rejects.toThrow('--cycles takes a whole number from 1 to 1000000, found "0".')
    expect(errors).toEqual([])
  })
})

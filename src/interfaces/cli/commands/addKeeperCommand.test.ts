import { Command } from 'commander'
import { describe, expect, it } from 'vitest'
import { cliIo } from '../../../../test/cliIo.js'
import { createCliContext } from '../createCliContext.js'
import { KEEPER_CHECK_DIFFERS, addKeeperCommand } from './addKeeperCommand.js'

describe('addKeeperCommand', () => {
  it('adds keeper with permissions and check, each taking one required configuration file', () => {
    const program = new Command('dust').exitOverride()
    addKeeperCommand(program, createCliContext(cliIo()))
    const keeper = program.commands.find((command) => command.name() === 'keeper')
    expect(keeper?.commands.map((command) => [command.name(), command.options.map((option) => option.long)])).toEqual([
      ['permissions', ['--config', '--json', '--nonce', '--assume-empty']],
      ['check', ['--config', '--json']],
    ])
    for (const command of keeper?.commands ?? []) expect(command.options.find((option) => option.long === '--config')?.mandatory).toBe(true)
    expect(KEEPER_CHECK_DIFFERS).toBe(3)
  })
})

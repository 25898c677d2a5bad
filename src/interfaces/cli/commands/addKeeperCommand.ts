import type { Command } from 'commander'
import { UsageError } from '../../../errors/index.js'
import type { CliContext } from '../createCliContext.js'
import { parseWholeOption } from '../parseWholeOption.js'

/** The exit code of `dust keeper check` when the chain differs from the configuration (0: no difference, 1: the node failed, 2: bad input). */
export const KEEPER_CHECK_DIFFERS = 3

type PermissionsOptions = { config: string; json?: boolean; nonce?: string; assumeEmpty?: boolean }
type CheckOptions = { config: string; json?: boolean }

const CONFIG_HELP = 'strategy configuration file (YAML or JSON) whose execution.signer is a roles signer (type: roles)'

/** Runs `dust keeper permissions`: the role the configuration needs, and the Safe transaction that applies it. */
async function runPermissions(context: CliContext, options: PermissionsOptions): Promise<void> {
  const nonce = options.nonce === undefined ? undefined : BigInt(parseWholeOption('--nonce', options.nonce, 0, Number.MAX_SAFE_INTEGER))
  if (options.assumeEmpty && nonce === undefined) {
    throw new UsageError('--assume-empty needs --nonce: without reading the chain the Safe nonce is unknown, and the Safe transaction hash signs it.', {
      details: "Give the Safe's next nonce (shown in the Safe app's queue) with --nonce N.",
    })
  }
  const [loaded] = await context.loadConfigs({ config: [options.config] })
  if (loaded === undefined) throw new UsageError('No configuration file was given.')
  const [{ planKeeperPermissions }, { readKeeperChainState }, { renderKeeperPermissions, serializeKeeperPermissions }, { deriveKeeperNeeds }] = await Promise.all([
    import('../../../app/keeper/planKeeperPermissions.js'),
    import('../../../app/keeper/readKeeperChainState.js'),
    import('../renderKeeper.js'),
    import('../../../app/keeper/deriveKeeperNeeds.js'),
  ])
  // Refuses a signer that is not `type: roles` before the chain is read.
  deriveKeeperNeeds(loaded.config, { file: loaded.file })
  const chain = options.assumeEmpty ? undefined : await readKeeperChainState({ config: loaded.config, file: loaded.file })
  const plan = planKeeperPermissions({ config: loaded.config, file: loaded.file, state: chain?.state, nonce: nonce ?? chain?.nonce ?? 0n })
  if (options.json) context.print(JSON.stringify(serializeKeeperPermissions(plan, chain?.state, context.clock.now())))
  else context.print(renderKeeperPermissions(plan, chain?.state))
}

/** Runs `dust keeper check`: every difference between the chain and the configuration; exit KEEPER_CHECK_DIFFERS when there is one. */
async function runCheck(context: CliContext, options: CheckOptions): Promise<void> {
  const [loaded] = await context.loadConfigs({ config: [options.config] })
  if (loaded === undefined) throw new UsageError('No configuration file was given.')
  const [{ checkKeeper }, { readKeeperChainState }, { renderKeeperCheck, serializeKeeperCheck }, { deriveKeeperNeeds }] = await Promise.all([
    import('../../../app/keeper/checkKeeper.js'),
    import('../../../app/keeper/readKeeperChainState.js'),
    import('../renderKeeper.js'),
    import('../../../app/keeper/deriveKeeperNeeds.js'),
  ])
  deriveKeeperNeeds(loaded.config, { file: loaded.file })
  const { state } = await readKeeperChainState({ config: loaded.config, file: loaded.file })
  const { needs, differences } = checkKeeper({ config: loaded.config, file: loaded.file, state })
  const report = { needs, state, differences }
  if (options.json) context.print(JSON.stringify(serializeKeeperCheck(report)))
  else context.print(renderKeeperCheck(report))
  if (differences.length > 0) context.exitCode = KEEPER_CHECK_DIFFERS
}

/** Adds `dust keeper`: the Zodiac Roles role a Safe keeper needs (`permissions`) and whether the chain holds it (`check`). */
export function addKeeperCommand(program: Command, context: CliContext): void {
  const keeper = program
    .command('keeper')
    .description('Work with the keeper role of a roles signer: the bot key acts for a Safe through a Zodiac Roles modifier, allowed only the calls the configuration needs.')
  keeper
    .command('permissions')
    .description(
      "Print, for review, the permissions the keeper role needs (targets, functions, conditions), the modifier calls that turn the chain's role into exactly that role (revoking what is not needed; enabling the modifier on the Safe first if it is not), and the Safe transaction that makes them, with its EIP-712 safeTxHash. Prints that the role already matches, and no transaction, when nothing differs.",
    )
    .requiredOption('-c, --config <file>', CONFIG_HELP)
    .option('--json', 'print one JSON document: the calls, the Safe transaction (every field and safe_tx_hash) and a Safe{Wallet} Transaction Builder batch')
    .option('--nonce <n>', "the Safe nonce to sign the transaction for (default: the Safe's nonce() read from the chain)")
    .option('--assume-empty', 'plan from an empty role on a modifier already enabled on the Safe, without reading the chain (offline review; needs --nonce)')
    .action((options: PermissionsOptions) => runPermissions(context, options))
  keeper
    .command('check')
    .description(
      `Compare the Safe, its Roles modifier and the keeper role on chain with what the configuration needs, and name every difference (dangerous ones marked). Exit codes: 0 no difference, ${KEEPER_CHECK_DIFFERS} differences found, 1 the node did not answer, 2 bad configuration or options.`,
    )
    .requiredOption('-c, --config <file>', CONFIG_HELP)
    .option('--json', 'print one JSON document: { ok, differences: [{ code, danger, words, ... }] }')
    .action((options: CheckOptions) => runCheck(context, options))
}

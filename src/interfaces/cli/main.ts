#!/usr/bin/env node
import { EXIT, runCli } from './runCli.js'

/** Seconds a command may take to stop cleanly after the first SIGINT or SIGTERM before the process ends regardless. */
const STOP_GRACE_MS = 30_000

const SIGNAL_NUMBERS = { SIGINT: 2, SIGTERM: 15 } as const

// The one place that touches the process: arguments, streams, signals and the exit code.
// SIGINT (Ctrl-C) and SIGTERM both stop gracefully: the stop signal aborts, commands that watch it
// finish their cycle in flight and close their stores, the others are abandoned at once. A second
// signal, or a command still running STOP_GRACE_MS later, ends the process at once; crash recovery
// resumes what it left. A command that watches the signal and finished its work cleanly keeps
// its own exit code (`monitor` and `serve` stopped on request exit 0, as a service manager
// expects of a clean stop); work cut short exits 128 + the signal's number (130, 143).
const stop = new AbortController()
let received: keyof typeof SIGNAL_NUMBERS | undefined
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    const code = 128 + SIGNAL_NUMBERS[signal]
    if (received !== undefined) process.exit(code)
    received = signal
    stop.abort(signal)
    setTimeout(() => process.exit(code), STOP_GRACE_MS).unref()
  })
}

const code = await runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  stopSignal: stop.signal,
  progressStream: process.stderr,
})
if (received === undefined) process.exitCode = code
// Work abandoned on the signal (a scan, a read) must not keep the process alive.
else process.exit(code === EXIT.stopped ? 128 + SIGNAL_NUMBERS[received] : code)

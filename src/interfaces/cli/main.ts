#!/usr/bin/env node
import { runCli } from './runCli.js'

// The one place that touches the process: arguments, streams, signals and the exit code.
const stop = new AbortController()
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => stop.abort())

const code = await runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  stopSignal: stop.signal,
  progressStream: process.stderr,
})
process.exitCode = code

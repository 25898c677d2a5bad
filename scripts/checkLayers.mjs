// Checks the layer rules of .dependency-cruiser.cjs over src/ and exits non-zero on a violation:
// `npm run check:layers`. It calls dependency-cruiser's API because its command line refuses
// Node 20, which this project supports (package.json "engines").
import { createRequire } from 'node:module'
import { cruise } from 'dependency-cruiser'

const require = createRequire(import.meta.url)
const config = require('../.dependency-cruiser.cjs')
const roots = process.argv.slice(2)
const result = await cruise(roots.length > 0 ? roots : ['src'], { ...config.options, ruleSet: { forbidden: config.forbidden }, validate: true, outputType: 'err' })
process.stdout.write(typeof result.output === 'string' ? result.output : '')
process.exitCode = result.exitCode === 0 ? 0 : 1

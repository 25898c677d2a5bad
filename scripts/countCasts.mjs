// Counts type assertions (`x as T`, `<T>x`; `as const` excluded) in the
// non-test TypeScript files under a folder: `node scripts/countCasts.mjs src [--list]`.
import ts from 'typescript'
import { readFileSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'

const root = process.argv[2] ?? 'src'
const list = process.argv.includes('--list')
const files = []
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) walk(path)
    else if (path.endsWith('.ts') && !path.endsWith('.test.ts')) files.push(path)
  }
}
walk(root)
let total = 0
const perFile = new Map()
for (const file of files) {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true)
  const visit = (node) => {
    if ((ts.isAsExpression(node) || ts.isTypeAssertionExpression(node)) && node.type.getText(source) !== 'const') {
      total += 1
      perFile.set(file, (perFile.get(file) ?? []).concat(`${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}: ${node.getText(source).replace(/\s+/g, ' ').slice(0, 100)}`))
    }
    ts.forEachChild(node, visit)
  }
  visit(source)
}
if (list) {
  for (const [file, casts] of [...perFile].sort((a, b) => b[1].length - a[1].length)) {
    console.log(`${file} (${casts.length})`)
    for (const cast of casts) console.log(`  ${cast}`)
  }
}
console.log(total)

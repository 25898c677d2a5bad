// The layers of src/ (see STYLE.md, "The shape we aim for"), written down as a check that fails:
// `npm run check:layers` (part of `npm test`), proven to catch each kind of violation by
// test/architecture.test.ts. Type-only imports count: a layer that names another's types
// depends on it as much as one that calls it.

/** Node's core modules that do I/O (files, network, processes): `config` reads nothing itself. */
const IO_CORE_MODULES = '^(node:)?(fs|fs/promises|net|http|https|http2|child_process|dgram|dns|tls|worker_threads|cluster)$'

// Tests beside the code wire real components together (a real SQLite store under an engine test,
// a real chain under an adapter test), as STYLE.md asks; the layer rules are about what ships.
const SHIPPED = { pathNot: '\\.test\\.ts$' }

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      severity: 'error',
      comment:
        'domain is pure: it may import domain, src/errors (the base layer) and zod, nothing else. No node: ' +
        'modules, no viem, ccxt, better-sqlite3, pg, fastify, pino, hardhat, and no outer layer.',
      from: { path: '^src/domain/', ...SHIPPED },
      to: { pathNot: ['^src/domain/', '^src/errors/', '^node_modules/zod/'] },
    },
    {
      name: 'errors-is-the-base-layer',
      severity: 'error',
      comment: 'errors (BaseError, its families, the ErrorCode union) is imported by every layer, so it imports none.',
      from: { path: '^src/errors/', ...SHIPPED },
      to: { pathNot: '^src/errors/' },
    },
    {
      name: 'ports-name-domain-types-only',
      severity: 'error',
      comment: 'ports are interfaces over domain types: they import domain, errors and other ports, no implementation.',
      from: { path: '^src/ports/', ...SHIPPED },
      to: { pathNot: ['^src/domain/', '^src/errors/', '^src/ports/'] },
    },
    {
      name: 'engine-not-to-outer-layers',
      severity: 'error',
      comment: 'engine wires domain and ports; the adapters behind the ports are chosen by app, so engine never imports ' + 'adapters, app, interfaces or config (it gets settings as values).',
      from: { path: '^src/engine/', ...SHIPPED },
      to: { path: ['^src/adapters/', '^src/app/', '^src/interfaces/', '^src/config/'] },
    },
    {
      name: 'config-does-no-io',
      severity: 'error',
      comment: 'config is schema and validation: reading files, asking an exchange or opening a socket is an adapter’s ' + 'job (app hands config the text). node:path and node:crypto are fine.',
      from: { path: '^src/config/', ...SHIPPED },
      to: { path: ['^src/adapters/', '^src/app/', '^src/interfaces/', '^src/engine/', '^node_modules/ccxt/', IO_CORE_MODULES] },
    },
    {
      name: 'adapters-not-to-inner-wiring',
      severity: 'error',
      comment: 'an adapter implements a port for one real thing; it never reaches up into engine, app or interfaces.',
      from: { path: '^src/adapters/', ...SHIPPED },
      to: { path: ['^src/engine/', '^src/app/', '^src/interfaces/'] },
    },
    {
      name: 'interfaces-through-app',
      severity: 'error',
      comment: 'the CLI and the HTTP API get their adapters from the composition root (src/app), never directly.',
      from: { path: '^src/interfaces/', ...SHIPPED },
      to: { path: '^src/adapters/' },
    },
    {
      name: 'app-not-to-interfaces',
      severity: 'error',
      comment: 'the composition root wires the layers below it; the CLI and the HTTP API use it, never the other way round.',
      from: { path: '^src/app/', ...SHIPPED },
      to: { path: '^src/interfaces/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'an import cycle makes load order matter and layers meaningless; shared code goes one level down.',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['(^|/)dist/', '(^|/)node_modules/'] },
    // Counts `import type` too (dependency-cruiser reads the `.js` specifiers of NodeNext sources as their `.ts` files).
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'], mainFields: ['module', 'main', 'types', 'typings'] },
  },
}

# syntax=docker/dockerfile:1
# The dust manager's image: `dust serve` (the monitor loops, the HTTP API, the dashboard at / and
# Prometheus metrics at /metrics) on port 8080, as the unprivileged `node` user.
#
# Three stages on one base image, so that the native module compiled in one runs in another:
#   build      every dependency, then `npm run build` (tsc and the CLI bundle) into dist/
#   prod-deps  the production dependencies alone, better-sqlite3 compiled for this base
#   runtime    prod-deps' node_modules, dist/ and the files the package ships; nothing else
# test/deployment.test.ts reads this file: keep its instructions one per line.
ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: the package's own `prepare` would build before the sources are here. esbuild,
# which bundles the CLI, is the one dependency whose install script the build needs.
RUN npm ci --ignore-scripts --no-audit --no-fund && npm rebuild esbuild
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY src ./src
RUN npm run build

FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /app
# better-sqlite3 downloads a prebuilt binary when one matches, and compiles itself (python3, make,
# g++) when none does; either way it is built here, on the runtime's own base.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
# Of the production dependencies' install scripts only better-sqlite3's builds something the
# runtime needs (keccak and bufferutil ship prebuilt binaries, ccxt's prints a banner).
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm rebuild better-sqlite3 && npm cache clean --force

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY --from=prod-deps /app/node_modules ./node_modules
COPY package.json package-lock.json README.md ./
COPY --from=build /app/dist ./dist
COPY schema ./schema
COPY web ./web
COPY configs ./configs
COPY ops ./ops
# The files above stay root's, read-only to the process; var/ is where the default SQLite event
# log goes when DATABASE_URL is not set (mount a volume there to keep it).
RUN mkdir -p var && chown node:node var
USER node
EXPOSE 8080
# Node's own fetch: the slim image has no curl. /health reads the event store: 200 when it can.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 CMD ["node", "-e", "fetch('http://127.0.0.1:8080/health', { signal: AbortSignal.timeout(4000) }).then((response) => process.exit(response.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "dist/cli/main.js"]
CMD ["serve", "--host", "0.0.0.0", "--port", "8080"]

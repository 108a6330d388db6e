# switchboard: compiled output on Node 20, run as the unprivileged `node` user.
# Build: docker build -t switchboard .      Run several instances: compose.yaml (README § Deployment).

# The builder has the compilers better-sqlite3 falls back to when no prebuilt binary fits, and
# the dev dependencies the build needs; only the production node_modules and dist/ leave it.
FROM node:20-bookworm-slim AS builder
WORKDIR /app
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci
COPY scripts ./scripts
COPY src ./src
COPY adapters ./adapters
COPY web ./web
COPY drizzle ./drizzle
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000 DATA_DIR=/data FAQ_DIR=/app/faq
WORKDIR /app
COPY --from=builder /app/node_modules ./node_modules
COPY --from=builder /app/dist ./dist
COPY package.json ./
COPY bin ./bin
# The sample knowledge base; mount your own over /app/faq (writable by uid 1000 if agents approve FAQ suggestions).
COPY --chown=node:node faq ./faq
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME /data
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/readyz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# bin/switchboard.mjs runs dist/ as is: the image carries no sources to rebuild from.
CMD ["node", "bin/switchboard.mjs", "start"]

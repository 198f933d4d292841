# One image for the whole MHHS data gateway: the Apollo Federation 2 gateway
# and the four subgraphs. docker-compose.yml starts each process from this
# image with a different `command`; the default CMD is the gateway.
FROM node:20-bookworm-slim

ENV NODE_ENV=production \
    NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_AUDIT=false

WORKDIR /app

# Dependencies first so the layer is cached until the lockfile changes.
# tsx is a runtime dependency (the services run TypeScript directly), so it
# survives --omit=dev.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force

# Source. Owned by root and read-only to the runtime user on purpose.
COPY tsconfig.json ./
COPY schema ./schema
COPY core ./core
COPY subgraphs ./subgraphs
COPY gateway ./gateway
COPY dev ./dev
COPY clients ./clients
COPY scripts ./scripts

# /keys/* are the compose key volumes (scripts/keys.ts writes them as `node`); /data the local dev keys. A new named
# volume copies this ownership.
RUN mkdir -p /data /keys/source /keys/gateway /keys/subgraphs /keys/dev-tokens && chown -R node:node /data /keys

# Never run as root: the official Node image ships the unprivileged `node` user.
USER node

# Listen on every interface inside the container; `npm start` outside Docker keeps to 127.0.0.1.
ENV PORT=4000 \
    HOST=0.0.0.0
# Gateway 4000; subgraphs registration 4001, metering-data 4002,
# appointment 4003, settlement 4004.
EXPOSE 4000 4001 4002 4003 4004

# scripts/serve-gateway.ts is gateway/main.ts with the dev-key fallback (keys in /data); set AUTH_JWKS_FILE/URL and
# INTERNAL_CONTEXT_*_JWK in production, or run gateway/main.ts, which takes keys from the environment only.
CMD ["npx", "tsx", "scripts/serve-gateway.ts"]

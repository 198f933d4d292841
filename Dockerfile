# One image for the whole MHHS data gateway: the Apollo Federation 2 gateway, the four subgraphs and the seed.
# docker-compose.yml starts each process from this image with a different `command`; the default CMD is the gateway.
#
# Two stages: `build` installs every dependency and compiles TypeScript to dist/ (`npm run build`); the runtime stage
# holds only production dependencies and the compiled JavaScript, and runs it with plain `node` (no tsx, no npx, no
# embedded PostgreSQL: that is a dev dependency, and production takes DATABASE_URL).

FROM node:24-bookworm-slim AS build
ENV NPM_CONFIG_UPDATE_NOTIFIER=false NPM_CONFIG_FUND=false NPM_CONFIG_AUDIT=false
WORKDIR /app
# Dependencies first so the layer is cached until the lockfile changes.
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY schema ./schema
COPY core ./core
COPY subgraphs ./subgraphs
COPY gateway ./gateway
COPY dev ./dev
COPY scripts ./scripts
RUN npm run build

FROM node:24-bookworm-slim
ENV NODE_ENV=production \
    NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_AUDIT=false
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force
# Compiled code and the files it reads (SDL, migrations, supergraph, playground). Owned by root, read-only to the
# runtime user on purpose.
COPY --from=build /app/dist ./dist

# /keys/* are the compose key volumes (scripts/keys.ts writes them as `node`); /data the local dev keys. A new named
# volume copies this ownership.
RUN mkdir -p /data /keys/source /keys/gateway /keys/subgraphs /keys/dev-tokens && chown -R node:node /data /keys

# Never run as root: the official Node image ships the unprivileged `node` user.
USER node

# Listen on every interface inside the container; `npm start` outside Docker keeps to 127.0.0.1.
ENV PORT=4000 \
    HOST=0.0.0.0
# Gateway 4000; subgraphs registration 4001, metering-data 4002, appointment 4003, settlement 4004.
EXPOSE 4000 4001 4002 4003 4004

# node is PID 1's only child under `init: true` (compose) or PID 1 itself: either way it receives SIGTERM and drains
# (SHUTDOWN_GRACE_SECONDS, default 10 s; compose's stop_grace_period leaves it room).
STOPSIGNAL SIGTERM

# dist/scripts/serve-gateway.js is gateway/main.ts with the dev-key fallback (keys in /data); set AUTH_JWKS_FILE/URL
# and INTERNAL_CONTEXT_*_JWK in production, or run dist/gateway/main.js, which takes keys from the environment only.
# The gateway's Node flags are gateway/node-flags.ts's (a larger young generation: see there why).
CMD ["node", "--max-semi-space-size=64", "dist/scripts/serve-gateway.js"]

# syntax=docker/dockerfile:1
# One image per app: docker build --target api|migrator|relay -t <name>:<tag> .
# Node matches the project's pinned `node` devDependency (24.x).
ARG NODE_IMAGE=node:24.21.0-bookworm-slim

FROM ${NODE_IMAGE} AS workspace
WORKDIR /workspace
ENV NX_DAEMON=false NX_NO_CLOUD=true NX_TUI=false CI=true
COPY package.json package-lock.json ./
# Not `npm ci`: the lockfile lacks other platforms' optional binaries (README).
RUN npm install --no-audit --no-fund
COPY . .

FROM workspace AS build-api
RUN npx nx build api

FROM workspace AS build-migrator
RUN npx nx build migrator

FROM workspace AS build-relay
RUN npx nx build relay

# Each app's dist folder has a package.json and lockfile of its production dependencies only.
FROM ${NODE_IMAGE} AS deps-api
WORKDIR /app
COPY --from=build-api /workspace/dist/apps/api/ ./
RUN npm install --omit=dev --no-audit --no-fund

FROM ${NODE_IMAGE} AS deps-migrator
WORKDIR /app
COPY --from=build-migrator /workspace/dist/apps/migrator/ ./
RUN npm install --omit=dev --no-audit --no-fund

FROM ${NODE_IMAGE} AS deps-relay
WORKDIR /app
COPY --from=build-relay /workspace/dist/apps/relay/ ./
RUN npm install --omit=dev --no-audit --no-fund

FROM ${NODE_IMAGE} AS runtime
# Sized for the pod's 512Mi limit: a 32 MiB semi-space (V8 would size it
# from the node's memory, not the pod's) and an old space well under the limit.
ENV NODE_ENV=production NODE_OPTIONS="--max-semi-space-size=32 --max-old-space-size=384"
WORKDIR /app
# Files stay root-owned and read-only to the app's user, which writes nothing
# (a read-only root filesystem works; /tmp is the only place it may write).
# The apps run with node alone: package managers in the image would only be attack surface.
RUN groupadd --gid 10001 carthub \
  && useradd --uid 10001 --gid 10001 --no-create-home --home-dir /tmp --shell /usr/sbin/nologin carthub \
  && rm -rf /usr/local/lib/node_modules /usr/local/bin/npm /usr/local/bin/npx /usr/local/bin/corepack \
    /usr/local/bin/yarn /usr/local/bin/yarnpkg /opt/yarn-*

FROM runtime AS migrator
COPY --from=deps-migrator /app/ ./
USER 10001:10001
ENTRYPOINT ["node", "main.js"]
CMD ["up"]

FROM runtime AS relay
# Sized for the relay pod's 192Mi limit (k8s/base/relay-deployment.yaml).
ENV NODE_OPTIONS="--max-semi-space-size=8 --max-old-space-size=128"
COPY --from=deps-relay /app/ ./
USER 10001:10001
EXPOSE 8001
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.RELAY_PORT || 8001}/health`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "main.js"]

# Last, so a plain `docker build .` gives the API.
FROM runtime AS api
COPY --from=deps-api /app/ ./
USER 10001:10001
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT || 8000}/health/live`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "main.js"]

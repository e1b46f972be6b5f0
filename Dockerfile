# Multi-stage build: compile TypeScript, then run on a slim image as a non-root user.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY cmd cmd
COPY common common
COPY core_func core_func
COPY feed feed
COPY state state
COPY emulator emulator
COPY gate gate
COPY module module
COPY network network
RUN npx tsc -p tsconfig.build.json && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production LOG_FORMAT=json
WORKDIR /app
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/dist dist
COPY package.json LICENSE ./
COPY scripts scripts
COPY web web
RUN mkdir -p /app/db && chown -R node:node /app/db
USER node
EXPOSE 10003
# Point it at OpenIM with OPENIM_API_ADDRESS / OPENIM_WS_ADDRESS; without them it runs the embedded emulator.
CMD ["node", "node_modules/zx/build/cli.js", "scripts/start.mjs", "--foreground"]

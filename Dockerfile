# The bridge as a container image: compile TypeScript, then run on a slim Node image as a non-root user.
#   docker build -t openim-jssdk-bridge .
#   docker run -p 10003:10003 -e OPENIM_API_ADDRESS=http://openim-server:10002 -e OPENIM_WS_ADDRESS=ws://openim-server:10001 openim-jssdk-bridge
# Without OPENIM_API_ADDRESS / OPENIM_WS_ADDRESS it runs the embedded emulator (development only).
# NODE_IMAGE names the base (Node 20 or later, with npm, and a user `node`): another registry's copy
# of the official image, for instance.
ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY client client
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

FROM ${NODE_IMAGE}
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
# The bridge is PID 1 itself: SIGTERM reaches it directly and starts its graceful shutdown.
STOPSIGNAL SIGTERM
CMD ["node", "dist/cmd/main.js"]

# fisherd as a container (sidecar beside a training job).
#
#   docker build -t fisherd .
#   docker run --rm -p 7070:7070 -e FISHERD_TOKEN=change-me -v fisherd-data:/data fisherd
#
# Stage 1 compiles TypeScript with the dev dependencies; stage 2 holds only production dependencies, the
# compiled code, OpenBLAS (the default compute backend) and tini (PID 1 that forwards SIGTERM and reaps).

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY proto ./proto
COPY src ./src
COPY bench ./bench
COPY clients/ts ./clients/ts
RUN npm run build

FROM node:20-bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends libopenblas0-pthread tini \
 && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY proto ./proto
COPY data ./data
RUN mkdir -p /data && chown node:node /data
USER node
# Checkpoints and traces live here; mount a volume to keep them across container restarts.
VOLUME ["/data"]
# Inside a container fisherd listens on all interfaces, which requires a bearer token (FISHERD_TOKEN).
ENV FISHERD_HOST=0.0.0.0 \
    FISHERD_PORT=7070 \
    FISHERD_DATA_DIR=/data
EXPOSE 7070
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.FISHERD_PORT||7070)+'/livez').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "dist/src/cli/main.js", "serve"]

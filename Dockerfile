# fisherd as a container (sidecar beside a training job). docs/deploy.md has the docker run and
# Kubernetes recipes.
#
#   docker build -t fisherd .
#   docker run --rm -p 7070:7070 -e FISHERD_TOKEN=change-me -v fisherd-data:/data fisherd
#
# Stage 1 compiles TypeScript with the dev dependencies and the native kernels with gcc; stage 2 holds only the production dependencies,
# the compiled code, OpenBLAS (the default compute backend) and tini (PID 1: forwards SIGTERM to node and
# reaps zombies, so that `docker stop` / a pod's termination drains the sessions).
#
# `npm ci --ignore-scripts`: the only install scripts in the tree are gl's (an optional dependency of
# gpu.js that would try a download and then a native compile, and fail here without a toolchain) and
# koffi's fallback build (its prebuilt binary comes from the @koromix/koffi-linux-* package), and
# bufferutil's (ws's optional native masking; node-gyp-build loads its shipped prebuilt binary at run time
# without the script). Skipping
# them makes the build the same with every npm version and needs no network beyond the npm registry.
# fisherd's own install script (the native kernels) runs explicitly as `npm run build:native`, which fails the
# build if they do not compile.

ARG NODE_IMAGE=docker.io/library/node:20-bookworm-slim

FROM ${NODE_IMAGE} AS build
# gcc for fisherd's native kernels (native/fisherd-kernels.c; the image without them would run the JavaScript
# passes, ~4x slower per coordinate: bench/RESULTS.md)
RUN apt-get update \
 && apt-get install -y --no-install-recommends gcc libc6-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY native ./native
RUN npm run build:native
COPY tsconfig.json tsconfig.build.json ./
COPY proto ./proto
COPY src ./src
COPY bench ./bench
COPY clients/ts ./clients/ts
RUN npm run build

FROM ${NODE_IMAGE}
RUN apt-get update \
 && apt-get install -y --no-install-recommends libopenblas0-pthread libisal2 tini \
 && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
# webgpu (a dependency of gpu.js that fisherd never loads: its async kernels are not used) ships Dawn
# binaries for every OS; the macOS and Windows ones are ~60 MB of dead weight in a Linux image.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force \
 && find node_modules -name '*.node' \( -name '*darwin*' -o -name '*win32*' \) -delete
COPY --from=build /app/dist ./dist
COPY --from=build /app/native/build ./native/build
# proto/ is read at run time (the trace schema hash); data/ holds the lab's small data sets.
COPY proto ./proto
COPY data ./data
# Checkpoints and traces live in /data; mount a volume there to keep them across container restarts.
RUN mkdir -p /data && chown 1000:1000 /data
VOLUME ["/data"]
# The image's `node` user, by number so that Kubernetes' runAsNonRoot can verify it without /etc/passwd.
USER 1000:1000
# Inside a container fisherd listens on all interfaces, which requires a bearer token (FISHERD_TOKEN);
# without one it refuses to start and says so.
ENV FISHERD_HOST=0.0.0.0 \
    FISHERD_PORT=7070 \
    FISHERD_DATA_DIR=/data
EXPOSE 7070
# /livez needs no token. Node's fetch, so that the image needs no curl.
HEALTHCHECK --interval=10s --timeout=3s --start-period=15s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.FISHERD_PORT||7070)+'/livez').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
STOPSIGNAL SIGTERM
LABEL org.opencontainers.image.title="fisherd" \
      org.opencontainers.image.description="Streaming Fisher / empirical Fisher / gradient-noise estimates and preconditioned updates over WebSocket" \
      org.opencontainers.image.licenses="MIT"
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "dist/src/cli/main.js", "serve"]

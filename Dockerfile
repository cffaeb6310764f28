# The COAR command-line tool (`npm run coar`) as a container, for schedulers (docs/SCALE-OUT.md).
#
#   docker build -t coar .
#   docker run --rm coar run --help
#   docker run --rm -v "$PWD/shards:/shards" coar run \
#     --model public/models/fashion-resnet/model.json --data public/data/fashion-mnist-test \
#     --examples 8 --masks 100 --val-masks 0 --out /shards/run.coar
#
# The bundled models and data sets (public/models, public/data) are in the image, so the recipes in
# deploy/ run as they are; mount your own model and images and pass their paths instead.
FROM node:22-slim

WORKDIR /app

# Dependencies first, so the layer is reused while only the sources change. A plain `npm ci`
# (development dependencies included): the CLI runs its TypeScript sources through tsx.
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund && npm cache clean --force

COPY tsconfig.json ./
COPY src ./src
COPY public/models ./public/models
COPY public/data ./public/data

# The image's own unprivileged user; a mounted volume must be writable by it (uid/gid 1000:
# fsGroup 1000 in deploy/kubernetes/coar-run-job.yaml).
USER node

# SIGTERM (a scheduler's stop) reaches node directly: the run finishes the chunk in flight, saves
# and exits; the same command resumes it.
ENTRYPOINT ["node", "--import", "tsx", "src/cli/main.ts"]
CMD ["--help"]

# trustscan as a container image.
#
#   docker build -t trustscan .
#   docker run --rm --read-only --tmpfs /tmp -v "$PWD:/work:ro" trustscan iac /work/infra
#   docker run --rm --read-only --tmpfs /tmp -e AWS_PROFILE -v ~/.aws:/home/node/.aws:ro trustscan scan aws
#
# Debian slim Node base; runs as the unprivileged `node` user; needs no writable root file
# system (outputs go to stdout or to a mounted folder; temporary files to the /tmp tmpfs).

# Build: compile, pack the npm package, install it with its native modules (history store).
FROM node:20-bookworm-slim AS build
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY tsconfig.json tsconfig.build.json README.md ./
COPY bin bin
COPY src src
COPY rules rules
COPY frameworks frameworks
COPY docs docs
RUN npm run build && npm pack --ignore-scripts && npm install -g --prefix /opt/trustscan --no-audit --no-fund ./trustscan-*.tgz

# Run: only the installed package.
FROM node:20-bookworm-slim
ENV NODE_ENV=production TMPDIR=/tmp
COPY --from=build /opt/trustscan /opt/trustscan
ENV PATH=/opt/trustscan/bin:$PATH
USER node
WORKDIR /work
ENTRYPOINT ["trustscan"]
CMD ["--help"]

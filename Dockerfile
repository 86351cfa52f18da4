# AkkaRedis server image, in the shape of the official redis image: runs as the unprivileged user
# `akkaredis`, keeps its working files in /data, listens on 6379 on every interface, and takes the same
# arguments as the server (a config file and/or --name value options):
#   docker run -p 6379:6379 akkaredis
#   docker run akkaredis --maxmemory 100mb
#   docker run -v "$PWD/redis.conf:/etc/akkaredis/redis.conf:ro" akkaredis /etc/akkaredis/redis.conf --port 7000
#
# Two ways to build it (see README.md, "Docker"):
#   docker build -t akkaredis .      SDK image builds the server, runtime-deps image runs it (needs mcr.microsoft.com)
#   scripts/docker-build             offline: publishes on the host and builds the `prebuilt` target on a local
#                                    Debian base image (RUNTIME_IMAGE=akkaredis-base:bookworm)
# The `prebuilt` target comes before the SDK stage on purpose: the classic builder builds every stage up to
# the target, so `--target prebuilt` never needs the SDK image.

ARG SDK_IMAGE=mcr.microsoft.com/dotnet/sdk:10.0
ARG RUNTIME_IMAGE=mcr.microsoft.com/dotnet/runtime-deps:10.0

# ---------------------------------------------------------------- what both ways share
FROM ${RUNTIME_IMAGE} AS runtime
# Fixed ids, as the redis image, so that volumes keep their owner across image versions (any free id on a base
# image where 999 is taken).
RUN set -eu; \
    groupadd --system --gid 999 akkaredis || groupadd --system akkaredis; \
    useradd --system --uid 999 --gid akkaredis --home-dir /data --no-create-home --shell /usr/sbin/nologin akkaredis \
      || useradd --system --gid akkaredis --home-dir /data --no-create-home --shell /usr/sbin/nologin akkaredis; \
    mkdir -p /data /etc/akkaredis; \
    chown akkaredis:akkaredis /data
# Lua 5.1 with cjson and bitop, which EVAL and FCALL run in (scripts/docker-build's base image has them already;
# the runtime-deps image gets them from its Debian mirror).
RUN set -eu; \
    if ! dpkg -s liblua5.1-0 lua-cjson lua-bitop >/dev/null 2>&1; then \
      apt-get update -qq; \
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends liblua5.1-0 lua-cjson lua-bitop; \
      rm -rf /var/lib/apt/lists/*; \
    fi
COPY docker/docker-entrypoint.sh docker/docker-healthcheck docker/akkaredis-image-setup /usr/local/bin/
ENV PATH=/opt/akkaredis:$PATH
VOLUME /data
WORKDIR /data
EXPOSE 6379
# Healthy while the server answers PING (PONG, or NOAUTH when a password is set) on the port it listens on.
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 CMD ["docker-healthcheck"]
# The entrypoint ends in `exec`: the server is PID 1 and gets `docker stop`'s SIGTERM itself.
ENTRYPOINT ["docker-entrypoint.sh"]
CMD ["akkaredis-server"]

# ---------------------------------------------------------------- offline: a publish directory made on the host
# (dotnet publish src/Host/AkkaRedis.Host.csproj -c Release -r linux-x64 --self-contained -o artifacts/docker/app)
# The classic builder (DOCKER_BUILDKIT=0, or Docker < 23) builds this stage on its way to the default target
# too, where no publish directory may exist: hence the wildcard `ap[p]`, which may match nothing, next to a
# file that always exists (removed again by the setup script). BuildKit skips this stage for the default target.
FROM runtime AS prebuilt
COPY docker/README.md artifacts/docker/ap[p] /opt/akkaredis/
RUN akkaredis-image-setup prebuilt

# ---------------------------------------------------------------- build with the SDK image
FROM ${SDK_IMAGE} AS build
ARG TARGETARCH
WORKDIR /src
# Restore first, from the project files only, so that the restore layer survives source changes.
COPY Directory.Build.props ./
COPY src/Net/AkkaRedis.Net.csproj src/Net/
COPY src/Actors/AkkaRedis.Actors.csproj src/Actors/
COPY src/Host/AkkaRedis.Host.csproj src/Host/
RUN case "${TARGETARCH:-amd64}" in arm64) rid=linux-arm64 ;; *) rid=linux-x64 ;; esac; \
    dotnet restore src/Host/AkkaRedis.Host.csproj -r "$rid"
COPY HOCON/ HOCON/
COPY src/ src/
RUN case "${TARGETARCH:-amd64}" in arm64) rid=linux-arm64 ;; *) rid=linux-x64 ;; esac; \
    dotnet publish src/Host/AkkaRedis.Host.csproj -c Release -r "$rid" --self-contained --no-restore -o /app

# ---------------------------------------------------------------- the default target
FROM runtime AS final
COPY --from=build /app/ /opt/akkaredis/
RUN akkaredis-image-setup

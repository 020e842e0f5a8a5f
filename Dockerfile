# Vokter: build and test on Debian 12, then run as a non-root user with the database on /data.
#   docker build -t vokter .
#   docker run -p 8080:8080 -v vokter-data:/data vokter
# Configure with VOKTER_* environment variables (see `vokter serve --help`).

# --- Build stage: the same Debian packages as a developer's machine; the tests must pass. -----
# (promtool, aiosmtpd and openssl are the metrics and notification tests' tools.)
FROM debian:bookworm-slim AS build
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      cmake g++ make pkg-config libcpp-httplib-dev libsqlite3-dev libre2-dev libicu-dev \
      libcld2-dev nlohmann-json3-dev doctest-dev libtomlplusplus-dev libcli11-dev libssl-dev \
      libgoogle-perftools-dev libxml2-dev libcmark-dev libpq-dev libcurl4-openssl-dev nginx \
      prometheus python3-aiosmtpd openssl \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY CMakeLists.txt ./
COPY cmake cmake
COPY schema schema
COPY rules rules
COPY service service
COPY tests tests
COPY deploy deploy
# The suites run here unless VOKTER_TESTS=OFF (CI builds so: it runs them on the host already).
# Their PostgreSQL runs need a server, which the image does not hold: make test runs those.
ARG VOKTER_TESTS=ON
RUN cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DVOKTER_BUILD_TESTS="$VOKTER_TESTS" \
      -DVOKTER_TEST_POSTGRESQL=OFF \
 && cmake --build build -j"$(nproc)" \
 && if [ "$VOKTER_TESTS" = ON ]; then cd build && ctest --output-on-failure --timeout 600; fi \
 && strip /src/build/vokter

# --- Runtime stage: only the shared libraries vokter links. ----------------------------------
FROM debian:bookworm-slim
ARG VOKTER_VERSION=unknown
LABEL org.opencontainers.image.title="Vokter" \
      org.opencontainers.image.description="Self-hosted comment moderation" \
      org.opencontainers.image.version="$VOKTER_VERSION"
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      libcpp-httplib0.11 libsqlite3-0 libre2-9 libicu72 libcld2-0 libtomlplusplus3 libssl3 \
      libtcmalloc-minimal4 libxml2 libcmark0.30.2 libpq5 libcurl4 ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 vokter \
 && useradd --system --uid 10001 --gid vokter --home-dir /data --shell /usr/sbin/nologin vokter \
 && mkdir -p /data && chown vokter:vokter /data
COPY --from=build /src/build/vokter /usr/local/bin/vokter
USER vokter
WORKDIR /data
VOLUME ["/data"]
ENV VOKTER_LISTEN=0.0.0.0:8080 \
    VOKTER_DB=/data/vokter.db
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=3s --start-period=5s --retries=3 \
  CMD ["vokter", "healthcheck"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["vokter"]
CMD ["serve"]

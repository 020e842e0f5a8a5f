# Vokter: the two commands of the README, and a few more for developers.
#   make run    install what is missing, build (release) and serve on 127.0.0.1:8080
#   make test   install what is missing, build (debug) and run every test suite, browser tests too
JOBS ?= 2
RELEASE := build/release
DEBUG := build/debug

.PHONY: run test test-browser test-akismet test-openapi build deps format lint bench asan fuzz fuzz-build clean \
	image test-image

deps:
	@scripts/install-deps.sh build

build: deps
	@cmake -S . -B $(RELEASE) -DCMAKE_BUILD_TYPE=Release -DVOKTER_BUILD_TESTS=OFF >/dev/null
	@cmake --build $(RELEASE) --target vokter -j$(JOBS)

run: build
	./$(RELEASE)/vokter serve

test:
	@scripts/install-deps.sh build bench postgresql
	@cmake -S . -B $(DEBUG) -DCMAKE_BUILD_TYPE=Debug -DVOKTER_BUILD_BENCH=ON >/dev/null
	@cmake --build $(DEBUG) -j$(JOBS)
	cd $(DEBUG) && ctest --output-on-failure --timeout 600
	@$(MAKE) --no-print-directory test-browser
	@$(MAKE) --no-print-directory test-akismet
	@$(MAKE) --no-print-directory test-openapi
	@$(MAKE) --no-print-directory fuzz

# The widget and the moderator page in Debian's Chromium, driven by playwright-core from npm
# (never a downloaded browser). Needs the npm registry for `npm ci`.
test-browser:
	@scripts/install-deps.sh build browser
	@cmake -S . -B $(DEBUG) -DCMAKE_BUILD_TYPE=Debug >/dev/null
	@cmake --build $(DEBUG) --target vokter -j$(JOBS)
	cd tests/browser && npm ci --no-audit --no-fund --loglevel=error
	cd tests/browser && VOKTER_BINARY=$(CURDIR)/$(DEBUG)/vokter timeout 600 node --test *.test.js

# The Akismet-compatible API driven by the npm clients akismet-api 6.x and akismet 2.x against
# the real binary (tests/akismet, node's built-in test runner).
test-akismet:
	@scripts/install-deps.sh build akismet
	@cmake -S . -B $(DEBUG) -DCMAKE_BUILD_TYPE=Debug >/dev/null
	@cmake --build $(DEBUG) --target vokter -j$(JOBS)
	cd tests/akismet && npm ci --no-audit --no-fund --loglevel=error && \
		VOKTER_BINARY=$(CURDIR)/$(DEBUG)/vokter node --test

# The OpenAPI 3.1 document the real binary serves at /openapi.json, checked by
# @seriousme/openapi-schema-validator, and real answers checked against it (tests/openapi).
test-openapi:
	@scripts/install-deps.sh build akismet
	@cmake -S . -B $(DEBUG) -DCMAKE_BUILD_TYPE=Debug >/dev/null
	@cmake --build $(DEBUG) --target vokter -j$(JOBS)
	cd tests/openapi && npm ci --no-audit --no-fund --loglevel=error && \
		VOKTER_BINARY=$(CURDIR)/$(DEBUG)/vokter node --test

# clang with AddressSanitizer, UndefinedBehaviorSanitizer and libFuzzer's coverage: one build
# (build/asan, -O1 as libFuzzer advises) for the fuzz targets and the sanitized test suites.
ASAN := build/asan
fuzz-build:
	@scripts/install-deps.sh build bench fuzz postgresql
	@CXX=clang++ cmake -S . -B $(ASAN) -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-g -O1" \
		-DVOKTER_FUZZ=ON \
		-DVOKTER_BUILD_BENCH=OFF >/dev/null
	@cmake --build $(ASAN) --target fuzzers -j$(JOBS)

# Every fuzz target for FUZZ_SECONDS (30) on its seed corpus, after replaying its reproducers;
# JOBS targets at a time (a fuzzer uses one core).
FUZZ_SECONDS ?= 30
fuzz: fuzz-build
	fuzz/run.sh --build $(ASAN) --seconds $(FUZZ_SECONDS) --parallel $(JOBS)

# The C++ suites under AddressSanitizer and UndefinedBehaviorSanitizer (CI runs it after
# `make test`; the fuzz targets, which `make fuzz` runs, are left out here).
asan: fuzz-build
	@cmake --build $(ASAN) -j$(JOBS)
	cd $(ASAN) && ASAN_OPTIONS=detect_leaks=1 ctest --output-on-failure --timeout 1800 -LE fuzz

# The container image, built from the Dockerfile by buildah (no Docker engine): the Debian base
# is bootstrapped from the archive and cached in build/image; IMAGE_FLAGS=--no-tests leaves the
# suites out of the image's build stage (CI, which runs them on the host).
IMAGE_FLAGS ?=
image:
	scripts/image/build.sh $(IMAGE_FLAGS)

# Runs the built image as an operator would (serve on /data, post, SIGTERM, restart, libraries),
# then what docker-compose.yml describes: two replicas of it on PostgreSQL behind nginx.
test-image: image
	tests/image/test_image.sh
	tests/image/test_compose.sh

bench:
	@scripts/install-deps.sh build bench postgresql
	bench/run.sh

format:
	clang-format -i $$(git ls-files '*.cpp' '*.hpp')

lint:
	clang-format --dry-run -Werror $$(git ls-files '*.cpp' '*.hpp')

clean:
	rm -rf build

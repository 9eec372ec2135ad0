# The two commands of the README. Each first installs what is missing (scripts/setup.sh).
.PHONY: setup demo demo-api test bench

setup:
	@bash scripts/setup.sh

# Train the breast-cancer MLP end to end from its YAML config (fledge train): progress lines, then the
# run directory and its validation and test metrics. Runs go to runs/ (git-ignored).
demo: setup
	swift build -c release --product fledge
	.build/release/fledge train Examples/configs/binary.yaml

# The same kind of model trained through the Swift API (Examples/fledge-demo).
demo-api: setup
	swift run -c release fledge-demo

# Build and run every test (debug build; tests keep tensors small). The PostgreSQL tests use a throwaway
# server on loopback (scripts/postgres-test-server.sh; see docs/postgres.md), or the server named by
# FLEDGE_TEST_POSTGRES_URL when it is set; they skip with a message where PostgreSQL is not installed.
test: setup
	swift build --build-tests
	@url="$${FLEDGE_TEST_POSTGRES_URL:-}"; \
	if [ -z "$$url" ]; then url=$$(bash scripts/postgres-test-server.sh start) || exit 1; fi; \
	echo "PostgreSQL for the tests: $${url:-none (the PostgreSQL tests skip)}"; \
	FLEDGE_TEST_POSTGRES_URL="$$url" swift test --skip-build --parallel

# The engine benchmark (release build, JSON lines).
bench: setup
	swift build -c release --product fledge-bench
	.build/release/fledge-bench mlp --variant big --threads 1

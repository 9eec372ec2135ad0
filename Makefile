# The two commands of the README. Each first installs what is missing (scripts/setup.sh).
.PHONY: setup demo test bench

setup:
	@bash scripts/setup.sh

# Train an MLP on the breast-cancer data through the Swift API and print its validation accuracy.
demo: setup
	swift run -c release fledge-demo

# Build and run every test (debug build; tests keep tensors small).
test: setup
	swift build --build-tests
	swift test --skip-build --parallel

# The engine benchmark (release build, JSON lines).
bench: setup
	swift build -c release --product fledge-bench
	.build/release/fledge-bench mlp --variant big --threads 1

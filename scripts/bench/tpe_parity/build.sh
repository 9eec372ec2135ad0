#!/usr/bin/env bash
# Builds the TPE parity harness: Fledge's own sampler sources (Sources/FledgeTune/Samplers, Space,
# records; unchanged but for their `import Fledge...` lines and SearchSpace's config initialiser)
# compiled with main.swift into one small executable, without building the package.
# Usage: scripts/bench/tpe_parity/build.sh [OUT_DIR=/tmp/tpe-harness]   (then parity.py --harness OUT_DIR/harness)
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
SRC="$(cd "$HERE/../../../Sources" && pwd)"
OUT="${1:-/tmp/tpe-harness}"
rm -rf "$OUT/src" && mkdir -p "$OUT/src"
for f in FledgeTensor/Random/SeededGenerator.swift FledgeTune/Samplers/Sampler.swift FledgeTune/Samplers/ParzenEstimator.swift \
         FledgeTune/Samplers/TPESampler.swift FledgeTune/Space/Distribution.swift FledgeTune/Storage/StudyRecords.swift \
         FledgeTune/Study/TrialState.swift FledgeTune/Study/StudyDirection.swift; do
  grep -v '^import Fledge' "$SRC/$f" > "$OUT/src/$(basename "$f")"
done
python3 - "$SRC/FledgeTune/Space/SearchSpace.swift" "$OUT/src/SearchSpace.swift" <<'PY'
import sys
src = "\n".join(l for l in open(sys.argv[1]).read().splitlines() if not l.startswith("import Fledge"))
a, b = src.index("    /// The space a config's `tune.params`"), src.index("    /// The parameter called `name`.")
open(sys.argv[2], "w").write(src[:a] + src[b:] + "\n")
PY
cat > "$OUT/src/Stubs.swift" <<'S'
/// FledgeTrain's ConfigValue, as far as Distribution needs it.
public enum ConfigValue: Sendable, Equatable {
    case int(Int), double(Double), string(String)
    public var yamlText: String { switch self { case let .int(i): "\(i)"; case let .double(d): "\(d)"; case let .string(s): s } }
}
S
cp "$HERE/main.swift" "$OUT/src/main.swift"
swiftc -O -module-name TPEParity "$OUT"/src/*.swift -o "$OUT/harness"
echo "built $OUT/harness"

import ArgumentParser
import FledgeTensor
import Foundation

/// `fledge-bench math-ops`: times the elementwise, reduction and softmax ops on the shapes an MLP
/// sees ([256, 512] activations, [256, 10] logits) and on a 1M-element tensor, one JSON line per
/// op. `scripts/bench/math_ops_torch.py` prints the same lines for PyTorch eager.
struct MathOpsBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "math-ops", abstract: "Time the math ops.")

    @Option(help: "Threads for parallel loops.") var threads = 1
    @Option(help: "Only ops whose name contains this.") var filter = ""

    func run() throws {
        Threading.setThreadCount(threads)
        var generator = SeededGenerator(seed: 0)
        func sample(_ shape: Shape) -> Tensor {
            Tensor.uniform(shape, lowerBound: -3, upperBound: 3, generator: &generator)
        }
        let hidden = sample([256, 512]), bias = sample([512]), column = sample([256, 1])
        let logits = sample([256, 10]), big = sample([1024, 1024]), big2 = sample([1024, 1024])
        let positive = big.abs() + 0.01
        let cases: [(String, Tensor, () -> Tensor)] = [
            ("add", big, { big + big2 }), ("add_row_broadcast", hidden, { hidden + bias }),
            ("multiply_column_broadcast", hidden, { hidden * column }), ("add_scalar", big, { big + 1 }),
            ("relu", hidden, { hidden.relu() }), ("exp", big, { big.exp() }), ("log", big, { positive.log() }),
            ("tanh", big, { big.tanh() }), ("sigmoid", big, { big.sigmoid() }), ("gelu", big, { big.gelu() }),
            ("gelu_tanh", big, { big.gelu(approximation: .tanh) }), ("softplus", big, { big.softplus() }),
            ("sum", big, { big.sum() }), ("sum_axis0", hidden, { hidden.sum(axes: [0]) }),
            ("sum_axis1", hidden, { hidden.sum(axes: [1]) }), ("max_axis1", big, { big.max(axes: [1]) }),
            ("variance_axis0", hidden, { hidden.variance(axes: [0]) }),
            ("logsumexp_axis1", big, { big.logSumExp(axes: [1]) }),
            ("softmax", logits, { logits.softmax() }), ("log_softmax", logits, { logits.logSoftmax() }),
            ("softmax_rows", big, { big.softmax() }), ("softmax_axis0", big, { big.softmax(axis: 0) }),
        ]
        for (name, input, body) in cases where filter.isEmpty || name.contains(filter) {
            report(name, input: input, time(body))
        }
        let leaf = hidden.requiringGradient(), leafBias = bias.requiringGradient()
        if filter.isEmpty || "relu_bias_backward".contains(filter) {
            report("relu_bias_backward", input: hidden, time { (leaf + leafBias).relu().sum().backward(); return leaf })
        }
        let logitsLeaf = logits.requiringGradient()
        if filter.isEmpty || "log_softmax_backward".contains(filter) {
            report("log_softmax_backward", input: logits, time { logitsLeaf.logSoftmax().sum().backward(); return logitsLeaf })
        }
    }

    /// Best of five timed repeats (each ≥ ~20 ms), in microseconds per call, and the foreign load.
    func time(_ body: () -> Tensor) -> (microseconds: Double, foreign: Double) {
        let start = Stopwatch()
        var calls = 0
        while start.elapsed < 0.02 || calls < 3 {
            _ = body()
            calls += 1
        }
        var best = Double.infinity, foreign = 0.0
        for _ in 0..<5 {
            let watch = Stopwatch()
            for _ in 0..<calls { _ = body() }
            best = Swift.min(best, watch.elapsed / Double(calls) * 1e6)
            foreign = Swift.max(foreign, watch.foreignCores)
        }
        return (best, foreign)
    }

    func report(_ name: String, input: Tensor, _ timing: (microseconds: Double, foreign: Double)) {
        printJSONLine([
            "op": name, "shape": input.shape.dimensions, "threads": threads, "us": rounded(timing.microseconds, 2),
            "gelem_per_s": rounded(Double(input.count) / timing.microseconds / 1e3, 2),
            "foreign_cores": rounded(timing.foreign, 2),
        ])
    }
}

import ArgumentParser
import FledgeNN
import FledgeOptim
import FledgeTensor

/// `fledge-bench deep-mlp`: a few Adam steps of a deep, wide MLP (default 16 hidden layers of
/// 1024) on random data, reporting seconds per step and what a step keeps for backward and at its
/// peak — to measure gradient checkpointing's memory saving and its recomputation cost (and
/// bf16-mixed's). Run one configuration per process so `vm_hwm_kb` is its own.
struct DeepMLPBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "deep-mlp",
                                                    abstract: "Memory and time per step of a deep MLP.")

    @Option(help: "Hidden layers.") var depth = 16
    @Option(help: "Width of every layer (inputs too).") var width = 1024
    @Option var batchSize = 1024
    @Option(help: "Timed steps (after one warm-up step).") var steps = 4
    @Option var threads = 1
    @Option(help: "32-true or bf16-mixed.") var precision = "32-true"
    @Flag(help: "Recompute activations in backward (⌈√steps⌉ segments).") var gradientCheckpointing = false

    func validate() throws {
        guard depth >= 1, width >= 1, batchSize >= 1, steps >= 1, threads >= 1 else {
            throw ValidationError("--depth, --width, --batch-size, --steps and --threads must be at least 1")
        }
        do { _ = try Precision(name: precision) } catch { throw ValidationError("--precision: \(error)") }
    }

    func run() throws {
        Threading.setThreadCount(threads)
        let precision = try Precision(name: precision)
        var generator = SeededGenerator(seed: 1)
        MemoryStatistics.start()
        let inputs = Tensor.normal([batchSize, width], generator: &generator)
        let targets = IndexTensor((0..<batchSize).map { _ in Int(generator.next() % 10) })
        let model = MLP(inputSize: width, layers: Array(repeating: width, count: depth), outputSize: 10, seed: 1)
        model.setPrecision(precision)
        model.gradientCheckpointing = gradientCheckpointing
        let optimizer = Adam(model.namedParameters, learningRate: 1e-4)
        var memory = MemoryProbe()
        var seconds: [Double] = []
        var loss: Float = 0
        for step in 0...steps {
            let watch = Stopwatch()
            optimizer.zeroGradients()
            let value = memory.measureForward { crossEntropy(model(inputs), targets: targets) }
            value.backward()
            optimizer.step()
            loss = value.item
            if step > 0 { seconds.append(watch.elapsed) }
        }
        let sorted = seconds.sorted()
        printJSONLine(memory.report(model: model, precision: precision).merging([
            "benchmark": "deep-mlp", "depth": depth, "width": width, "batch": batchSize, "threads": threads,
            "precision": precision.rawValue, "gradient_checkpointing": gradientCheckpointing,
            "checkpoint_segments": model.layers.checkpointSegments ?? 0,
            "seconds_per_step_median": rounded(sorted[sorted.count / 2], 4), "seconds_per_step": seconds.map { rounded($0, 4) },
            "final_loss": rounded(Double(loss), 4), "parameter_bytes": 4 * model.parameterCount,
        ]) { $1 })
    }
}

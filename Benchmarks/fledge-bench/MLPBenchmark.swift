import ArgumentParser
import FledgeNN
import FledgeOptim
import FledgeTensor

/// `fledge-bench mlp`: trains the two MLPs of `../shared/peers/bench_mlp_torch.py` the same way
/// (Adam lr 1e-3, cross-entropy, 3 epochs, shuffled each epoch, last partial batch dropped) and
/// reports samples/s, µs/step, the training FLOP rate and accuracy, plus the sgemm rate of the
/// same run so the two can be compared. `--precision bf16-mixed` trains in bf16-mixed precision;
/// every run reports what its steps keep for backward and its peak memory (`MemoryProbe`).
struct MLPBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "mlp", abstract: "Train the benchmark MLP.")

    enum Variant: String, ExpressibleByArgument, CaseIterable {
        case big, tiny
        var features: Int { self == .big ? 64 : 20 }
        var informative: Int { self == .big ? 32 : 10 }
        var redundant: Int { self == .big ? 16 : 5 }
        var hidden: [Int] { self == .big ? [512, 512] : [32] }
        var batchSize: Int { self == .big ? 256 : 32 }
    }

    @Option(help: "big (64→512→512→10, batch 256) or tiny (20→32→10, batch 32).") var variant: Variant = .big
    @Option(help: "Threads for GEMM and parallel loops.") var threads = 1
    @Option(help: "Directory written by `peer_data.py --export` (bit-identical data); generated if omitted.")
    var data: String?
    @Option var epochs = 3
    @Option var seed: UInt64 = 0
    @Option(help: "32-true (default) or bf16-mixed (bf16 GEMM operands and stored activations).")
    var precision = "32-true"
    @Option(help: "Override the variant's batch size (memory comparisons at larger batches).")
    var batchSize: Int?

    func validate() throws {
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
        guard epochs >= 1 else { throw ValidationError("--epochs must be at least 1") }
        guard (batchSize ?? 1) >= 1 else { throw ValidationError("--batch-size must be at least 1") }
        do { _ = try Precision(name: precision) } catch { throw ValidationError("--precision: \(error)") }
    }

    func run() throws {
        Threading.setThreadCount(threads)
        let precision = try Precision(name: precision)
        let dataset = try data.map { try BenchmarkData.load(variant: variant.rawValue, featureCount: variant.features, directory: $0) }
            ?? BenchmarkData.generate(featureCount: variant.features, informative: variant.informative, redundant: variant.redundant)
        MemoryStatistics.start()
        let model = MLP(inputSize: variant.features, layers: variant.hidden, outputSize: BenchmarkData.classCount,
                        activation: .relu, seed: seed)
        model.setPrecision(precision)
        let optimizer = Adam(model.namedParameters, learningRate: 1e-3)
        let batchSize = self.batchSize ?? variant.batchSize
        var memory = MemoryProbe()
        let stepsPerEpoch = dataset.trainCount / batchSize
        var generator = SeededGenerator(seed: seed)
        var epochSeconds: [Double] = []
        var foreign: [Double] = []
        for epoch in 1...epochs {
            let order = Array(0..<dataset.trainCount).shuffled(using: &generator)
            var lastLoss: Float = 0
            let watch = Stopwatch()
            for step in 0..<stepsPerEpoch {
                let rows = order[(step * batchSize)..<((step + 1) * batchSize)]
                let (inputs, targets) = batch(dataset.trainFeatures, dataset.trainLabels, rows: rows, featureCount: variant.features)
                optimizer.zeroGradients()
                let loss = step == stepsPerEpoch - 1
                    ? memory.measureForward { crossEntropy(model(inputs), targets: targets) }
                    : crossEntropy(model(inputs), targets: targets)
                loss.backward()
                optimizer.step()
                if step == stepsPerEpoch - 1 { lastLoss = loss.item }
            }
            epochSeconds.append(watch.elapsed)
            foreign.append(watch.foreignCores)
            printJSONLine(["variant": variant.rawValue, "epoch": epoch, "seconds": rounded(epochSeconds.last!, 3),
                           "samples_per_s": rounded(Double(stepsPerEpoch * batchSize) / epochSeconds.last!),
                           "last_batch_loss": rounded(Double(lastLoss), 4), "foreign_cores": rounded(foreign.last!, 2)])
        }
        let steady = epochs > 1 ? Array(epochSeconds.dropFirst()) : epochSeconds
        let steadySeconds = steady.reduce(0, +)
        let steadySteps = Double(stepsPerEpoch * steady.count)
        let samplesPerSecond = steadySteps * Double(batchSize) / steadySeconds
        let memoryFields = memory.report(model: model, precision: precision)
        let sgemm = measureSGEMM(m: 1024, n: 1024, k: 1024, threads: threads)
        printJSONLine(sgemm)
        if precision == .bfloat16Mixed { printJSONLine(measureBFloat16GEMM(m: 1024, n: 1024, k: 1024, threads: threads)) }
        let gflops = trainingFLOPsPerSample(layerSizes: [variant.features] + variant.hidden + [BenchmarkData.classCount])
            * samplesPerSecond / 1e9
        printJSONLine(memoryFields.merging([
            "variant": variant.rawValue, "threads": threads, "epochs": epochs, "batch": batchSize,
            "precision": precision.rawValue,
            "bf16_gemm": precision == .bfloat16Mixed ? GEMM.bfloat16KernelDescription : "none",
            "samples_per_s": rounded(samplesPerSecond), "us_per_step": rounded(1e6 * steadySeconds / steadySteps),
            "gflops": rounded(gflops), "gflops_vs_sgemm": rounded(gflops / (sgemm["gflops"] as! Double), 3),
            "train_accuracy": rounded(accuracy(model, dataset.trainFeatures, dataset.trainLabels, variant.features), 4),
            "val_accuracy": rounded(accuracy(model, dataset.validationFeatures, dataset.validationLabels, variant.features), 4),
            "foreign_cores": foreign.map { rounded($0, 2) }, "gemm": GEMM.kernelDescription,
            "data": data == nil ? "generated" : "peer_data export",
        ]) { $1 })
    }

    /// Copies the chosen rows into a batch tensor and their labels into an index tensor.
    func batch(_ features: [Float], _ labels: [Int], rows: ArraySlice<Int>, featureCount: Int) -> (Tensor, IndexTensor) {
        var inputs = Tensor(uninitializedShape: [rows.count, featureCount])
        inputs.withUnsafeMutableBufferPointer { out in
            features.withUnsafeBufferPointer { source in
                for (position, row) in rows.enumerated() {
                    (out.baseAddress! + position * featureCount)
                        .update(from: source.baseAddress! + row * featureCount, count: featureCount)
                }
            }
        }
        return (inputs, IndexTensor(rows.map { labels[$0] }))
    }

    /// Fraction of rows whose arg-max prediction equals the label, evaluated in chunks without gradients.
    func accuracy(_ model: MLP, _ features: [Float], _ labels: [Int], _ featureCount: Int) -> Double {
        model.eval()
        defer { model.train() }
        var correct = 0
        let chunk = 4096
        for start in stride(from: 0, to: labels.count, by: chunk) {
            let rows = start..<Swift.min(labels.count, start + chunk)
            let (inputs, targets) = batch(features, labels, rows: ArraySlice(Array(rows)), featureCount: featureCount)
            let predicted = withoutGradients { model(inputs) }.argmax(axis: 1)
            correct += zip(predicted.indices, targets.indices).filter { $0 == $1 }.count
        }
        return Double(correct) / Double(labels.count)
    }
}

/// Multiply-add FLOPs of one training sample: forward (2·in·out per layer), the weight gradient of
/// every layer (same again) and the input gradient of every layer but the first (its input is
/// data, so no gradient is computed). Element-wise work is not counted, as is usual.
func trainingFLOPsPerSample(layerSizes: [Int]) -> Double {
    let layers = zip(layerSizes, layerSizes.dropFirst()).map { 2 * Double($0) * Double($1) }
    let forward = layers.reduce(0, +)
    return forward + forward + (forward - layers[0])
}

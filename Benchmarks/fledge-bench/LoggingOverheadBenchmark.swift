import ArgumentParser
import FledgeTensor
import FledgeTrain
import Foundation

/// `fledge-bench logging-overhead`: what logging, plots, progress output and the run report cost
/// on the engine benchmark's big MLP (64→512→512→10, batch 256, Adam 1e-3, the `mlp` command's
/// data), measured in one process. Each repetition trains the same seeded model once per mode, in a
/// rotating order, and records the CPU seconds of `fit()` (all threads; with one thread the
/// shared machine's load distorts CPU time less than wall time), the wall time and the foreign load:
///
/// - `bare`: no callbacks at all (no metrics.jsonl, plots, progress or report);
/// - `lines-no-report`: the standard callbacks without `RunReportWriter`, plain progress lines;
/// - `lines`: what `fledge train` does when stdout is a file (CI): standard callbacks + progress lines;
/// - `bar`: the live progress bar instead (drawn into a file: the terminal's own cost is not ours);
/// - `verbose`: the worst case: a line per step, `log_every_n_steps: 1`, TensorBoard event files.
///
/// Progress output goes to files in the work directory. Every callback is wrapped in a
/// `TimedCallback`, so each run also reports the CPU time spent inside the callbacks' hooks
/// (`hooks_pct`: their share of the run's CPU time, less what timing an empty callback costs), a
/// direct measure that the machine's load distorts far less than the difference between two runs.
struct LoggingOverheadBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logging-overhead", abstract: "CPU cost of logging, plots, progress and the run report on the big MLP.")

    enum Mode: String, CaseIterable {
        case bare, linesNoReport = "lines-no-report", lines, bar, verbose
    }

    @Option(help: "Repetitions of every mode.") var repeats = 5
    @Option(help: "Epochs per training run.") var epochs = 3
    @Option(help: "Threads for GEMM and parallel loops.") var threads = 1
    @Option(help: "Rows of generated data (80% train, 20% validation).") var rows = 100_000
    @Option(help: "Where the data, runs and progress files go (default: a temporary directory, removed after).")
    var work: String?

    func run() throws {
        Threading.setThreadCount(threads)
        let directory = URL(fileURLWithPath: work ?? NSTemporaryDirectory() + "fledge-logging-overhead-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { if work == nil { try? FileManager.default.removeItem(at: directory) } }
        let data = BenchmarkData.generate(featureCount: 64, informative: 32, redundant: 16, rows: rows)
        try writeCSV(data.trainFeatures, data.trainLabels, to: directory.appendingPathComponent("train.csv"))
        try writeCSV(data.validationFeatures, data.validationLabels, to: directory.appendingPathComponent("validation.csv"))

        var cpu: [Mode: [Double]] = [:], wall: [Mode: [Double]] = [:], foreign: [Mode: [Double]] = [:], hooks: [Mode: [Double]] = [:]
        let modes = Mode.allCases
        for repetition in 0..<repeats {
            for offset in 0..<modes.count {
                let mode = modes[(offset + repetition) % modes.count]
                let trainer = try makeTrainer(mode, directory: directory, runID: "\(mode.rawValue)-\(repetition)")
                let timed = trainer.callbacks.map(TimedCallback.init)
                trainer.removeCallbacks { _ in true }
                timed.forEach(trainer.addCallback)
                // A callback that does nothing, timed the same way: what the timing itself costs per callback.
                let probe = TimedCallback(NoOpCallback())
                if !timed.isEmpty { trainer.addCallback(probe) }
                let watch = Stopwatch()
                try trainer.fit()
                let (seconds, elapsed, load) = (watch.cpuSeconds, watch.elapsed, watch.foreignCores)
                cpu[mode, default: []].append(seconds)
                wall[mode, default: []].append(elapsed)
                foreign[mode, default: []].append(load)
                let inHooks = Swift.max(0, timed.reduce(0) { $0 + $1.seconds } - probe.seconds * Double(timed.count))
                hooks[mode, default: []].append(inHooks / seconds)
                var perCallback: [String: Double] = [:]
                for callback in timed { perCallback[callback.name, default: 0] += rounded(callback.seconds, 4) }
                printJSONLine(["mode": mode.rawValue, "repetition": repetition, "cpu_s": rounded(seconds, 3),
                               "wall_s": rounded(elapsed, 3), "foreign_cores": rounded(load, 2),
                               "hooks_cpu_s": rounded(inHooks, 4), "hooks_pct": rounded(100 * inHooks / seconds, 3),
                               "hooks_cpu_s_by_callback": perCallback, "timing_cost_per_callback_s": rounded(probe.seconds, 4),
                               "val_loss": rounded(trainer.state.validationMetrics["val_loss"] ?? .nan, 4)])
            }
        }
        let bare = median(cpu[.bare]!)
        for mode in modes {
            // Per repetition mode/bare ratios pair runs made close in time; their median resists a noisy neighbour.
            let paired = zip(cpu[mode]!, cpu[.bare]!).map { $0 / $1 }
            printJSONLine([
                "summary": mode.rawValue, "threads": threads, "epochs": epochs, "rows": rows, "repeats": repeats,
                "median_cpu_s": rounded(median(cpu[mode]!), 3), "median_wall_s": rounded(median(wall[mode]!), 3),
                "overhead_pct_of_medians": rounded(100 * (median(cpu[mode]!) / bare - 1), 2),
                "overhead_pct_paired_median": rounded(100 * (median(paired) - 1), 2),
                "hooks_pct_median": rounded(100 * median(hooks[mode]!), 3),
                "foreign_cores_median": rounded(median(foreign[mode]!), 2), "foreign_cores_max": rounded(foreign[mode]!.max()!, 2),
            ])
        }
    }

    /// A trainer for `mode`, its data read from the CSVs (outside the timed `fit`).
    func makeTrainer(_ mode: Mode, directory: URL, runID: String) throws -> Trainer {
        let yaml = """
            experiment: {name: overhead, seed: 1, experiment_dir: \(directory.appendingPathComponent("runs").path), run_id: \(runID)}
            data: {train_path: \(directory.appendingPathComponent("train.csv").path), validation_path: \(directory.appendingPathComponent("validation.csv").path), label_column: label, test_size: 0.0, standardize: false}
            model: {task: multiclass, type: mlp, layers: [512, 512], activation: relu}
            training:
              epochs: \(epochs)
              batch_size: 256
              optimizer: adam
              learning_rate: 1.0e-3
              drop_last: true
              log_every_n_steps: \(mode == .verbose ? 1 : 10)
              report_to: \(mode == .verbose ? "[tensorboard]" : "[]")
              checkpoint: {save_strategy: "no", save_last: false}
            """
        let config = try FledgeConfig.load(yaml: yaml, source: "logging-overhead.yaml")
        let output = directory.appendingPathComponent("progress-\(runID).txt")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        let handle = try FileHandle(forWritingTo: output)
        let progress: (any Callback)? = switch mode {
        case .bare: nil
        case .lines, .linesNoReport: ProgressPrinter { handle.write(Data(($0 + "\n").utf8)) }
        case .bar: ProgressBar { handle.write(Data($0.utf8)) }
        case .verbose: ProgressPrinter(everyStep: true) { handle.write(Data(($0 + "\n").utf8)) }
        }
        let trainer = try Trainer(config: config, model: nil, progress: progress)
        switch mode {
        case .bare: trainer.removeCallbacks { _ in true }
        case .linesNoReport: trainer.removeCallbacks { $0 is RunReportWriter }
        default: break
        }
        return trainer
    }

    func writeCSV(_ features: [Float], _ labels: [Int], to url: URL) throws {
        var text = (0..<64).map { "x\($0)" }.joined(separator: ",") + ",label\n"
        text.reserveCapacity(labels.count * 64 * 8)
        for row in labels.indices {
            for column in 0..<64 { text += String(format: "%.4f,", features[row * 64 + column]) }
            text += "\(labels[row])\n"
        }
        try Data(text.utf8).write(to: url)
    }

    func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }
}

/// A callback with no work, to measure what `TimedCallback`'s clock reads cost.
final class NoOpCallback: Callback {}

import ArgumentParser
import FledgeDistributed
import FledgeEvents
import FledgeTrain
import FledgeTune
import Foundation

/// `fledge train config.yaml`: trains as the config says and writes the run directory.
struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train a model from a YAML config.",
        discussion: """
            Writes <experiment_dir>/<run_id>/ with the resolved config.yaml, metrics.jsonl, \
            checkpoints/ and the final model/ bundle. Start from `fledge init --task binary > config.yaml`.
            Data-parallel: `mpirun -np N fledge train config.yaml` (or training.strategy: ddp with \
            training.devices: N, which starts mpirun itself); rank 0 writes and prints (docs/distributed.md).
            """
    )

    @Argument(help: "The YAML config file.")
    var config: String

    @OptionGroup var options: TrainingRunOptions

    func run() throws {
        // An events config (it has data_sources) trains on event histories at temporal split points.
        if EventsConfig.isEventsConfig(path: config) {
            return try EventsCommands.train(path: config, overrides: options.overrides, resume: options.resume, progress: options.progress, quiet: options.quiet)
        }
        let config = try FledgeConfig.load(path: config, overrides: options.overrides)
        if config.seeds.isMultiSeed { return try runSeeds(config) }
        switch try DistributedLaunch.mode(for: config.training, environment: ProcessInfo.processInfo.environment) {
        case .single:
            try train(config, synchronizer: nil)
        case .relaunch(let processes):
            try DataParallelRun.relaunch(processes: processes)
        case .dataParallel:
            let synchronizer = DataParallelRun.join()
            do {
                try train(config, synchronizer: synchronizer)
            } catch {
                DataParallelRun.fail(error, synchronizer: synchronizer)
            }
            synchronizer.communicator.finalize()
        }
    }

    /// Trains and, on rank 0 (or alone), prints the summary, test metrics and diagnosis.
    private func train(_ config: FledgeConfig, synchronizer: DataParallel?) throws {
        let primary = synchronizer?.isPrimary ?? true
        let trainer = try Trainer(config: config, model: nil, progress: primary ? options.progress : nil, synchronizer: synchronizer)
        let result: TrainingResult
        do {
            result = try trainer.fit(resumeFrom: options.resume)
        } catch {
            guard primary else { throw error }
            // A loss that went NaN/infinite stops training; its step is logged, so the diagnosis
            // says what it means on stdout (the error stays the one stderr line).
            if case TrainerError.nonFiniteLoss = error {
                let baseline = trainer.runDirectory.flatMap {
                    TrainingBaseline.load(from: $0.root.appendingPathComponent(TrainingBaseline.fileName))
                }
                print(TrainingDiagnosis.diagnose(history: trainer.state.logHistory, baseline: baseline).text())
            }
            throw error
        }
        guard primary else { return }
        // The run report has measured the test split already (summary.json); measure only without it.
        let saved = try result.runDirectory.flatMap { try RunSummary.load(from: $0.appendingPathComponent(RunSummary.fileName)) }
        let test = trainer.data.test == nil ? nil : try saved?.outcome(.test)?.metrics ?? trainer.evaluate(split: .test)
        print(Self.summary(result, test: test, includeProgress: options.quiet))
        // The verdict on the curves (details: `fledge report <run>`, docs/diagnosis.md).
        if let run = result.runDirectory, let diagnosis = try? TrainingDiagnosis.diagnose(run: RunDirectory(root: run)) {
            print(diagnosis.text())
        }
    }

    /// `seeds.max_seeds > 1`: trains the seeds, prints one line per seed and mean ± std of every
    /// metric, and says where the report and the best model are.
    private func runSeeds(_ config: FledgeConfig) throws {
        guard options.resume == nil else {
            throw ValidationError("--resume continues one run; with seeds.max_seeds > 1 use seeds.use_cache: true to reuse trained seeds")
        }
        let quiet = options.quiet, verbose = options.verbose
        let runner = MultiSeedRunner(config: config, progress: {
            quiet ? nil : verbose ? ProgressPrinter(everyStep: true) : ProgressPrinter()
        }, log: { print($0) })
        let result = try runner.run()
        let report = result.report
        if let reason = report.earlyStopReason { print("stopped early: \(reason)") }
        print("seeds: \(report.seedsTried) tried, \(report.convergentCount) converged; best seed "
              + (report.bestSeed.map(String.init) ?? "none") + " (\(report.convergenceMetric) "
              + (report.runs.first { $0.seed == report.bestSeed }?.evalScore.map(MetricsText.format) ?? "n/a") + ")")
        print("report: \(result.seedsDirectory.appendingPathComponent(SeedReport.fileName).path)")
        if let model = result.bestModelDirectory { print("run: \(model.deletingLastPathComponent().path)") }
    }


    /// The lines printed when training ends: where the run is and what it reached. The step count,
    /// stop reason and best value are left out when the progress printer has just said them.
    static func summary(_ result: TrainingResult, test: [String: Double]?, includeProgress: Bool) -> String {
        var lines: [String] = []
        if let run = result.runDirectory {
            lines.append("run: \(run.path)")
            let report = run.appendingPathComponent(RunReport.fileName)
            if FileManager.default.fileExists(atPath: report.path) { lines.append("report: \(report.path)") }
        }
        if includeProgress {
            var finished = "trained \(result.globalStep) steps, \(result.epochs) epochs"
            if let reason = result.stopReason { finished += " (\(reason))" }
            lines.append(finished)
            if let best = result.bestMetric {
                lines.append("best \(result.monitor): \(MetricsText.format(best))")
            }
        }
        if !result.validationMetrics.isEmpty {
            lines.append("validation: \(MetricsText.inline(result.validationMetrics))")
        }
        if let test {
            lines.append("test: \(MetricsText.inline(test))")
        }
        return lines.joined(separator: "\n")
    }
}

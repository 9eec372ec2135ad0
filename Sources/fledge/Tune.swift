import ArgumentParser
import FledgeTrain
import FledgeTune
import Foundation

/// `fledge tune config.yaml`: hyperparameter search over the config's `tune:` section.
struct Tune: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Search hyperparameters: train the config once per trial with sampled values.",
        discussion: """
            The config's tune: section names the keys to search, the sampler, the pruner and the study. \
            Trials are stored in <experiment_dir>/<study_name>/study.sqlite (or tune.storage); the study \
            directory receives trials.csv, trials.json, best.json, best_config.yaml, importances.json and \
            history.svg. See docs/tuning.md.
            """
    )

    @Argument(help: "The YAML config file with a tune: section.")
    var config: String

    @Option(name: .customLong("set"), help: ArgumentHelp("Override one config key (repeatable).", valueName: "key=value"))
    var overrides: [String] = []

    @Option(name: .customLong("n-trials"), help: "Finished trials the study runs to (default tune.n_trials).")
    var nTrials: Int?

    @Option(help: "Worker processes on this machine sharing the study (default tune.workers).")
    var workers: Int?

    @Flag(help: "Continue an existing study: its finished trials count, a dead worker's trial is re-queued.")
    var resume = false

    @Option(help: "Study storage: a SQLite path, sqlite:///path or postgresql://user@host:port/db (default tune.storage).")
    var storage: String?

    @Option(name: .customLong("study-name"), help: "The study's name (default tune.study_name, else experiment.name).")
    var studyName: String?

    @Flag(help: "Print only the summary, not a line per trial.")
    var quiet = false

    @Option(help: .hidden)
    var worker: Int?

    func validate() throws {
        if let nTrials, nTrials < 1 { throw ValidationError("--n-trials must be at least 1") }
        if let workers, workers < 1 { throw ValidationError("--workers must be at least 1") }
    }

    func run() throws {
        let tuner = try Tuner(configPath: config, overrides: overrides, nTrials: nTrials, studyName: studyName,
                              storage: storage, resume: resume || worker != nil, factory: StudyStorageFactory.standard)
        let name = tuner.study.record.descriptor.name
        let workerCount = workers ?? tuner.tune.workers
        if worker == nil {
            print("study \(name): \(tuner.nTrials) trials, \(tuner.objective.direction.rawValue) \(tuner.objective.metric), "
                  + "storage \(tuner.storageURL)" + (workerCount > 1 ? ", \(workerCount) workers" : ""))
        }
        let children = worker == nil ? try (1..<workerCount).map { try spawnWorker($0, tuner: tuner) } : []
        let prefix = worker.map { "[worker \($0)] " } ?? (workerCount > 1 ? "[worker 0] " : "")
        try tuner.optimize { outcome in
            guard !quiet else { return }
            print(prefix + Self.line(outcome, metric: tuner.objective.metric))
            fflush(nil)
        }
        guard worker == nil else { return }
        for child in children { child.waitUntilExit() }
        let report = try tuner.writeReport()
        print(report.summary())
        print("study directory: \(tuner.studyDirectory.path)")
        if report.best == nil {
            let firstError = report.trials.compactMap(\.error).first.map { "; first error: \($0)" } ?? ""
            throw ValidationError("no trial completed\(firstError)")
        }
    }

    /// One line per finished trial.
    static func line(_ outcome: Study.Outcome, metric: String) -> String {
        let params = outcome.values.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value.yamlText)" }.joined(separator: " ")
        var text = "trial \(outcome.number) \(outcome.state.rawValue)"
        if let value = outcome.value { text += " \(metric) \(String(format: "%.6g", value))" }
        text += String(format: " (%.1fs) ", outcome.seconds) + params
        if let error = outcome.error { text += " error: \(error)" }
        return text
    }

    /// Starts worker `index`: this binary, same config and overrides, joined to the created study.
    private func spawnWorker(_ index: Int, tuner: Tuner) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        if !FileManager.default.isExecutableFile(atPath: process.executableURL!.path) {
            process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
        }
        var arguments = ["tune", config, "--worker", "\(index)", "--study-name", tuner.study.record.descriptor.name,
                         "--storage", tuner.storageURL, "--n-trials", "\(tuner.nTrials)"]
        for override in overrides { arguments += ["--set", override] }
        if quiet { arguments.append("--quiet") }
        process.arguments = arguments
        try process.run()
        return process
    }
}

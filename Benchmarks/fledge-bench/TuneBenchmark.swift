import ArgumentParser
import FledgeTune
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `fledge-bench tune`: Fledge's random and TPE samplers on the analytic objectives of
/// `../shared/peers/bench_optuna.py` (Branin, Hartmann-6, mixed), through the public `Study` API,
/// one JSON line per (objective, sampler, seed, storage) with the fields the Optuna script prints
/// (best_value, best_trial, ms_per_trial: wall time per trial, objective included) plus the time
/// spent in the sampler alone. Then the sampler's overhead over a long study (`--overhead-trials`,
/// default 1,000): TPE's ms per trial in windows of 100 trials and at the end.
struct TuneBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tune", abstract: "Samplers on analytic objectives; TPE overhead.")

    @Option var trials = 100
    @Option var seeds = 5
    @Option(help: "Comma-separated: branin, hartmann6, mixed.") var objectives = "branin,hartmann6,mixed"
    @Option(help: "Comma-separated: random, tpe, tpe-univariate.") var samplers = "random,tpe"
    @Option(help: "Comma-separated storages for the analytic runs: memory, sqlite.") var storages = "memory,sqlite"
    @Option(help: "Trials of the overhead study (0 skips it).") var overheadTrials = 1000
    @Option(help: "Objective of the overhead study.") var overheadObjective = "hartmann6"
    @Option(help: "Directory for the SQLite studies (removed afterwards).") var scratch = NSTemporaryDirectory()

    func validate() throws {
        guard trials >= 1, seeds >= 1, overheadTrials >= 0 else { throw ValidationError("--trials, --seeds must be positive") }
        for name in list(objectives) + [overheadObjective] where Self.objective(name) == nil {
            throw ValidationError("unknown objective \(name); use branin, hartmann6 or mixed")
        }
        for name in list(samplers) where !["random", "tpe", "tpe-univariate"].contains(name) {
            throw ValidationError("unknown sampler \(name); use random, tpe or tpe-univariate")
        }
        for name in list(storages) where !["memory", "sqlite"].contains(name) {
            throw ValidationError("unknown storage \(name); use memory or sqlite")
        }
    }

    func run() throws {
        for storage in list(storages) {
            for objective in list(objectives).compactMap(Self.objective) {
                for sampler in list(samplers) {
                    for seed in 0..<seeds {
                        let result = try runStudy(objective, sampler: sampler, seed: seed, trials: trials, storage: storage)
                        printJSONLine(result.row.merging(["storage": storage], uniquingKeysWith: { a, _ in a }))
                    }
                }
            }
        }
        guard overheadTrials > 0, let objective = Self.objective(overheadObjective) else { return }
        for storage in list(storages) {
            let result = try runStudy(objective, sampler: "tpe", seed: 0, trials: overheadTrials, storage: storage)
            let perTrial = result.samplerSeconds, perTrialCPU = result.samplerCPUSeconds
            func mean(_ xs: ArraySlice<Double>) -> Double { rounded(1000 * xs.reduce(0, +) / Double(max(xs.count, 1)), 3) }
            var windows: [[String: Any]] = []
            for start in stride(from: 0, to: perTrial.count, by: 100) {
                let range = start..<min(start + 100, perTrial.count)
                windows.append(["trials": "\(start + 1)-\(range.upperBound)", "sampler_ms_per_trial": mean(perTrial[range]),
                                "sampler_cpu_ms_per_trial": mean(perTrialCPU[range])])
            }
            let tail = perTrial.suffix(100)
            printJSONLine([
                "benchmark": "tpe_overhead", "objective": objective.name, "storage": storage, "trials": overheadTrials,
                "sampler_ms_per_trial_mean": rounded(1000 * perTrial.reduce(0, +) / Double(perTrial.count), 3),
                "sampler_ms_per_trial_last100": rounded(1000 * tail.reduce(0, +) / Double(tail.count), 3),
                "sampler_ms_max": rounded(1000 * (perTrial.max() ?? 0), 3),
                "sampler_cpu_ms_per_trial_mean": mean(perTrialCPU[...]), "sampler_cpu_ms_per_trial_last100": mean(perTrialCPU.suffix(100)),
                "process_cpu_seconds": rounded(result.processCPUSeconds, 2),
                "ms_per_trial": rounded(1000 * result.wallSeconds / Double(overheadTrials), 3),
                "ms_per_trial_last100": rounded(1000 * result.trialSeconds.suffix(100).reduce(0, +) / Double(min(100, overheadTrials)), 3),
                "windows": windows, "best_value": result.best, "foreign_cores": rounded(result.foreignCores, 2),
            ])
        }
    }

    private func list(_ text: String) -> [String] {
        text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    static func objective(_ name: String) -> AnalyticObjective? { AnalyticObjective.all.first { $0.name == name } }

    struct StudyResult {
        var row: [String: Any]
        var best: Double
        var wallSeconds: Double
        var samplerSeconds: [Double]
        var samplerCPUSeconds: [Double]
        var processCPUSeconds: Double
        var trialSeconds: [Double]
        var foreignCores: Double
    }

    /// One study through the public API, the sampler timed by a wrapper.
    func runStudy(_ objective: AnalyticObjective, sampler name: String, seed: Int, trials: Int, storage kind: String) throws -> StudyResult {
        let inner: any Sampler = switch name {
        case "random": RandomSampler(seed: UInt64(seed))
        case "tpe-univariate": TPESampler(seed: UInt64(seed), multivariate: false)
        default: TPESampler(seed: UInt64(seed))
        }
        let clock = SamplerClock()
        let storage: any StudyStorage
        var path: String?
        if kind == "sqlite" {
            path = (scratch as NSString).appendingPathComponent("fledge-bench-tune-\(ProcessInfo.processInfo.processIdentifier)-\(objective.name)-\(name)-\(seed)-\(trials).sqlite")
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path! + suffix) }
            storage = try SQLiteStudyStorage(path: path!)
        } else {
            storage = InMemoryStudyStorage()
        }
        defer { if let path { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } } }
        let study = try Study(name: objective.name, direction: .minimize, space: objective.space,
                              sampler: TimedSampler(inner: inner, clock: clock), storage: storage, samplerSeed: UInt64(seed))
        var trialSeconds: [Double] = []
        var last = Stopwatch()
        let watch = Stopwatch()
        try study.optimize(nTrials: trials, onTrialEnd: { _ in
            trialSeconds.append(last.elapsed)
            last = Stopwatch()
        }) { objective.evaluate($0) }
        let wall = watch.elapsed
        let best = try study.bestTrial()!
        let sampler = clock.seconds, samplerCPU = clock.cpuSeconds
        let row: [String: Any] = [
            "objective": objective.name, "sampler": name, "seed": seed, "trials": trials,
            "best_value": best.value!, "best_trial": best.number,
            "ms_per_trial": rounded(1000 * wall / Double(trials), 4),
            "sampler_ms_per_trial": rounded(1000 * sampler.reduce(0, +) / Double(max(sampler.count, 1)), 4),
            "sampler_cpu_ms_per_trial": rounded(1000 * samplerCPU.reduce(0, +) / Double(max(samplerCPU.count, 1)), 4),
            "cpu_ms_per_trial": rounded(1000 * watch.cpuSeconds / Double(trials), 4),
            "fledge": true, "foreign_cores": rounded(watch.foreignCores, 2),
        ]
        return StudyResult(row: row, best: best.value!, wallSeconds: wall, samplerSeconds: sampler, samplerCPUSeconds: samplerCPU,
                           processCPUSeconds: watch.cpuSeconds, trialSeconds: trialSeconds, foreignCores: watch.foreignCores)
    }
}

/// The seconds each `sample` call took, in call order: wall time and the calling thread's CPU time
/// (which a loaded, shared machine does not inflate).
final class SamplerClock: @unchecked Sendable {
    private let lock = NSLock()
    private var recorded: [Double] = []
    private var recordedCPU: [Double] = []

    func record(_ seconds: Double, cpu: Double) { lock.withLock { recorded.append(seconds); recordedCPU.append(cpu) } }
    var seconds: [Double] { lock.withLock { recorded } }
    var cpuSeconds: [Double] { lock.withLock { recordedCPU } }

    /// CPU seconds the calling thread has used.
    static func threadCPUSeconds() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }
}

/// A sampler that times another.
struct TimedSampler: Sampler {
    let inner: any Sampler
    let clock: SamplerClock

    func sample(space: SearchSpace, trialNumber number: Int, history: [TrialRecord], direction: StudyDirection) -> [String: Double] {
        let start = DispatchTime.now().uptimeNanoseconds, startCPU = SamplerClock.threadCPUSeconds()
        let params = inner.sample(space: space, trialNumber: number, history: history, direction: direction)
        clock.record(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9, cpu: SamplerClock.threadCPUSeconds() - startCPU)
        return params
    }
}

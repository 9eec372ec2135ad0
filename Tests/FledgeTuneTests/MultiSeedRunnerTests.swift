import FledgeTrain
import Foundation
import Testing
@testable import FledgeTune

/// Multi-seed training on breast cancer: convergence counting, early stop, best-seed choice,
/// the report's exact keys, use_cache and keep_seed_runs.
struct MultiSeedRunnerTests {
    static let reportKeys: Set<String> = [
        "convergence_metric", "threshold", "min_convergent_seeds", "max_seeds", "seeds_tried", "convergent_count",
        "best_seed", "best_selection_score", "early_stop_reason", "runs",
    ]
    static let runKeys: Set<String> = [
        "seed", "output_dir", "trained", "used_cache", "training_score", "eval_score", "selection_score",
        "convergence_metric_value", "threshold", "converged",
    ]

    @Test func enoughConvergedSeedsStopTheLoopAndTheReportHasExactlyTheIssueKeys() throws {
        let directory = ExperimentFixtures.scratchDirectory()
        let config = try ExperimentFixtures.config(directory: directory, overrides: [
            "seeds.max_seeds=4", "seeds.min_convergent_seeds=2", "seeds.convergent_metric=accuracy",
            "seeds.convergent_score_threshold=0.6",
        ])
        var lines: [String] = []
        let result = try MultiSeedRunner(config: config, log: { lines.append($0) }).run()
        let report = result.report
        // Two seeds reach 60% validation accuracy on breast cancer, so seeds 5 and 6 are never tried.
        #expect(report.seedsTried == 2 && report.convergentCount == 2)
        #expect(report.runs.map(\.seed) == [3, 4])
        #expect(report.earlyStopReason?.hasPrefix("min_convergent_seeds reached: 2 of 2 seeds converged") == true)
        #expect(report.convergenceMetric == "val_accuracy" && report.threshold == 0.6 && report.maxSeeds == 4)
        let best = try #require(report.runs.max { $0.selectionScore! < $1.selectionScore! })
        #expect(report.bestSeed == best.seed && report.bestSelectionScore == best.selectionScore)
        for run in report.runs {
            #expect(run.trained && !run.usedCache && run.converged)
            #expect(run.selectionScore == run.evalScore && run.convergenceMetricValue == run.evalScore)
            #expect(run.trainingScore != nil && run.threshold == 0.6)
            #expect(FileManager.default.fileExists(atPath: run.outputDir + "/model/model.safetensors"))
        }
        let file = result.seedsDirectory.appendingPathComponent("seed_report.json")
        #expect(file.path == directory.path + "/exp/seeds/seed_report.json")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any])
        #expect(Set(json.keys) == Self.reportKeys)
        for run in try #require(json["runs"] as? [[String: Any]]) { #expect(Set(run.keys) == Self.runKeys) }
        #expect(try SeedReport.read(from: file) == report)
        // The best model is copied to the run folder; the summary is mean ± std over the seeds.
        #expect(FileManager.default.fileExists(atPath: directory.path + "/exp/model/model.json"))
        let accuracy = try #require(result.summary["val_accuracy"])
        let values = report.runs.compactMap(\.evalScore)
        #expect(abs(accuracy.mean - values.reduce(0, +) / 2) < 1e-12 && accuracy.n == 2)
        #expect(abs(accuracy.std - abs(values[0] - values[1]) / 2) < 1e-12)
        #expect(result.summary["test_loss"] != nil && result.summary["train_auroc"] != nil)
        #expect(FileManager.default.fileExists(atPath: result.seedsDirectory.appendingPathComponent("seed_summary.json").path))
        #expect(lines.contains { $0.hasPrefix("val_accuracy") && $0.contains("±") })
    }

    @Test func anUnreachableThresholdTriesEverySeedAndStillPicksTheBest() throws {
        let directory = ExperimentFixtures.scratchDirectory()
        let config = try ExperimentFixtures.config(directory: directory, epochs: 1, overrides: [
            "seeds.max_seeds=2", "seeds.min_convergent_seeds=1", "seeds.convergent_metric=loss",
            "seeds.convergent_score_threshold=0.0001", "seeds.keep_seed_runs=false",
        ])
        let report = try MultiSeedRunner(config: config).run().report
        #expect(report.seedsTried == 2 && report.convergentCount == 0 && report.earlyStopReason == nil)
        // Loss is minimised: the selection score is the negated loss, and the best has the lowest loss.
        for run in report.runs { #expect(run.selectionScore == -run.evalScore! && !run.converged) }
        let lowest = try #require(report.runs.min { $0.evalScore! < $1.evalScore! })
        #expect(report.bestSeed == lowest.seed)
        // keep_seed_runs: false leaves only the best seed's run.
        for run in report.runs {
            #expect(FileManager.default.fileExists(atPath: run.outputDir) == (run.seed == report.bestSeed))
        }
    }

    @Test func useCacheSkipsSeedsThatHaveASavedModel() throws {
        let directory = ExperimentFixtures.scratchDirectory()
        let seedsDirectory = directory.appendingPathComponent("shared-seeds").path
        let overrides = ["seeds.max_seeds=2", "seeds.min_convergent_seeds=null", "seeds.seed_runs_dir=\(seedsDirectory)"]
        let first = try MultiSeedRunner(config: ExperimentFixtures.config(directory: directory, epochs: 1, overrides: overrides)).run()
        #expect(first.report.runs.allSatisfy { (run: SeedRun) in run.trained && !run.usedCache })
        #expect(first.report.seedsTried == 2 && first.report.earlyStopReason == nil)
        let weights = seedsDirectory + "/seed-3/model/model.safetensors"
        let written = try FileManager.default.attributesOfItem(atPath: weights)[.modificationDate] as? Date
        let cached = try MultiSeedRunner(config: ExperimentFixtures.config(
            directory: directory, epochs: 1, overrides: overrides + ["seeds.use_cache=true"])).run()
        #expect(cached.report.runs.allSatisfy { (run: SeedRun) in !run.trained && run.usedCache })
        let cachedScores = cached.report.runs.map { (run: SeedRun) in run.evalScore }
        #expect(cachedScores == first.report.runs.map { (run: SeedRun) in run.evalScore })
        #expect(try FileManager.default.attributesOfItem(atPath: weights)[.modificationDate] as? Date == written)
        // Without use_cache the seeds train again.
        let again = try MultiSeedRunner(config: ExperimentFixtures.config(directory: directory, epochs: 1, overrides: overrides)).run()
        #expect(again.report.runs.allSatisfy { (run: SeedRun) in run.trained && !run.usedCache })
    }

    @Test func convergenceRespectsTheMetricsDirection() {
        let url = URL(fileURLWithPath: "/tmp/x")
        let metrics = ["val_accuracy": 0.9, "train_accuracy": 0.95, "val_loss": 0.3]
        #expect(MultiSeedRunner.judge(seed: 1, directory: url, cached: false, metrics: metrics, metric: "val_accuracy",
                                      mode: .max, threshold: 0.9).converged)
        #expect(!MultiSeedRunner.judge(seed: 1, directory: url, cached: false, metrics: metrics, metric: "val_accuracy",
                                       mode: .max, threshold: 0.91).converged)
        #expect(MultiSeedRunner.judge(seed: 1, directory: url, cached: false, metrics: metrics, metric: "val_loss",
                                      mode: .min, threshold: 0.3).converged)
        #expect(!MultiSeedRunner.judge(seed: 1, directory: url, cached: false, metrics: metrics, metric: "val_loss",
                                       mode: .min, threshold: 0.29).converged)
        #expect(!MultiSeedRunner.judge(seed: 1, directory: url, cached: false, metrics: ["val_loss": .nan], metric: "val_loss",
                                       mode: .min, threshold: nil).converged)
        let run = MultiSeedRunner.judge(seed: 1, directory: url, cached: true, metrics: metrics, metric: "val_accuracy",
                                        mode: .max, threshold: nil)
        #expect(run.converged && run.usedCache && !run.trained && run.trainingScore == 0.95 && run.evalScore == 0.9)
        // The best converged seed wins even over a better seed that did not converge.
        let a = SeedRun(seed: 1, outputDir: "", trained: true, usedCache: false, trainingScore: nil, evalScore: 0.8,
                        selectionScore: 0.8, convergenceMetricValue: 0.8, threshold: 0.7, converged: true)
        var b = a, c = a
        b.seed = 2; b.selectionScore = 0.85
        c.seed = 3; c.selectionScore = 0.99; c.converged = false
        #expect(MultiSeedRunner.best(of: [a, b, c])?.seed == 2)
        #expect(MultiSeedRunner.best(of: [c])?.seed == 3)
    }
}

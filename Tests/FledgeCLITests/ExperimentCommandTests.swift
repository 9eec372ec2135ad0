import Foundation
import Testing

/// `fledge cv` and multi-seed `fledge train`, end to end on the breast cancer example.
@Suite struct ExperimentCommandTests {
    static let small = ["--set", "training.epochs=1", "--set", "model.layers=[8]", "--set", "training.checkpoint.save_strategy=no"]

    @Test func cvPrintsMeanAndStdAndWritesTheReportAndOutOfFoldPredictions() throws {
        let directory = try TemporaryDirectory()
        let output = try FledgeProcess.run(["cv", "Examples/configs/binary.yaml", "--folds", "3", "--stratified", "--quiet",
                                            "--set", "experiment.experiment_dir=\(directory.url.path)",
                                            "--set", "experiment.run_id=cv"] + Self.small)
        #expect(output.status == 0, "\(output.stderr)")
        let lines = output.stdout.split(separator: "\n").map(String.init)
        #expect(lines.filter { $0.hasPrefix("fold-") }.count == 3)
        #expect(lines.contains { $0.hasPrefix("  accuracy") && $0.contains("±") && $0.hasSuffix("(n=3)") })
        let run = directory.url.appendingPathComponent("cv")
        for name in ["cv_report.json", "oof_predictions.csv", "fold-1/model/model.json", "fold-3/config.yaml"] {
            #expect(FileManager.default.fileExists(atPath: run.appendingPathComponent(name).path), "no \(name)")
        }
        let csv = try String(contentsOf: run.appendingPathComponent("oof_predictions.csv"), encoding: .utf8)
        #expect(csv.split(separator: "\n").count == 570)
    }

    @Test func cvRejectsBadRequestsWithOneLine() throws {
        let usage = try FledgeProcess.run(["cv", "Examples/configs/binary.yaml", "--folds", "1"])
        #expect(usage.status != 0 && usage.stderr.contains("--folds must be at least 2"))
        let group = try FledgeProcess.run(["cv", "Examples/configs/binary.yaml", "--group-column", "patient"])
        #expect(group.status == 1)
        #expect(group.stderrLines.count == 1)
        #expect(group.stderrLines.first?.hasPrefix("error: --group-column patient is not a column of Examples/Data/breast_cancer.csv") == true)
    }

    @Test func trainWithSeveralSeedsWritesTheSeedReport() throws {
        let directory = try TemporaryDirectory()
        let output = try FledgeProcess.run(["train", "Examples/configs/binary.yaml", "--quiet",
                                            "--set", "experiment.experiment_dir=\(directory.url.path)",
                                            "--set", "seeds.max_seeds=3", "--set", "seeds.min_convergent_seeds=1",
                                            "--set", "seeds.convergent_metric=accuracy", "--set", "seeds.convergent_score_threshold=0.5"]
                                           + Self.small)
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout.contains("seed 42: val_accuracy"))
        #expect(output.stdout.contains("stopped early: min_convergent_seeds reached: 1 of 1 seeds converged"))
        #expect(output.stdout.contains("seeds: 1 tried, 1 converged; best seed 42"))
        let run = directory.url.appendingPathComponent("breast-cancer")
        let report = try JSONSerialization.jsonObject(with: Data(contentsOf: run.appendingPathComponent("seeds/seed_report.json"))) as? [String: Any]
        #expect(report?["best_seed"] as? Int == 42)
        // The folder is a run: evaluate takes it.
        let evaluate = try FledgeProcess.run(["evaluate", run.path, "--data", "Examples/Data/breast_cancer.csv",
                                              "--out", directory.url.appendingPathComponent("m.json").path])
        #expect(evaluate.status == 0, "\(evaluate.stderr)")
        let resume = try FledgeProcess.run(["train", "Examples/configs/binary.yaml", "--set", "seeds.max_seeds=2", "--resume", "last"])
        #expect(resume.status != 0 && resume.stderr.contains("seeds.use_cache"))
    }
}

import FledgeTensor
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import FledgeTrain

/// Trains `config` silently through the real Trainer and reads back the run's summary.json.
private func trainAndSummarise(_ config: FledgeConfig) throws -> (RunDirectory, RunSummary, Trainer) {
    let trainer = try Trainer(config: config, model: nil, progress: nil)
    try trainer.fit()
    let run = try #require(trainer.runDirectory)
    let summary = try #require(try RunSummary.load(from: run.root.appendingPathComponent(RunSummary.fileName)))
    return (run, summary, trainer)
}

@Test func multiclassSummaryHasAConfusionMatrixMatchingTheAccuracy() throws {
    let (run, summary, trainer) = try trainAndSummarise(fixtureConfig("wine", task: .multiclass) { $0.training.epochs = 3 })
    #expect(summary.data.classNames.count == 3)
    #expect(summary.data.splits.map(\.name) == ["train", "validation", "test"])
    #expect(summary.data.splits.reduce(0) { $0 + $1.rows } == 178)
    for split in summary.data.splits { #expect(split.classCounts?.reduce(0, +) == split.rows) }
    #expect(summary.outcomes.map(\.split) == ["train", "validation", "test"])
    for outcome in summary.outcomes {
        let matrix = try #require(outcome.confusion.first)
        #expect(matrix.labels == summary.data.classNames)
        #expect(matrix.total == outcome.rows)
        // The diagonal share is the accuracy the metrics computed in the same pass.
        let accuracy = try #require(outcome.metrics["accuracy"])
        #expect(abs(try #require(matrix.accuracy) - accuracy) < 1e-9, "\(outcome.split): \(matrix.counts) vs \(accuracy)")
        // Row sums are the split's class counts.
        let counts = try #require(summary.data.splits.first { $0.name == outcome.split }?.classCounts)
        #expect(matrix.counts.map { $0.reduce(0, +) } == counts)
    }
    #expect(summary.outcomes.allSatisfy { $0.sampledFrom == nil })
    // The validation outcome was collected during the last validation; measuring again gives the same.
    let fresh = try RunSummary(trainer: trainer)
    #expect(fresh.outcome(.validation) == summary.outcome(.validation))
    #expect(summary.environment.fledgeVersion == FledgeVersion.current)
    #expect(summary.environment.threads >= 1)
    let html = try String(contentsOf: run.root.appendingPathComponent(RunReport.fileName), encoding: .utf8)
    #expect(html.contains("id=\"confusion\"") && !html.contains("id=\"residuals\""))
}

@Test func regressionSummaryHasResidualsMatchingTheRMSE() throws {
    let (run, summary, _) = try trainAndSummarise(fixtureConfig("diabetes", task: .regression) {
        $0.training.epochs = 2
        $0.training.loss = .mse
        $0.training.metrics = ["rmse", "mae"]
    })
    for outcome in summary.outcomes {
        let sample = try #require(outcome.residuals)
        #expect(sample.count == outcome.rows)
        #expect(sample.predicted.count == outcome.rows && sample.residuals.count == outcome.rows)  // < 1000 rows: all kept
        let rmse = try #require(outcome.metrics["rmse"])
        #expect(abs(sample.rootMeanSquare - rmse) <= 1e-4 * rmse, "\(outcome.split): \(sample.rootMeanSquare) vs \(rmse)")
        #expect(outcome.confusion.isEmpty)
    }
    let train = try #require(summary.data.splits.first)
    #expect(train.classCounts == nil && train.targetMean != nil && train.targetMinimum! <= train.targetMaximum!)
    let html = try String(contentsOf: run.root.appendingPathComponent(RunReport.fileName), encoding: .utf8)
    #expect(html.contains("id=\"residuals\"") && html.contains("Residuals (validation)"))
}

@Test func residualSampleKeepsAtMostTheMaximumPoints() {
    var sample = ResidualSample(rowCount: 2500, maximumPoints: 1000)
    for start in stride(from: 0, to: 2500, by: 100) {
        let values = (start..<start + 100).map(Float.init)
        sample.add(predictions: Tensor(shape: [100, 1], values: values), targets: Tensor(shape: [100, 1], values: values.map { $0 + 2 }))
    }
    #expect(sample.count == 2500 && sample.keepEvery == 3 && sample.predicted.count == 834)
    #expect(sample.meanResidual == 2 && sample.rootMeanSquare == 2)
}

@Test func multilabelConfusionHasOneMatrixPerLabel() {
    var matrices = ConfusionMatrix.empty(task: .multilabel, classNames: ["a", "b"], outputSize: 2)
    let scores = Tensor(shape: [3, 2], values: [0.9, 0.2, 0.4, 0.7, 0.6, 0.6])
    let targets = Tensor(shape: [3, 2], values: [1, 0, 1, 1, 0, 1])
    ConfusionMatrix.add(scores: scores, targets: targets, task: .multilabel, to: &matrices)
    #expect(matrices.map(\.title) == ["a", "b"])
    #expect(matrices[0].counts == [[0, 1], [1, 1]])  // a: truth 0 predicted 1 once; truth 1: predicted 0 once, 1 once
    #expect(matrices[1].counts == [[1, 0], [0, 2]])
}

@Test func reportEscapesUserTextAndIsWellFormed() throws {
    let root = makeTemporaryDirectory("fledge-report")
    let run = RunDirectory(root: root)
    try Data("experiment:\n  name: \"<script>alert('x')</script> & co\"\n".utf8).write(to: run.configFile)
    try Data("{\"step\":1,\"epoch\":1,\"lr\":0.1,\"train_loss\":0.9}\n{\"step\":2,\"epoch\":1,\"lr\":0.1,\"train_loss\":0.5,\"val_loss\":0.6}\n".utf8)
        .write(to: run.metricsFile)
    let html = try RunReport(run: run).html()
    #expect(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; co"))
    #expect(!html.contains("<script"))
    let parser = XMLParser(data: Data(html.utf8))
    #expect(parser.parse(), "\(parser.parserError.map { "\($0)" } ?? "")")
}

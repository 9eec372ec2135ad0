import FledgeEvents
import FledgeTensor
import FledgeTrain
import Foundation
import Testing

/// The churn example config, trained briefly into a temporary folder.
func quickConfig(_ name: String, epochs: Int = 4) throws -> (EventsConfig, String) {
    let directory = temporaryPath("runs")
    let config = try EventsConfig.load(path: "Examples/configs/events-\(name).yaml",
                                       overrides: ["training.epochs=\(epochs)", "experiment.experiment_dir=\(directory)",
                                                   "data_params.maximum_splitpoints_per_entity=3"])
    return (config, directory)
}

/// Reloads a trained binary events model from `run` and checks that it measures the test split as
/// `test` (the trainer's metrics) and that its predictions at the validation date are the trained
/// network's scores on the validation inputs (within `tolerance`). Returns the model and predictions.
@discardableResult
func expectReloadScoresAsTrained(_ trainer: EventTrainer, run: URL, test: [String: Double],
                                 tolerance: Float) throws -> (EventModel, EventPredictions) {
    let model = try EventModel.load(from: run)
    let store = try EventDatasets.openStore(model.description.config)
    let reloaded = try model.test(store: store)
    #expect(abs(reloaded["auroc"]! - test["auroc"]!) < 1e-9)
    #expect(abs(reloaded["loss"]! - test["loss"]!) < 1e-6)
    let validationDate = try #require(trainer.splits.window(.validation)?.split)
    let predictions = try model.predict(store: store, at: validationDate)
    let dataset = trainer.trainer.data.validation!
    trainer.trainer.model.eval()
    let trained = withoutGradients { trainer.trainer.model(dataset.features) }.sigmoid().scalars
    let byID = Dictionary(uniqueKeysWithValues: zip(predictions.entityIDs, predictions.scores.scalars))
    for (id, score) in zip(dataset.ids!, trained) { #expect(abs(byID[id]! - score) <= tolerance) }
    return (model, predictions)
}

@Suite(.serialized) struct EventTrainingTests {
    @Test func churnTrainsReloadsAndPredictsTheSameScores() throws {
        var (config, directory) = try quickConfig("churn", epochs: 8)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // The default encoding (the example config sets piecewise_linear: NumericEncodingTests reloads that).
        config.dataParams.numericEncoding = .standard
        let trainer = try EventTrainer(config: config, progress: nil)
        #expect(trainer.task.kind == .binary)
        #expect(trainer.summaryLines.contains { $0.hasPrefix("validation: ") })
        let result = try trainer.fit()
        let test = try trainer.evaluate(.test)

        let (_, predictions) = try expectReloadScoresAsTrained(trainer, run: result.runDirectory!, test: test, tolerance: 1e-5)
        let tsv = predictions.tsv(threshold: 0.5).split(separator: "\n")
        #expect(tsv.first == "entity_id\tprobability\tlabel")
        #expect(tsv.count == predictions.entityIDs.count + 1)
        // The written probabilities read back as exactly the scores (no rounding in the file).
        let written = tsv.dropFirst().map { Float($0.split(separator: "\t")[1])! }
        #expect(written == predictions.scores.scalars)
    }

    @Test func everyExampleTaskTrainsOneEpoch() throws {
        for name in ["propensity", "spend", "next-items", "favourite-category"] {
            let (config, directory) = try quickConfig(name, epochs: 1)
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let trainer = try EventTrainer(config: config, progress: nil)
            let result = try trainer.fit()
            #expect(result.validationMetrics["val_loss"]?.isFinite == true, "\(name)")
            let model = try EventModel.load(from: result.runDirectory!)
            let store = try EventDatasets.openStore(model.description.config)
            let predictions = try model.predict(store: store, at: day("2024-06-01"), entityIDs: ["user_0000", "user_0001"])
            #expect(predictions.entityIDs == ["user_0000", "user_0001"])
            if name == "favourite-category" { #expect(result.validationMetrics["val_recall_class_4"] != nil) }
            if name == "next-items" {
                #expect(result.validationMetrics["val_ndcg@5"] != nil && result.validationMetrics["val_mrr"] != nil)
                #expect(model.description.layout.itemHistory?.items.count == 19)  // on by default, saved with the model
                let line = predictions.tsv(topK: 3).split(separator: "\n")[1].split(separator: "\t")
                #expect(line[1].split(separator: ",").count == 3)
            }
        }
    }

    @Test func swiftTargetFunctionTrainsWithTheSameTrainer() throws {
        let (config, directory) = try quickConfig("churn", epochs: 6)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // A target the features determine (was the user active in the last 7 days?), so a working
        // pipeline must learn it; the clickstream's real future targets carry little signal.
        let recent = BinaryClassificationTask { history, _, _, _ in
            guard try history.filter("event", equals: "product_view").count > 0 else { return nil }
            return .binary(!history.lastDays(7).isEmpty)
        }
        let trainer = try EventTrainer(config: config, task: recent, progress: nil)
        #expect(trainer.samples[.validation]!.skippedByTarget > 0)
        _ = try trainer.fit()
        let auroc = try trainer.evaluate(.test)["auroc"]!
        #expect(auroc > 0.9, "test AUROC \(auroc)")
    }

    @Test func trainingWithoutValidationDateIsAClearError() throws {
        let (_, directory) = try quickConfig("churn")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let config = try EventsConfig.load(path: "Examples/configs/events-churn.yaml",
                                           overrides: ["data_params.validation_start_date=null"])
        #expect(throws: EventsError.predictionOnly) { try EventTrainer(config: config, progress: nil) }
    }

    @Test func configErrorsNameTheKey() throws {
        let error = #expect(throws: ConfigError.self) {
            try EventsConfig.load(path: "Examples/configs/events-churn.yaml", overrides: ["data_params.validation_start=2024-05-01"])
        }
        #expect(error?.description.contains("data_params.validation_start is not a known key; did you mean data_params.validation_start_date?") == true)
        let date = #expect(throws: ConfigError.self) {
            try EventsConfig.load(path: "Examples/configs/events-churn.yaml", overrides: ["data_params.test_start_date=June"])
        }
        #expect(date?.description.contains("'June' is not a date") == true)
    }
}

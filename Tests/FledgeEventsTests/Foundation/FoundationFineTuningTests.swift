import FledgeEvents
import FledgeNN
import FledgeTensor
import FledgeTrain
import Foundation
import Testing

/// Fine-tuning the tiny shop's foundation model: inherits the pretraining config, trains from the
/// pretrained backbone (or from scratch), and the bundle reloads and predicts identically.
@Suite(.serialized) struct FoundationFineTuningTests {
    /// One pretrained checkpoint shared by the tests (pretrained once per test process).
    static let checkpoint: (runs: String, path: String) = {
        let runs = temporaryPath("finetune-runs")
        let pretrainer = try! FoundationPretrainer(config: TinyShop.config(experimentDirectory: runs, epochs: 2), progress: nil)
        let result = try! pretrainer.fit()
        return (runs, result.checkpoint!.path)
    }()

    static func fineTuner(_ yaml: String, overrides: [String] = []) throws -> FoundationFineTuner {
        let foundation = try FoundationModel.load(from: URL(fileURLWithPath: checkpoint.path))
        let config = try FineTuneConfig.load(yaml: yaml, base: foundation.description.config.eventsConfig,
                                             overrides: ["experiment.experiment_dir=\(checkpoint.runs)",
                                                         "data_params.test_start_date=2023-08-20"] + overrides)
        return try FoundationFineTuner(foundation: foundation, config: config, progress: nil)
    }

    @Test func churnFineTunesFromTheBackboneAndReloadsToIdenticalPredictionsOnALaterDate() throws {
        let tuner = try Self.fineTuner("""
            target: {type: churn}
            training: {epochs: 2, learning_rate: 1.0e-3, metrics: [auroc, accuracy]}
            fine_tuning: {warm_start_steps: 2}
            experiment: {run_id: churn}
            """)
        #expect(tuner.config.events.dataParams.validationStartDate == TinyShop.validationStart)   // inherited
        #expect(tuner.config.events.training.batchSize == 64)
        #expect(tuner.network.head.outputSize == 1)
        let pretrained = Dictionary(uniqueKeysWithValues: tuner.foundation.network.namedParameters.map { ($0.name, $0.parameter.value.scalars) })
        #expect(tuner.network.backbone.namedParameters.allSatisfy { pretrained["backbone." + $0.name] == $0.parameter.value.scalars })
        let result = try tuner.fit()
        let test = try tuner.evaluate(.test)
        #expect(result.validationMetrics["val_auroc"] != nil && test["auroc"] != nil)

        let model = try EventModel.load(from: try #require(result.runDirectory))
        #expect(model.description.foundation?.fromScratch == false)
        let store = try EventDatasets.openStore(model.description.config)
        let reloadedTest = try model.test(store: store)
        #expect(abs(reloadedTest["auroc"]! - test["auroc"]!) < 1e-9 && abs(reloadedTest["loss"]! - test["loss"]!) < 1e-6)
        // A later prediction date: the reloaded bundle scores exactly as the trained network does.
        let date = day("2023-08-25")
        let predictions = try model.predict(store: store, at: date)
        let samples = SampleBuilder.predictionSamples(store: store, dataStart: tuner.foundation.description.dataStart, at: date)
        tuner.network.eval()
        let trained = withoutGradients { tuner.network(tuner.foundation.inputs(store: store, samples: samples.samples)) }.sigmoid()
        #expect(predictions.entityIDs == samples.samples.map { store.entityIDs[$0.entity] })
        #expect(predictions.scores.scalars == trained.scalars)
        let again = try EventModel.load(from: result.runDirectory!).predict(store: store, at: date)
        #expect(again.scores.scalars == predictions.scores.scalars)
    }

    @Test func nextItemsPredictTheSketchAndRankTheDecodedItems() throws {
        let tuner = try Self.fineTuner("""
            target: {type: next_items, item_column: product_id, top_k: 5}
            training: {epochs: 1}
            experiment: {run_id: next-items}
            """)
        let representation = tuner.foundation.representation
        #expect(tuner.network.head.outputSize == representation.sketchWidth)
        #expect(tuner.task.outputNames == representation.items)
        let result = try tuner.fit()
        #expect(result.validationMetrics["val_ndcg@5"].map { $0 > 0 && $0 <= 1 } == true)
        let test = try tuner.evaluate(.test)
        let model = try EventModel.load(from: try #require(result.runDirectory))
        let store = try EventDatasets.openStore(model.description.config)
        let reloaded = try model.test(store: store)
        #expect(abs(reloaded["ndcg@5"]! - test["ndcg@5"]!) < 1e-9)
        let predictions = try model.predict(store: store, at: day("2023-08-25"), entityIDs: [store.entityIDs[0]])
        let row = predictions.scores.scalars
        #expect(row.count == representation.items.count && row.allSatisfy { $0 >= 0 && $0 <= Float(representation.partitions) })
        #expect(predictions.tsv(topK: 5).split(separator: "\n")[1].split(separator: "\t")[1].split(separator: ",").count == 5)

        let wrongColumn = #expect(throws: EventsError.self) {
            try Self.fineTuner("target: {type: next_items, item_column: category}")
        }
        #expect("\(wrongColumn!)".contains("product_id"))
    }

    @Test func earlyStoppingStartsAfterTheWarmStart() throws {
        func stopping(_ overrides: [String]) throws -> EarlyStopping? {
            let tuner = try Self.fineTuner("target: {type: churn}\ntraining: {early_stopping: {patience: 2}}", overrides: overrides)
            return tuner.trainer.callbacks.compactMap { $0 as? EarlyStopping }.first
        }
        #expect(try stopping(["fine_tuning.warm_start_steps=30"])?.startFromStep == 30)
        #expect(try stopping(["fine_tuning.warm_start_steps=30", "training.early_stopping.start_from_step=50"])?.startFromStep == 50)
        #expect(try stopping(["fine_tuning.warm_start_steps=30", "fine_tuning.from_scratch=true"])?.startFromStep == 0)
        #expect(try stopping([])?.startFromStep == 0)
    }

    @Test func theBackboneLearningRateMultiplierGivesTheBackboneItsOwnOptimizerGroup() throws {
        let yaml = "target: {type: churn}\ntraining: {learning_rate: 1.0e-3}\nfine_tuning: {backbone_learning_rate_multiplier: 0.25}"
        let tuner = try Self.fineTuner(yaml)
        #expect(tuner.config.fineTuning.backboneLearningRateMultiplier == 0.25)
        let optimizer = tuner.trainer.optimizer
        #expect(optimizer.groupCount == 2)
        #expect(optimizer.learningRates == [Float(1.0e-3) * 0.25, Float(1.0e-3)])
        #expect(optimizer.namedParameters(ofGroup: 0).allSatisfy { $0.name.hasPrefix("backbone.") })
        #expect(optimizer.namedParameters(ofGroup: 1).map(\.name) == ["head.weight", "head.bias"])
        // One rate for all by default, and with from_scratch (no pretrained weights to protect).
        #expect(try Self.fineTuner("target: {type: churn}").trainer.optimizer.groupCount == 1)
        #expect(try Self.fineTuner(yaml, overrides: ["fine_tuning.from_scratch=true"]).trainer.optimizer.groupCount == 1)
    }

    @Test func l2spPullsEveryBackboneParameterTowardItsPretrainedValue() throws {
        func l2sp(_ overrides: [String]) throws -> L2SP? {
            try Self.fineTuner("target: {type: churn}", overrides: overrides).trainer.callbacks.compactMap { $0 as? L2SP }.first
        }
        let backbone = try Self.fineTuner("target: {type: churn}").network.namedParameters.filter { $0.name.hasPrefix("backbone.") }
        let callback = try #require(try l2sp(["fine_tuning.l2sp_strength=0.01"]))
        #expect(callback.strength == 0.01)
        #expect(callback.parameterCount == backbone.count && !backbone.isEmpty)
        #expect(try l2sp([]) == nil)
        #expect(try l2sp(["fine_tuning.l2sp_strength=0.01", "fine_tuning.from_scratch=true"]) == nil)
    }

    @Test func fromScratchTrainsTheSameArchitectureFromFreshWeights() throws {
        let tuner = try Self.fineTuner("target: {type: churn}\ntraining: {epochs: 1}\nexperiment: {run_id: scratch}",
                                       overrides: ["fine_tuning.from_scratch=true", "data_params.training_entity_fraction=0.5"])
        let pretrained = tuner.foundation.network.namedParameters.first { $0.name.hasPrefix("backbone.") }!
        let fresh = tuner.network.namedParameters.first { $0.name == pretrained.name }!
        #expect(fresh.parameter.shape == pretrained.parameter.shape)
        #expect(fresh.parameter.value.scalars != pretrained.parameter.value.scalars)
        #expect(tuner.samples[.train]!.leftOutByFraction > 0)
        #expect(tuner.summaryLines.contains { $0.contains("from scratch") })
        #expect(!tuner.summaryLines.contains { $0.hasPrefix("note: ") })
        let early = try Self.fineTuner("target: {type: churn}", overrides: ["data_params.validation_start_date=2023-07-01"])
        #expect(early.summaryLines.contains { $0.hasPrefix("note: validation_start_date 2023-07-01 is before the pretraining's 2023-07-15") })
        let result = try tuner.fit()
        #expect(try EventModel.load(from: result.runDirectory!).description.foundation?.fromScratch == true)
    }
}

import FledgeEvents
import FledgeTensor
import FledgeTrain
import Foundation
import Testing

@Suite struct NumericEncodingTests {
    @Test func piecewiseLinearEncodingHasOneInputPerDistinctQuantileBin() throws {
        // Column 0: 0...8 (edges at the quantiles 0, 2, 4, 6, 8); column 1: binary; column 2: constant.
        let rows: [[Float]] = (0...8).map { [Float($0), $0 % 2 == 0 ? 0 : 1, 5] }
        let scaler = FeatureScaler(fitting: Tensor(rows), piecewiseLinearBins: 4)
        #expect(scaler.binEdges == [[0, 2, 4, 6, 8], [0, 1], [5]])
        #expect(scaler.outputCount == 4 + 1 + 1)
        let encoded = scaler.apply(Tensor(shape: [3, 3], values: [3, 1, 5, -10, 0, 7, 100, 1, 5]))
        #expect(encoded.shape == [3, 6])
        #expect(encoded.scalars == [1, 0.5, 0, 0, 1, 0,    // 3 fills the first bin and half the second
                                    0, 0, 0, 0, 0, 0,      // below the training range: every bin 0
                                    1, 1, 1, 1, 1, 0])     // above it: every bin 1; a constant column is always 0
        // Standardisation (the default) is unchanged and keeps one input per feature.
        let standard = FeatureScaler(fitting: Tensor(rows))
        #expect(standard.binEdges == nil && standard.outputCount == 3)
    }

    @Test func configKeysAreValidatedAndNamed() throws {
        let config = try EventsConfig.load(path: "Examples/configs/events-churn.yaml",
                                           overrides: ["data_params.numeric_encoding=piecewise_linear",
                                                       "data_params.piecewise_linear_bins=8"])
        #expect(config.dataParams.numericEncoding == .piecewiseLinear && config.dataParams.piecewiseLinearBins == 8)
        #expect(EventDataParams().numericEncoding == .standard && EventDataParams().piecewiseLinearBins == 16)
        #expect(try EventsConfig.load(path: "Examples/configs/events-propensity.yaml").dataParams.numericEncoding == .standard)
        let bins = #expect(throws: ConfigError.self) {
            try EventsConfig.load(path: "Examples/configs/events-churn.yaml", overrides: ["data_params.piecewise_linear_bins=1"])
        }
        #expect(bins?.description.contains("data_params.piecewise_linear_bins") == true)
        #expect(bins?.description.contains("must be at least 2") == true)
        let kind = #expect(throws: ConfigError.self) {
            try EventsConfig.load(path: "Examples/configs/events-churn.yaml", overrides: ["data_params.numeric_encoding=quantile"])
        }
        #expect(kind?.description.contains("data_params.numeric_encoding") == true)
        #expect(kind?.description.contains("piecewise_linear") == true)
    }

    /// The bins come from the training split points only, are saved with the model, and a reloaded
    /// model scores the test split and predicts exactly as the trained one.
    @Test func binsAreFittedOnTrainingOnlyAndReloadGivesIdenticalScores() throws {
        let (base, directory) = try quickConfig("churn", epochs: 3)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var config = base
        config.dataParams.numericEncoding = .piecewiseLinear
        config.dataParams.piecewiseLinearBins = 8
        let trainer = try EventTrainer(config: config, progress: nil)
        let extractor = FeatureExtractor(layout: trainer.layout, store: trainer.store, dataStart: trainer.splits.dataStart)
        let training = extractor.features(trainer.samples[.train]!.samples)
        #expect(trainer.scaler == FeatureScaler(fitting: training, clipping: true, piecewiseLinearBins: 8))
        #expect(trainer.scaler != FeatureScaler(fitting: extractor.features(trainer.samples[.validation]!.samples),
                                                clipping: true, piecewiseLinearBins: 8))
        #expect(trainer.trainer.data.train.featureCount == trainer.scaler.outputCount)
        #expect(trainer.scaler.outputCount > trainer.layout.count)
        let result = try trainer.fit()
        let test = try trainer.evaluate(.test)

        let (model, _) = try expectReloadScoresAsTrained(trainer, run: result.runDirectory!, test: test, tolerance: 0)
        #expect(model.description.scaler == trainer.scaler)
        #expect(model.description.config.dataParams.numericEncoding == .piecewiseLinear)
    }
}

import FledgeEvents
import FledgeTensor
import FledgeTrain
import Foundation
import Testing

/// Pretraining end to end on a tiny generated shop: it learns, its checkpoint reloads exactly,
/// and nothing from the validation window reaches what training fits.
@Suite(.serialized) struct FoundationPretrainingTests {
    @Test func pretrainingBeatsTheMeanSketchAndReloadsBitIdentically() throws {
        let runs = temporaryPath("runs")
        defer { try? FileManager.default.removeItem(atPath: runs) }
        let pretrainer = try FoundationPretrainer(config: TinyShop.config(experimentDirectory: runs), progress: nil)
        #expect(pretrainer.summaryLines.contains { $0.hasPrefix("validation: \(pretrainer.validationSamples.samples.count) samples") })
        let result = try pretrainer.fit()
        let loss = try #require(result.training.validationMetrics["val_loss"])
        #expect(loss < result.baselineLoss, "validation sketch loss \(loss) vs mean-sketch baseline \(result.baselineLoss)")
        #expect(result.training.validationMetrics["val_recall@5"].map { $0 > 0 && $0 <= 1 } == true)

        let checkpoint = try #require(result.checkpoint)
        #expect(checkpoint.lastPathComponent == "foundation")
        for file in ["model.safetensors", "foundation.json", "representation.json"] {
            #expect(FileManager.default.fileExists(atPath: checkpoint.appendingPathComponent(file).path), "\(file)")
        }
        // The checkpoint is the model: no FledgeTrain `model/` bundle describing only the network.
        let run = checkpoint.deletingLastPathComponent()
        #expect(!FileManager.default.fileExists(atPath: run.appendingPathComponent("model").path))
        #expect(FileManager.default.fileExists(atPath: run.appendingPathComponent("metrics.jsonl").path))
        let names = pretrainer.network.namedParameters.map(\.name)
        #expect(names.allSatisfy { $0.hasPrefix("backbone.") || $0.hasPrefix("head.") } && names.contains("head.weight"))

        // The run directory itself loads too; inputs and outputs are bit-identical to training's.
        let model = try FoundationModel.load(from: checkpoint.deletingLastPathComponent())
        #expect(model.representation == pretrainer.representation)
        #expect(model.description.validationMetrics["val_loss"] == loss)
        let inputs = model.inputs(store: pretrainer.store, samples: pretrainer.validationSamples.samples)
        let trained = try #require(pretrainer.trainer.data.validation).features
        #expect(inputs.scalars == trained.scalars)
        pretrainer.network.eval()
        let expected = withoutGradients { pretrainer.network(trained) }
        #expect(withoutGradients { model.network(inputs) }.scalars == expected.scalars)
        let scores = model.itemScores(inputs: inputs)
        #expect(scores.shape == [inputs.shape[0], model.representation.items.count])
    }

    /// The inputs are written straight into one matrix and standardised in place (the largest
    /// allocation of a run, docs/foundation.md "Speed"), with the very values of features and
    /// sketches concatenated, then standardised into a copy.
    @Test func inputsBuiltInOneMatrixAndStandardisedInPlaceEqualTheConcatenatedCopy() throws {
        let runs = temporaryPath("runs")
        defer { try? FileManager.default.removeItem(atPath: runs) }
        let pretrainer = try FoundationPretrainer(config: TinyShop.config(experimentDirectory: runs, epochs: 1), progress: nil)
        let model = pretrainer.model(), description = model.description, store = pretrainer.store
        let samples = pretrainer.validationSamples.samples
        let features = FeatureExtractor(layout: description.layout, store: store, dataStart: description.dataStart).features(samples)
        let sketches = model.representation.inputSketches(store: store, samples: samples, dataStart: description.dataStart)
        let raw = Tensor.concatenate([features, sketches], axis: 1)
        let standardised = description.scaler.apply(raw)
        #expect(raw.scalars != standardised.scalars, "apply copies a tensor its caller still holds")
        #expect(model.inputs(store: store, samples: samples).scalars == standardised.scalars)
        #expect(try #require(pretrainer.trainer.data.validation).features.scalars == standardised.scalars)
        var inPlace = raw.copied()
        let base = inPlace.storage.base
        description.scaler.apply(to: &inPlace)
        #expect(inPlace.storage.base == base && inPlace.scalars == standardised.scalars)
    }

    @Test func nothingFromTheValidationWindowReachesTheRepresentationScalerOrSplitPoints() throws {
        let runs = temporaryPath("runs")
        let changed = temporaryPath("events-changed.csv")
        defer { try? FileManager.default.removeItem(atPath: changed) }
        // The same events, but every event from validation_start_date on is about another product.
        let original = try String(contentsOf: TinyShop.directory.appendingPathComponent("events.csv"), encoding: .utf8)
        var lines = original.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        var rewritten = 0
        for index in lines.indices.dropFirst() {
            var fields = lines[index].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            if fields[1] >= TinyShop.validationStart && !fields[3].isEmpty {
                fields[3] = "P00001"
                rewritten += 1
            }
            lines[index] = fields.joined(separator: ",")
        }
        #expect(rewritten > 100)
        try (lines.joined(separator: "\n") + "\n").write(toFile: changed, atomically: true, encoding: .utf8)

        let first = try FoundationPretrainer(config: TinyShop.config(experimentDirectory: runs), progress: nil)
        let second = try FoundationPretrainer(config: TinyShop.config(events: changed, experimentDirectory: runs), progress: nil)
        let validationStart = try #require(first.splits.validationStart)
        #expect(first.representation.until == validationStart)
        #expect(first.representation == second.representation)
        #expect(first.scaler == second.scaler)
        #expect(first.trainingSamples == second.trainingSamples)
        #expect(first.trainer.data.train.features.scalars == second.trainer.data.train.features.scalars)
        #expect(first.sampler.trainingSamples(epoch: 2) == second.sampler.trainingSamples(epoch: 2))
        // What changed is only the validation targets.
        #expect(first.trainer.data.validation!.features.scalars == second.trainer.data.validation!.features.scalars)
        #expect(first.baselineLoss != second.baselineLoss)

        let maxSplit = try #require(first.splits.trainingMaxSplit)
        for epoch in 0..<3 {
            let drawn = first.sampler.trainingSamples(epoch: epoch)
            #expect(drawn.samples.allSatisfy { $0.splitTimestamp <= maxSplit })
            #expect(drawn.targetEnds.allSatisfy { $0 < validationStart })
        }
        // The scaler is the one of the first epoch's training inputs.
        #expect(first.scaler == FeatureScaler(fitting: rawTrainingInputs(first)))
    }

    private func rawTrainingInputs(_ pretrainer: FoundationPretrainer) -> Tensor {
        let features = FeatureExtractor(layout: pretrainer.layout, store: pretrainer.store, dataStart: pretrainer.splits.dataStart)
            .features(pretrainer.trainingSamples.samples)
        let sketches = pretrainer.representation.inputSketches(store: pretrainer.store, samples: pretrainer.trainingSamples.samples,
                                                               dataStart: pretrainer.splits.dataStart)
        return Tensor.concatenate([features, sketches], axis: 1)
    }

    @Test func epochsRedrawSplitPointsWithTheSameSampleCount() throws {
        let runs = temporaryPath("runs")
        defer { try? FileManager.default.removeItem(atPath: runs) }
        let pretrainer = try FoundationPretrainer(config: TinyShop.config(experimentDirectory: runs, epochs: 2), progress: nil)
        let sampler = pretrainer.sampler
        let (zero, one) = (sampler.trainingSamples(epoch: 0), sampler.trainingSamples(epoch: 1))
        #expect(zero.samples.count == one.samples.count && zero.samples.count == sampler.samplesPerEpoch)
        #expect(zero.samples != one.samples)
        #expect(zero == sampler.trainingSamples(epoch: 0))
        // Each entity keeps at most maximum_splitpoints_per_entity per epoch.
        let perEntity = Dictionary(grouping: one.samples, by: \.entity).mapValues(\.count)
        #expect(perEntity.values.allSatisfy { $0 <= 4 })
        let result = try pretrainer.fit()
        #expect(result.training.epochs == 2)
    }
}

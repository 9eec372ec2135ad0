import FledgeEvents
import FledgeNN
import FledgeTensor
import FledgeTestSupport
import FledgeTrain
import Foundation
import Testing

@Suite(.serialized) struct ItemHistoryNetworkTests {
    @Test func termGradientMatchesFiniteDifferences() {
        var generator = SeededGenerator(seed: 3)
        let history = Tensor.uniform([4 * 5, 3], lowerBound: 0, upperBound: 2, generator: &generator)  // 4 samples, 5 items, 3 blocks
        let weight = Tensor.uniform([3, 1], lowerBound: -1, upperBound: 1, generator: &generator)
        #expect(gradientCheckFailure(inputs: [weight]) { ItemHistoryNetwork.term(history: history, weight: $0[0], items: 5) } == nil)
    }

    /// Every item's score adds the same weights times that item's own history values, read back
    /// from the standardised inputs.
    @Test func eachItemScoreAddsSharedWeightsTimesItsOwnHistory() {
        // 1 other feature, then 2 items × 2 blocks (count, decayed), block-major: [c0, c1, d0, d1].
        let base = Linear(weight: Tensor.zeros([2, 5]), bias: Tensor(shape: [2], values: [0.5, -0.5]))
        let deviations: [Float] = [2, 1, 4, 1], means: [Float] = [1, 0, 0, 3]
        let network = ItemHistoryNetwork(base: base, inputWidth: 5, items: 2, blocks: 2, deviations: deviations, means: means)
        #expect(network.namedParameters.map(\.name).sorted() == ["base.bias", "base.weight", "item_history_weight"])
        let raw: [Float] = [9, 3, 1, 2, 5]                    // feature, c0 = 3, c1 = 1, d0 = 2, d1 = 5
        let standardised = Tensor(shape: [1, 5], values: [raw[0]] + (0..<4).map { (raw[$0 + 1] - means[$0]) / deviations[$0] })
        #expect(network(standardised).scalars == [0.5, -0.5])  // the term starts at 0: the plain base network
        network.weight.assign(Tensor(shape: [2, 1], values: [0.25, -0.125]))
        let expected: [Float] = [0.5 + 5, -0.5 - 3.75]  // bias + 10 · (0.25 · count − 0.125 · decayed), per item
        #expect(network(standardised).scalars == expected)
    }

    /// `data_params.item_history_term` on the clickstream's next pages: the shared weights train, the
    /// saved model reloads into the same network and scores as trained.
    @Test func nextItemsTrainsTheTermAndReloadsToTheSameScores() throws {
        let (base, directory) = try quickConfig("next-items", epochs: 3)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var config = base
        config.dataParams.itemHistoryTerm = true
        let trainer = try EventTrainer(config: config, progress: nil)
        let network = try #require(trainer.trainer.model as? ItemHistoryNetwork)
        #expect(network.items == 19 && network.blocks == 1 + config.dataParams.recencyHalfLivesDays.count)
        // The term reads exactly the item history features: the layout's last items × blocks columns.
        let names = trainer.layout.names
        #expect(names[network.offset...].allSatisfy { $0.hasPrefix("item_") || $0.hasPrefix("decayed_item_") })
        #expect(names.count - network.offset == network.items * network.blocks && !names[network.offset - 1].contains("item_"))
        let result = try trainer.fit()
        #expect(network.weight.value.scalars.contains { $0 != 0 })
        let test = try trainer.evaluate(.test)

        let model = try EventModel.load(from: result.runDirectory!)
        let reloaded = try #require(model.network as? ItemHistoryNetwork)
        #expect(reloaded.weight.value.scalars == network.weight.value.scalars)
        let store = try EventDatasets.openStore(model.description.config)
        let measured = try model.test(store: store)
        #expect(abs(measured["ndcg@5"]! - test["ndcg@5"]!) < 1e-9 && abs(measured["loss"]! - test["loss"]!) < 1e-6)
        let validationDate = try #require(trainer.splits.window(.validation)?.split)
        let predictions = try model.predict(store: store, at: validationDate)
        let dataset = trainer.trainer.data.validation!
        network.eval()
        let trained = withoutGradients { network(dataset.features) }.sigmoid().scalars
        let scores = predictions.scores.scalars, items = network.items
        let rowByID = Dictionary(uniqueKeysWithValues: predictions.entityIDs.enumerated().map { ($1, $0) })
        for (row, id) in dataset.ids!.enumerated() {
            let index = try #require(rowByID[id])
            #expect(scores[(index * items)..<((index + 1) * items)] == trained[(row * items)..<((row + 1) * items)])
        }
    }

    @Test func theTermNeedsItemHistoryFeaturesAndStandardInputs() throws {
        let (churn, directory) = try quickConfig("churn", epochs: 1)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var config = churn
        config.dataParams.itemHistoryTerm = true
        let noItems = #expect(throws: EventsError.self) { try EventTrainer(config: config, progress: nil) }
        #expect("\(noItems!)".contains("data_params.item_history_term needs a recommendation target"), "\(noItems!)")
        var (nextItems, _) = try quickConfig("next-items", epochs: 1)
        nextItems.experiment.experimentDir = directory
        nextItems.dataParams.itemHistoryTerm = true
        nextItems.dataParams.numericEncoding = .piecewiseLinear
        let binned = #expect(throws: EventsError.self) { try EventTrainer(config: nextItems, progress: nil) }
        #expect("\(binned!)".contains("needs numeric_encoding: standard"), "\(binned!)")
        let parsed = try EventsConfig.load(path: "Examples/configs/events-next-items.yaml", overrides: ["data_params.item_history_term=true"])
        #expect(parsed.dataParams.itemHistoryTerm && !EventDataParams().itemHistoryTerm)
    }
}

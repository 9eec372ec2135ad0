import FledgeEvents
import FledgeNN
import FledgeTensor
import Foundation
import Testing

/// The foundation network's names, head replacement, and the checkpoint loader's errors.
struct FoundationNetworkTests {
    @Test func parametersAreNamedBackboneAndHead() {
        let network = FoundationNetwork(inputSize: 6, hiddenLayers: [8, 4], dropout: 0.1, outputSize: 5, seed: 2,
                                        normalization: .layer)
        let names = network.namedParameters.map(\.name)
        #expect(names.first == "backbone.0.weight")
        #expect(names.suffix(2) == ["head.weight", "head.bias"])
        #expect(names.allSatisfy { $0.hasPrefix("backbone.") || $0.hasPrefix("head.") })
        #expect(network.backboneWidth == 4 && network.outputSize == 5)
        #expect(network(Tensor.zeros([3, 6])).shape == [3, 5])
    }

    @Test func replacingTheHeadKeepsACopyOfTheBackbone() {
        let network = FoundationNetwork(inputSize: 6, hiddenLayers: [8], dropout: 0, outputSize: 5, seed: 2)
        let task = network.replacingHead(outputSize: 1, seed: 3)
        #expect(task.head.outputSize == 1)
        let input = Tensor.ones([2, 6])
        #expect(task.embed(input).scalars == network.embed(input).scalars)
        // No shared storage: changing the copy leaves the original alone.
        let original = network.backbone.namedParameters[0].parameter.value.scalars
        task.backbone.namedParameters[0].parameter.value = Tensor.zeros([8, 6]).requiringGradient()
        #expect(network.backbone.namedParameters[0].parameter.value.scalars == original)
        #expect(task.backbone.trainableParameters.count == network.backbone.parameters.count)
    }

    @Test func loadingSomethingElseNamesThePath() throws {
        let missing = URL(fileURLWithPath: temporaryPath("nothing"))
        #expect { _ = try FoundationModel.load(from: missing) } throws: {
            String(describing: $0).contains(missing.path) && String(describing: $0).contains("no such folder")
        }
        let empty = URL(fileURLWithPath: temporaryPath("empty"))
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: empty) }
        #expect { _ = try FoundationModel.load(from: empty) } throws: {
            String(describing: $0) == "\(empty.path): no foundation.json; this is not a foundation-model checkpoint (fledge pretrain writes <run>/foundation/)"
        }
        try "{".write(to: empty.appendingPathComponent("foundation.json"), atomically: true, encoding: .utf8)
        #expect { _ = try FoundationModel.load(from: empty) } throws: {
            String(describing: $0).hasPrefix(empty.appendingPathComponent("foundation.json").path + ": cannot be read")
        }
    }
}

import FledgeNN
import FledgeTensor
import FledgeTestSupport
import Foundation
import Testing

/// The config-style MLP builder.
struct MLPTests {
    @Test func buildsBlocksWithPyTorchStyleNames() {
        let model = MLP(inputSize: 8, layers: [16, 4], outputSize: 3, dropout: 0.1, normalization: .batch, seed: 1)
        // Linear, BatchNorm, ReLU, Dropout per hidden layer, then the output Linear.
        #expect(model.layers.count == 9)
        #expect(model.namedParameters.map(\.name) == [
            "layers.0.weight", "layers.0.bias", "layers.1.weight", "layers.1.bias",
            "layers.4.weight", "layers.4.bias", "layers.5.weight", "layers.5.bias",
            "layers.8.weight", "layers.8.bias",
        ])
        #expect(model.namedBuffers.map(\.name).contains("layers.1.running_mean"))
        #expect(model.parameterCount == (8 * 16 + 16) + 32 + (16 * 4 + 4) + 8 + (4 * 3 + 3))
        #expect(model(Tensor.ones([5, 8])).shape == [5, 3])
    }

    @Test func sameSeedBuildsTheSameNetwork() {
        let a = MLP(inputSize: 4, layers: [8], outputSize: 2, seed: 5)
        let b = MLP(inputSize: 4, layers: [8], outputSize: 2, seed: 5)
        let c = MLP(inputSize: 4, layers: [8], outputSize: 2, seed: 6)
        #expect(a.parameters.map(\.value.scalars) == b.parameters.map(\.value.scalars))
        #expect(a.parameters.map(\.value.scalars) != c.parameters.map(\.value.scalars))
    }

    @Test func activationsAndNormalizationsParseFromConfigNames() throws {
        #expect(try Activation(name: "ReLU") == .relu)
        #expect(try Activation(name: "leaky_relu") == .leakyRelu)
        #expect(try Activation(name: "LeakyReLU") == .leakyRelu)
        #expect(try Activation(name: "gelu-tanh") == .geluTanh)
        #expect(try Activation(name: "none") == .identity)
        #expect(try Normalization(name: "LayerNorm") == .layer)
        #expect(try Normalization(name: "batch_norm") == .batch)
        #expect(throws: UnknownOptionError.self) { try Activation(name: "swishy") }
        do {
            _ = try MLP(inputSize: 2, layers: [4], outputSize: 1, activation: "relu", normalization: "group")
            Issue.record("accepted normalization 'group'")
        } catch let error as UnknownOptionError {
            #expect(error.description == "unknown normalization 'group'; valid values: none, batch, layer")
        }
        let decoded = try JSONDecoder().decode([Activation].self, from: Data(#"["gelu", "Leaky_ReLU"]"#.utf8))
        #expect(decoded == [.gelu, .leakyRelu])
        for activation in Activation.allCases {
            for normalization in Normalization.allCases {
                let model = MLP(inputSize: 3, layers: [4], outputSize: 2, activation: activation,
                                normalization: normalization)
                #expect(model(Tensor.ones([2, 3])).shape == [2, 2])
            }
        }
    }

    @Test func gradientsFlowThroughEveryBlock() {
        let model = MLP(inputSize: 3, layers: [4, 4], outputSize: 2, activation: .tanh, normalization: .layer, seed: 2)
        var generator = SeededGenerator(seed: 3)
        let input = Tensor.normal([3, 3], generator: &generator)
        #expect(gradientCheckFailure(inputs: [input]) { model($0[0]) } == nil)
        crossEntropy(model(input), targets: IndexTensor([0, 1, 1])).backward()
        #expect(model.parameters.allSatisfy { $0.grad != nil })
    }

    @Test func frozenParametersGetNoGradientWhileOthersTrain() {
        let model = MLP(inputSize: 3, layers: [4], outputSize: 2, seed: 6)
        #expect(model.freeze(matching: "layers.0.*") == 2)
        crossEntropy(model(Tensor.ones([2, 3])), targets: IndexTensor([0, 1])).backward()
        #expect(model.namedParameters.map { $0.parameter.grad != nil } == [false, false, true, true])
        #expect(model.trainableParameters.count == 2)
    }

    @Test func evalModeDisablesDropout() {
        let model = MLP(inputSize: 4, layers: [32], outputSize: 2, dropout: 0.5, seed: 4)
        let input = Tensor.ones([2, 4])
        #expect(model(input).scalars != model(input).scalars)
        model.eval()
        #expect(model(input).scalars == model(input).scalars)
    }

    @Test func gradientDescentFitsASmallClassificationProblem() {
        let model = MLP(inputSize: 2, layers: [16], outputSize: 2, seed: 8)
        let inputs = Tensor([[0, 0], [0, 1], [1, 0], [1, 1]])
        let targets = IndexTensor([0, 1, 1, 0])
        func loss() -> Tensor { crossEntropy(model(inputs), targets: targets) }
        let initial = withoutGradients { loss().item }
        for _ in 0..<300 {
            model.zeroGradients()
            loss().backward()
            for parameter in model.parameters {
                let gradient = parameter.grad!
                parameter.updateInPlace { values in
                    for index in 0..<values.count { values[index] -= 0.5 * gradient.storage.base[index] }
                }
            }
        }
        let final = withoutGradients { loss().item }
        #expect(final < initial * 0.2, "XOR loss went from \(initial) to \(final)")
    }
}

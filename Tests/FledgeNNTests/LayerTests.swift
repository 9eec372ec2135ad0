import FledgeNN
import FledgeTensor
import FledgeTestSupport
import Testing

/// Linear, Sequential, embeddings, dropout and activation modules.
struct LayerTests {
    @Test func linearUsesPyTorchDefaultInitAndLayout() {
        let layer = Linear(inputSize: 16, outputSize: 4, seed: 1)
        #expect(layer.weight.shape == [4, 16])
        #expect(layer.bias!.shape == [4])
        #expect(layer.weight.value.scalars.allSatisfy { abs($0) <= 0.25 })
        #expect(layer.bias!.value.scalars.allSatisfy { abs($0) <= 0.25 })
        #expect(layer.namedParameters.map(\.name) == ["weight", "bias"])
        #expect(Linear(inputSize: 16, outputSize: 4, seed: 1).weight.value.scalars == layer.weight.value.scalars)
        #expect(Linear(inputSize: 16, outputSize: 4, seed: 2).weight.value.scalars != layer.weight.value.scalars)
        #expect(Linear(inputSize: 3, outputSize: 2, bias: false).namedParameters.map(\.name) == ["weight"])
    }

    @Test func linearComputesInputTimesWeightTransposedPlusBias() {
        let layer = Linear(weight: Tensor([[1, 2], [3, 4], [5, 6]]), bias: Tensor([0.5, -1, 0]))
        let output = layer(Tensor([[1, 1], [2, -1]]))
        #expect(output.scalars == [3.5, 6, 11, 0.5, 1, 4])
        #expect(gradientCheckFailure(inputs: [Tensor([[0.3, -0.7]])]) { layer($0[0]) } == nil)
    }

    @Test func sequentialFusesLinearReLUWithoutChangingResults() {
        let linear = Linear(inputSize: 3, outputSize: 4, seed: 3)
        let fused = Sequential(linear, ReLU())
        var generator = SeededGenerator(seed: 4)
        let input = Tensor.normal([5, 3], generator: &generator)
        let reference = linear(input).relu()
        #expect(fused(input).scalars == reference.scalars)
        #expect(gradientCheckFailure(inputs: [input]) { fused($0[0]) } == nil)
        #expect(fused.namedParameters.map(\.name) == ["0.weight", "0.bias"])
    }

    @Test func sequentialNamesChildrenByPosition() {
        let model = Sequential(Linear(inputSize: 2, outputSize: 3), Tanh(), Linear(inputSize: 3, outputSize: 1))
        #expect(model.namedParameters.map(\.name) == ["0.weight", "0.bias", "2.weight", "2.bias"])
        model.append(Sigmoid())
        #expect(model.count == 4)
        #expect(model(Tensor([[1, 2]])).shape == [1, 1])
    }

    @Test func activationModulesApplyTheirOps() {
        let x = Tensor([-2, -0.5, 0.5, 3])
        #expect(ReLU()(x).scalars == x.relu().scalars)
        #expect(LeakyReLU(negativeSlope: 0.2)(x).scalars == x.leakyRelu(negativeSlope: 0.2).scalars)
        #expect(GELU(approximation: .tanh)(x).scalars == x.gelu(approximation: .tanh).scalars)
        #expect(Tanh()(x).scalars == x.tanh().scalars)
        #expect(Sigmoid()(x).scalars == x.sigmoid().scalars)
        #expect(Softplus(beta: 2)(x).scalars == x.softplus(beta: 2).scalars)
        #expect(Identity()(x).scalars == x.scalars)
    }

    @Test func embeddingLooksUpRowsAndAccumulatesRepeatedIds() {
        let embedding = Embedding(weight: Tensor([[0, 1], [2, 3], [4, 5]]))
        let ids = IndexTensor(shape: [2, 2], indices: [2, 0, 2, 1])
        let output = embedding(ids)
        #expect(output.shape == [2, 2, 2])
        #expect(output.scalars == [4, 5, 0, 1, 4, 5, 2, 3])
        output.backward()
        #expect(embedding.weight.grad!.scalars == [1, 1, 1, 1, 2, 2])
        #expect(Embedding(count: 10, dimension: 4, seed: 1).weight.shape == [10, 4])
    }

    @Test func embeddingBagMatchesPyTorch() throws {
        let file = try GoldenFile.load("layers")
        let cases = file.cases(prefixed: "embedding_bag/")
        #expect(cases.count == 2)
        for golden in cases {
            let mode = EmbeddingBag.Mode(rawValue: golden.attributes["mode"]!.string!)!
            let bag = EmbeddingBag(weight: golden.input("weight").tensor, mode: mode)
            let output = bag(IndexTensor(golden.input("ids").indices), offsets: IndexTensor(golden.input("offsets").indices))
            #expect(output.isClose(to: golden.output("output").tensor), "\(golden.name) output")
            output.backward(seed: golden.input("upstream").tensor)
            #expect(bag.weight.grad!.isClose(to: golden.output("grad_weight").tensor), "\(golden.name) gradient")
        }
    }

    @Test func embeddingBagTakesListsOfIds() {
        let bag = EmbeddingBag(weight: Tensor([[1, 2], [3, 4], [5, 6]]), mode: .sum)
        #expect(bag(bags: [[0, 2], [], [1]]).scalars == [6, 8, 0, 0, 3, 4])
        #expect(gradientCheckFailure(inputs: [bag.weight.value]) { xs in
            EmbeddingBag(weight: Tensor.zeros([3, 2]), mode: .mean).weightForCheck(xs[0])(bags: [[0, 2, 2], [1]])
        } == nil)
    }

    @Test func dropoutIsSeededScaledAndIdentityInEval() {
        let input = Tensor.ones([1000])
        let first = Dropout(probability: 0.25, seed: 7), second = Dropout(probability: 0.25, seed: 7)
        let output = first(input)
        #expect(output.scalars == second(input).scalars)
        #expect(Set(output.scalars).isSubset(of: [0, Float(1) / 0.75]))
        let kept = output.scalars.filter { $0 != 0 }.count
        #expect((700...800).contains(kept))
        #expect(first(input).scalars != output.scalars, "each call draws a new mask")
        first.eval()
        #expect(first(input).scalars == input.scalars)
        let leaf = Tensor([1, 2, 3, 4]).requiringGradient()
        let dropout = Dropout(probability: 0.5, seed: 1)
        let result = dropout(leaf)
        result.backward()
        #expect(leaf.grad!.scalars == result.scalars.enumerated().map { $0.element / leaf.scalars[$0.offset] })
    }
}

extension EmbeddingBag {
    /// A bag layer sharing this mode whose table is `weight` (so a gradient check can vary it).
    fileprivate func weightForCheck(_ weight: Tensor) -> EmbeddingBag {
        let copy = EmbeddingBag(weight: weight, mode: mode)
        copy.weight.value = weight
        return copy
    }
}

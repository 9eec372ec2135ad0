import FledgeTensor
import Testing
@testable import FledgeNN

/// Gradients of every parameter and of the input after one forward/backward of `model`.
private func gradients(_ model: MLP, _ input: Tensor, upstream: Tensor) -> (output: [Float], grads: [[Float]]) {
    model.zeroGradients()
    let x = input.requiringGradient()
    let output = model(x)
    output.backward(seed: upstream)
    return (output.scalars, model.parameters.map { $0.grad!.scalars } + [x.grad!.scalars])
}

@Test(arguments: [Precision.float32, .bfloat16Mixed])
func checkpointedMLPGivesIdenticalGradientsWithDropout(precision: Precision) {
    var generator = SeededGenerator(seed: 5)
    let input = Tensor.normal([12, 10], generator: &generator)
    let upstream = Tensor.normal([12, 3], generator: &generator)
    let plain = MLP(inputSize: 10, layers: Array(repeating: 16, count: 8), outputSize: 3, dropout: 0.3, seed: 9)
    let checkpointed = MLP(inputSize: 10, layers: Array(repeating: 16, count: 8), outputSize: 3, dropout: 0.3, seed: 9)
    checkpointed.gradientCheckpointing = true
    #expect(checkpointed.layers.checkpointSegments == 5)  // ⌈√(8 fused blocks + 8 dropouts + 1 output)⌉
    plain.setPrecision(precision)
    checkpointed.setPrecision(precision)
    for _ in 0..<2 {  // twice: the generators must have moved on identically after the first step
        let expected = gradients(plain, input, upstream: upstream)
        let actual = gradients(checkpointed, input, upstream: upstream)
        #expect(actual.output == expected.output)
        #expect(actual.grads == expected.grads)
    }
    #expect(plain.generatorStates == checkpointed.generatorStates)
}

@Test func checkpointingUpdatesBatchNormStatisticsOnce() {
    var generator = SeededGenerator(seed: 6)
    let input = Tensor.normal([8, 4], generator: &generator) * 2 + 1
    let plain = MLP(inputSize: 4, layers: [6, 6, 6, 6], outputSize: 2, normalization: .batch, seed: 1)
    let checkpointed = MLP(inputSize: 4, layers: [6, 6, 6, 6], outputSize: 2, normalization: .batch, seed: 1)
    checkpointed.layers.useGradientCheckpointing(segments: 3)
    let upstream = Tensor.ones([8, 2])
    #expect(gradients(checkpointed, input, upstream: upstream).grads == gradients(plain, input, upstream: upstream).grads)
    #expect(checkpointed.namedBuffers.map(\.buffer.value.scalars) == plain.namedBuffers.map(\.buffer.value.scalars))
}

/// Remembers the storage of its last output weakly, to see whether anything keeps it alive.
private final class Probe: Layer {
    var isTraining = true
    weak var lastOutput: TensorStorage?
    func callAsFunction(_ input: Tensor) -> Tensor {
        let output = input.relu()
        lastOutput = output.storage
        return output
    }
}

@Test func checkpointedSegmentsDoNotKeepTheirActivations() {
    var generator = SeededGenerator(seed: 7)
    let weight = Tensor.normal([4, 4], generator: &generator)
    for segments in [nil, 2] {
        let probe = Probe()
        let model = Sequential([Linear(weight: weight, bias: nil), probe]
                               + (0..<4).map { _ in Linear(weight: weight, bias: nil) })
        model.checkpointSegments = segments
        let output = model(Tensor.normal([3, 4], generator: &generator))
        // Segment 1 of 2 is Linear → probe → Linear: the probe's output is an inner activation.
        #expect((probe.lastOutput != nil) == (segments == nil), "segments: \(String(describing: segments))")
        output.sum().backward()
        #expect(model.parameters.allSatisfy { $0.grad != nil })
    }
}

@Test func checkpointingIsSkippedWithoutGradients() {
    let model = MLP(inputSize: 3, layers: [4, 4, 4, 4], outputSize: 2, seed: 2)
    let input = Tensor.ones([2, 3])
    let expected = withoutGradients { model(input) }.scalars
    model.gradientCheckpointing = true
    #expect(withoutGradients { model(input) }.scalars == expected)
    #expect(!withoutGradients { model(input) }.requiresGradient)
}

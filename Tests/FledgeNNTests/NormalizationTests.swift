import FledgeNN
import FledgeTensor
import FledgeTestSupport
import Testing

/// LayerNorm and BatchNorm1d against PyTorch (scripts/reference/golden_layers.py) and finite differences.
struct NormalizationTests {
    let file: GoldenFile

    init() throws { file = try GoldenFile.load("layers") }

    // Normalisation divides by a square root computed in Float32 over a few elements; results
    // agree with PyTorch to 1e-5 relative with a 1e-5 absolute floor for values near zero.
    private func close(_ a: Tensor, _ b: Tensor) -> Bool { a.isClose(to: b, relativeTolerance: 1e-5, absoluteTolerance: 1e-5) }

    /// Loads the case's weight and bias into `layer`, runs it on `input` and compares the output and
    /// all three gradients with PyTorch's.
    private func checkTraining(_ golden: GoldenCase, _ layer: some Layer, weight: Parameter, bias: Parameter) {
        weight.assign(golden.input("weight").tensor)
        bias.assign(golden.input("bias").tensor)
        if let first = golden.inputs["first"] { _ = layer(first.tensor) }
        let input = golden.input("input").tensor.requiringGradient()
        let output = layer(input)
        #expect(close(output, golden.output("output").tensor), "\(golden.name) output")
        output.backward(seed: golden.input("upstream").tensor)
        #expect(close(input.grad!, golden.output("grad_input").tensor), "\(golden.name) input gradient")
        #expect(close(weight.grad!, golden.output("grad_weight").tensor), "\(golden.name) weight gradient")
        #expect(close(bias.grad!, golden.output("grad_bias").tensor), "\(golden.name) bias gradient")
    }

    @Test func layerNormMatchesPyTorchForwardAndBackward() {
        let cases = file.cases(prefixed: "layer_norm/")
        #expect(cases.count == 2)
        for golden in cases {
            let layer = LayerNorm(normalizedShape: golden.attributes["normalized_shape"]!.numbers!.map { Int($0) })
            checkTraining(golden, layer, weight: layer.weight!, bias: layer.bias!)
        }
    }

    @Test func batchNormMatchesPyTorchInTrainingAndEvaluation() {
        let cases = file.cases(prefixed: "batch_norm/")
        #expect(cases.count == 2)
        for golden in cases {
            let layer = BatchNorm1d(featureCount: 3)
            checkTraining(golden, layer, weight: layer.weight!, bias: layer.bias!)
            #expect(close(layer.runningMean.value, golden.output("running_mean").tensor), "\(golden.name) running mean")
            #expect(close(layer.runningVariance.value, golden.output("running_var").tensor), "\(golden.name) running var")
            #expect(layer.batchesTracked.value.item == 2)

            layer.eval()
            let evaluationInput = golden.input("eval_input").tensor.requiringGradient()
            let evaluation = layer(evaluationInput)
            #expect(close(evaluation, golden.output("eval_output").tensor), "\(golden.name) eval output")
            evaluation.backward(seed: golden.input("upstream").tensor)
            #expect(close(evaluationInput.grad!, golden.output("eval_grad_input").tensor), "\(golden.name) eval gradient")
        }
    }

    @Test func normalizationGradientsMatchFiniteDifferences() {
        var generator = SeededGenerator(seed: 5)
        let x = Tensor.normal([4, 3], generator: &generator)
        let gamma = Tensor([0.5, 1.5, -1]), beta = Tensor([0.1, 0, -0.3])
        let layerNorm = LayerNorm(3)
        let batchNorm = BatchNorm1d(featureCount: 3)
        // Parameters are fed as inputs so the check covers their gradients too.
        #expect(gradientCheckFailure(inputs: [x, gamma, beta]) { xs in
            layerNorm.weight!.value = xs[1]
            layerNorm.bias!.value = xs[2]
            return layerNorm(xs[0])
        } == nil)
        #expect(gradientCheckFailure(inputs: [x, gamma, beta]) { xs in
            batchNorm.weight!.value = xs[1]
            batchNorm.bias!.value = xs[2]
            return batchNorm(xs[0])
        } == nil)
        batchNorm.eval()
        #expect(gradientCheckFailure(inputs: [x]) { batchNorm($0[0]) } == nil)
        let plain = LayerNorm(3, elementwiseAffine: false)
        #expect(plain.parameters.isEmpty)
        #expect(gradientCheckFailure(inputs: [x]) { plain($0[0]) } == nil)
    }

    @Test func batchNormStateDictUsesPyTorchNames() {
        let layer = BatchNorm1d(featureCount: 2)
        #expect(Set(layer.stateDict().keys) == ["weight", "bias", "running_mean", "running_var", "num_batches_tracked"])
        layer.eval()
        let input = Tensor([[1, 2], [3, 4]])
        // Fresh running statistics (mean 0, variance 1) make evaluation almost the identity.
        #expect(layer(input).isClose(to: input, relativeTolerance: 1e-4))
    }
}

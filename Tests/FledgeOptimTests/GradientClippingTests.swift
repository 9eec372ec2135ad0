import FledgeNN
import FledgeOptim
import FledgeTensor
import FledgeTestSupport
import Testing

/// Clipping agrees with torch.nn.utils.clip_grad_norm_ / clip_grad_value_: norms to relative 1e-7
/// (ours accumulate in double, torch's in float), clipped gradients to 3e-7 (a last-bit difference
/// in the norm moves the coefficient by one ulp, then the product rounds again).
@Test(arguments: optimizerFixture.cases(prefixed: "clip_").map(\.name))
func clippingMatchesTorch(_ name: String) {
    let golden = optimizerFixture.cases.first { $0.name == name }!
    let parameters = (0..<3).map { index -> Parameter in
        let gradient = golden.input("grad\(index)").tensor
        let parameter = Parameter(Tensor.zeros(gradient.shape))
        parameter.value.setGradient(gradient)
        return parameter
    }
    if golden.attributes["kind"]?.string == "norm" {
        let normType = Float(golden.attributes["norm_type"]!.number!)
        let total = clipGradientsByGlobalNorm(parameters, maxNorm: Float(golden.attributes["max_norm"]!.number!),
                                              normType: normType < 0 ? .infinity : normType)
        let expected = golden.output("total_norm").values[0]
        #expect(abs(total - expected) <= 1e-7 * expected, "\(name): norm \(total) vs torch \(expected)")
    } else {
        clipGradientsByValue(parameters, limit: Float(golden.attributes["clip_value"]!.number!))
    }
    for (index, parameter) in parameters.enumerated() {
        let expected = golden.output("clipped\(index)").tensor
        #expect(parameter.grad!.isClose(to: expected, relativeTolerance: 3e-7, absoluteTolerance: 0), "\(name) grad\(index)")
    }
}

@Test func clippingDoesNotWriteIntoSharedGradientStorage() {
    let shared = Tensor([3, 4])
    let a = Parameter(Tensor([0, 0])), b = Parameter(Tensor([0, 0]))
    a.value.setGradient(shared)
    b.value.setGradient(shared)
    clipGradientsByValue([a], limit: 1)
    #expect(a.grad!.scalars == [1, 1])
    #expect(b.grad!.scalars == [3, 4])
    #expect(shared.scalars == [3, 4])
}

@Test func clippingSkipsParametersWithoutGradients() {
    let a = Parameter(Tensor([0, 0])), idle = Parameter(Tensor([0]))
    a.value.setGradient(Tensor([3, 4]))
    let norm = GradientClipping.clipByGlobalNorm([a, idle], maxNorm: 1)
    #expect(norm == 5)
    #expect(idle.grad == nil)
    #expect(a.grad!.isClose(to: Tensor([0.6, 0.8])))
    #expect(clipGradientsByGlobalNorm([idle], maxNorm: 1) == 0)
}

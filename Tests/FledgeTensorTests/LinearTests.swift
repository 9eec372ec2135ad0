import FledgeTensor
import FledgeTestSupport
import Testing

@Test func linearEqualsMatmulWithTransposedWeightPlusBias() {
    let x = sampleTensor([4, 3], seed: 11), w = sampleTensor([5, 3], seed: 12), bias = sampleTensor([5], seed: 13)
    let expected = naiveMatMul(x, w.transposed())
    let y = Tensor.linear(x, weight: w, bias: bias)
    for row in 0..<4 {
        for column in 0..<5 { #expect(abs(y[row, column] - (expected[row, column] + bias[column])) < 1e-5) }
    }
    let relu = Tensor.linear(x, weight: w, bias: bias, activation: .relu)
    for row in 0..<4 {
        for column in 0..<5 { #expect(relu[row, column] == max(0, y[row, column])) }
    }
}

@Test func linearFlattensLeadingAxes() {
    let x = sampleTensor([2, 3, 4], seed: 14), w = sampleTensor([2, 4], seed: 15)
    let y = Tensor.linear(x, weight: w, bias: nil)
    #expect(y.shape == [2, 3, 2])
    #expect(y.reshaped([6, 2]).isClose(to: naiveMatMul(x.reshaped([6, 4]), w.transposed())))
}

@Test(arguments: [
    (true, FusedActivation.identity), (false, .identity), (true, .relu), (false, .relu),
])
func linearGradientsMatchFiniteDifferences(hasBias: Bool, activation: FusedActivation) {
    // Relu's kink: values are kept away from 0 by the seed; finite differences straddle no kink.
    let x = sampleTensor([4, 3], seed: 16), w = sampleTensor([5, 3], seed: 17), b = sampleTensor([5], seed: 18)
    let inputs = hasBias ? [x, w, b] : [x, w]
    #expect(gradientCheckFailure(inputs: inputs, step: 1e-3) { xs in
        Tensor.linear(xs[0], weight: xs[1], bias: hasBias ? xs[2] : nil, activation: activation)
    } == nil)
}

@Test func linearGradientsFlowThroughRankThreeInput() {
    let x = sampleTensor([2, 2, 3], seed: 19), w = sampleTensor([2, 3], seed: 20), b = sampleTensor([2], seed: 21)
    #expect(gradientCheckFailure(inputs: [x, w, b]) { xs in
        Tensor.linear(xs[0], weight: xs[1], bias: xs[2], activation: .relu)
    } == nil)
}

@Test func linearComputesOnlyTheGradientsThatAreNeeded() {
    let x = sampleTensor([3, 2], seed: 22)
    let w = sampleTensor([2, 2], seed: 23).requiringGradient()
    let y = Tensor.linear(x, weight: w, bias: nil)
    y.backward()
    #expect(w.grad != nil)
    #expect(x.grad == nil)
}

@Test func reluKeepsNaNLikeTorchInBothPaths() {
    let input = Tensor([[Float.nan, 1], [-1, 2]])
    #expect(input.relu().scalars[0].isNaN)
    let fused = Tensor.linear(input, weight: Tensor([[1, 0], [0, 1]]), bias: Tensor([0, 0]), activation: .relu)
    #expect(fused.scalars[0].isNaN && fused.scalars[1].isNaN)  // NaN·0 is NaN, so the whole first row
    #expect(Array(fused.scalars[2...]) == [0, 2])
}

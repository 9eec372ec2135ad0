import Foundation
import FledgeTensor
import FledgeTestSupport
import Testing

@Test func unaryFunctionsMatchFoundation() {
    let x = Tensor([0.25, 1, 2.5, 7])
    let checks: [(String, Tensor, (Float) -> Float)] = [
        ("exp", x.exp(), { Foundation.exp($0) }), ("log", x.log(), { Foundation.log($0) }),
        ("sqrt", x.sqrt(), { $0.squareRoot() }), ("tanh", x.tanh(), { Foundation.tanh($0) }),
        ("sigmoid", x.sigmoid(), { 1 / (1 + Foundation.exp(-$0)) }),
    ]
    for (name, result, reference) in checks {
        #expect(result.isClose(to: Tensor(x.scalars.map(reference)), relativeTolerance: 1e-6), "\(name)")
    }
    #expect(Tensor([-2, 0, 3]).abs().scalars == [2, 0, 3])
    #expect(Tensor([-2, 0.5, 3]).clamped(min: -1, max: 1).scalars == [-1, 0.5, 1])
    #expect(Tensor([-2, 0.5, 3]).clamped(min: 0).scalars == [0, 0.5, 3])
    #expect(Tensor([-2, 0.5, 3]).clamped(max: 0).scalars == [-2, 0, 0])
}

@Test func unaryGradientsMatchFiniteDifferences() {
    let x = sampleTensor([2, 3])
    let positive = sampleTensor([2, 3], low: 0.5, high: 3)
    #expect(gradientCheckFailure(inputs: [x]) { $0[0].exp() } == nil)
    #expect(gradientCheckFailure(inputs: [positive]) { $0[0].log() } == nil)
    #expect(gradientCheckFailure(inputs: [positive]) { $0[0].sqrt() } == nil)
    #expect(gradientCheckFailure(inputs: [x]) { $0[0].tanh() } == nil)
    #expect(gradientCheckFailure(inputs: [x]) { $0[0].sigmoid() } == nil)
    #expect(gradientCheckFailure(inputs: [x]) { $0[0].abs() } == nil)
    #expect(gradientCheckFailure(inputs: [x]) { $0[0].clamped(min: -1, max: 0.5) } == nil)
}

@Test func activationGradientsMatchFiniteDifferences() {
    let x = sampleTensor([3, 4], seed: 3)
    #expect(gradientCheckFailure(inputs: [x]) { $0[0].relu() } == nil)
    #expect(gradientCheckFailure(inputs: [x]) { $0[0].leakyRelu(negativeSlope: 0.2) } == nil)
    #expect(gradientCheckFailure(inputs: [x]) { $0[0].gelu() } == nil)
    #expect(gradientCheckFailure(inputs: [x]) { $0[0].gelu(approximation: .tanh) } == nil)
    #expect(gradientCheckFailure(inputs: [x]) { $0[0].softplus() } == nil)
    #expect(gradientCheckFailure(inputs: [x]) { $0[0].softplus(beta: 2, threshold: 1) } == nil)
}

@Test func expAndLogEdgeCasesFollowTorch() {
    let e = Tensor([100, 89, 88.5, -87, -100, -104.5, -Float.infinity, .infinity, .nan]).exp().scalars
    #expect(e[0] == .infinity && e[1] == .infinity)
    #expect(Swift.abs(e[2] / Foundation.exp(Float(88.5)) - 1) < 1e-6)
    #expect(Swift.abs(e[3] / Foundation.exp(Float(-87)) - 1) < 1e-6)
    // exp(-100) is subnormal: compare absolutely at subnormal resolution.
    #expect(Swift.abs(e[4] - Foundation.exp(Float(-100))) <= 2 * Float.leastNonzeroMagnitude)
    #expect(e[5] == 0 && e[6] == 0 && e[7] == .infinity && e[8].isNaN)
    let l = Tensor([0, -1, .infinity, .nan, Float.leastNonzeroMagnitude, 1]).log().scalars
    #expect(l[0] == -.infinity && l[1].isNaN && l[2] == .infinity && l[3].isNaN && l[5] == 0)
    #expect(Swift.abs(l[4] - Foundation.log(Float.leastNonzeroMagnitude)) < 1e-5)
    let t = Tensor([30, -30, .nan]).tanh().scalars
    #expect(t[0] == 1 && t[1] == -1 && t[2].isNaN)
    let s = Tensor([100, -100]).sigmoid().scalars
    #expect(s[0] == 1 && s[1] >= 0 && s[1] < 1e-38)
}

import Foundation
import FledgeTensor
import Testing

// The C kernels (CFledgeKernels) against glibc evaluated in double precision, over dense sweeps.
// Bounds are the measured maximum relative errors rounded up; measured (2026-11): exp 7.1e-8,
// log 7.6e-8, tanh 1.2e-7, sigmoid 1.3e-7, softplus 1.7e-7, gelu 4.4e-7, gelu-tanh 7.6e-6 (at
// x = -9; the float32 argument's rounding). `floor` keeps relative error meaningful near 0.

/// `count` points from `low` to `high`, evenly spaced.
private func sweep(_ low: Double, _ high: Double, count: Int = 20001) -> [Float] {
    (0..<count).map { Float(low + (high - low) * Double($0) / Double(count - 1)) }
}

/// The largest |actual - reference| / max(|reference|, floor) over the points.
private func maxRelativeError(_ points: [Float], _ op: (Tensor) -> Tensor, floor: Double = 1e-30,
                              reference: (Double) -> Double) -> Double {
    let actual = op(Tensor(points)).scalars
    var worst = 0.0
    for (x, y) in zip(points, actual) {
        let expected = reference(Double(x))
        worst = Swift.max(worst, Swift.abs(Double(y) - expected) / Swift.max(Swift.abs(expected), floor))
    }
    return worst
}

private func normalCDF(_ x: Double) -> Double { 0.5 * Foundation.erfc(-x / 2.0.squareRoot()) }

@Test func expIsWithinOneTenMillionthOfGlibc() {
    let error = maxRelativeError(sweep(-87, 88.7), { $0.exp() }) { Foundation.exp($0) }
    #expect(error < 1e-7, "exp max relative error \(error)")
}

@Test func logIsWithinOneUlpOfGlibc() {
    let wide = (0..<20001).map { Float(Foundation.pow(10.0, -37 + 74 * Double($0) / 20000)) }
    let error = Swift.max(maxRelativeError(wide, { $0.log() }, floor: 1e-3) { Foundation.log($0) },
                          maxRelativeError(sweep(0.5, 2), { $0.log() }, floor: 1e-7) { Foundation.log($0) })
    #expect(error < 1e-7, "log max relative error \(error)")
}

@Test func tanhAndSigmoidAreWithinAFewUlpsOfGlibc() {
    let tanhError = maxRelativeError(sweep(-10, 10), { $0.tanh() }) { Foundation.tanh($0) }
    #expect(tanhError < 2e-7, "tanh max relative error \(tanhError)")
    let sigmoidError = maxRelativeError(sweep(-80, 30), { $0.sigmoid() }) { 1 / (1 + Foundation.exp(-$0)) }
    #expect(sigmoidError < 2e-7, "sigmoid max relative error \(sigmoidError)")
}

@Test func geluFormsAreAccurateIncludingTheNegativeTail() {
    let exact = maxRelativeError(sweep(-9, 9), { $0.gelu() }) { $0 * normalCDF($0) }
    #expect(exact < 1e-6, "gelu max relative error \(exact)")
    let tanhForm = maxRelativeError(sweep(-9, 9), { $0.gelu(approximation: .tanh) }) { x in
        // (1 + tanh u) / 2 = 1 / (1 + e^-2u), which does not cancel for negative x.
        x / (1 + Foundation.exp(-2 * 0.7978845608028654 * (x + 0.044715 * x * x * x)))
    }
    // Float32 rounding of the argument 2u (|2u| ~ 66 at x = -9) alone costs ~4e-6 in the far tail.
    #expect(tanhForm < 1e-5, "gelu tanh max relative error \(tanhForm)")
}

@Test func softplusIsAccurateOnBothSidesOfTheThreshold() {
    let error = maxRelativeError(sweep(-80, 30), { $0.softplus() }) { x in
        x > 20 ? x : Foundation.log1p(Foundation.exp(x))
    }
    #expect(error < 3e-7, "softplus max relative error \(error)")
}

import FledgeTensor
import Foundation

/// Compares the gradients `backward()` computes for `function` with central finite differences.
///
/// The output is reduced to a scalar with fixed random weights, so every output element's
/// gradient is checked. Float32 limits the accuracy of finite differences, hence the tolerances.
/// Returns a description of the worst mismatch, or nil when all gradients agree.
public func gradientCheckFailure(
    inputs: [Tensor],
    step: Float = 1e-2,
    relativeTolerance: Float = 2e-2,
    absoluteTolerance: Float = 2e-3,
    seed: UInt64 = 7,
    _ function: ([Tensor]) -> Tensor
) -> String? {
    let leaves = inputs.map { $0.requiringGradient() }
    let probe = function(leaves)
    var generator = SeededGenerator(seed: seed)
    let weights = Tensor.uniform(probe.shape, lowerBound: -1, upperBound: 1, generator: &generator)
    func objective(_ values: [Tensor]) -> Double {
        let output = withoutGradients { function(values) }
        var total = 0.0
        for index in 0..<output.count {
            total += Double(output.storage.base[index]) * Double(weights.storage.base[index])
        }
        return total
    }
    probe.backward(seed: weights)
    for (inputIndex, leaf) in leaves.enumerated() {
        let analytic = leaf.grad ?? Tensor.zeros(leaf.shape)
        for element in 0..<leaf.count {
            var plus = leaves.map { $0.detached().copied() }
            var minus = leaves.map { $0.detached().copied() }
            plus[inputIndex].withUnsafeMutableBufferPointer { $0[element] += step }
            minus[inputIndex].withUnsafeMutableBufferPointer { $0[element] -= step }
            let numeric = Float((objective(plus) - objective(minus)) / Double(2 * step))
            let computed = analytic.storage.base[element]
            if !(abs(numeric - computed) <= absoluteTolerance + relativeTolerance * abs(numeric)) {
                return "input \(inputIndex) element \(element): backward gave \(computed), finite differences \(numeric)"
            }
        }
    }
    return nil
}

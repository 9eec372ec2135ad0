import FledgeTestSupport
import Testing
@testable import FledgeTensor

/// Every element within `tolerance · (1 + |expected|)`.
private func closeEnough(_ actual: Tensor, _ expected: Tensor, _ tolerance: Float) -> Bool {
    actual.shape == expected.shape && zip(actual.scalars, expected.scalars).allSatisfy {
        abs($0 - $1) <= tolerance * (1 + abs($1))
    }
}

@Test func bfloat16LinearMatchesTheGoldenForwardAndBackward() throws {
    for golden in try GoldenFile.load("bfloat16").cases(prefixed: "linear/") {
        let input = golden.input("input").tensor.requiringGradient()
        let weight = golden.input("weight").tensor.requiringGradient()
        let bias = golden.input("bias").tensor.requiringGradient()
        let relu = golden.attributes["relu"]?.bool ?? false
        let output = Tensor.linear(input, weight: weight, bias: bias, activation: relu ? .relu : .identity,
                                   precision: .bfloat16Mixed)
        output.backward(seed: golden.input("upstream").tensor)
        // The reference rounds with torch and sums in float64; only Float32 accumulation order differs.
        #expect(closeEnough(output, golden.output("output").tensor, 1e-5), "\(golden.name) output")
        #expect(closeEnough(input.grad!, golden.output("grad_input").tensor, 1e-5), "\(golden.name) grad_input")
        #expect(closeEnough(weight.grad!, golden.output("grad_weight").tensor, 1e-5), "\(golden.name) grad_weight")
        #expect(closeEnough(bias.grad!, golden.output("grad_bias").tensor, 1e-5), "\(golden.name) grad_bias")
    }
}

/// ‖actual − expected‖ / ‖expected‖ (Frobenius norms).
private func relativeError(_ actual: Tensor, _ expected: Tensor) -> Float {
    let difference = (actual - expected)
    return (difference * difference).sum().item.squareRoot() / (expected * expected).sum().item.squareRoot()
}

@Test(arguments: [FusedActivation.identity, .relu])
func bfloat16LinearStaysWithinBFloat16ToleranceOfFloat32(activation: FusedActivation) {
    var generator = SeededGenerator(seed: 21)
    let input = Tensor.normal([16, 40], generator: &generator)
    let weight = Tensor.normal([24, 40], generator: &generator) * 0.15
    let bias = Tensor.normal([24], generator: &generator) * 0.1
    let upstream = Tensor.normal([16, 24], generator: &generator)
    let x = input.requiringGradient(), w = weight.requiringGradient(), b = bias.requiringGradient()
    let y = Tensor.linear(x, weight: w, bias: b, activation: activation, precision: .bfloat16Mixed)
    y.backward(seed: upstream)

    // The Float32 reference, masked where the bf16 forward's relu was off (near zero the two
    // forwards can disagree on the sign, and each backward follows its own forward).
    let reference = Tensor.linear(input, weight: weight, bias: bias, activation: activation)
    let masked = activation == .relu ? upstream * y.detached().isGreater(than: 0) : upstream
    // bf16 keeps 8 significant bits (relative rounding error ≤ 2⁻⁹ per operand): the products
    // land within ~1% in norm; the bias gradient is summed in Float32 from the same mask.
    #expect(relativeError(y, reference) < 0.01)
    #expect(relativeError(x.grad!, masked.matmul(weight)) < 0.01)
    #expect(relativeError(w.grad!, masked.transposed().matmul(input)) < 0.01)
    #expect(b.grad!.isClose(to: masked.sum(axes: [0]), relativeTolerance: 1e-5, absoluteTolerance: 1e-5))
    #expect(!y.isClose(to: reference, relativeTolerance: 1e-6, absoluteTolerance: 0), "bf16 rounding should show")
}

@Test func bfloat16TapeDoesNotKeepTheFloat32Input() {
    var generator = SeededGenerator(seed: 2)
    let weight = Tensor.normal([8, 32], generator: &generator).requiringGradient()
    weak var inputStorage: TensorStorage?
    let output: Tensor = {
        let input = Tensor.normal([64, 32], generator: &generator)
        inputStorage = input.storage
        return Tensor.linear(input, weight: weight, bias: nil, activation: .relu, precision: .bfloat16Mixed)
    }()
    #expect(inputStorage == nil, "the Float32 input should be freed; the tape keeps its bf16 copy")
    output.sum().backward()
    #expect(weight.grad != nil)

    // The Float32 path keeps it, which is what bf16 halves.
    weak var keptStorage: TensorStorage?
    let kept: Tensor = {
        let input = Tensor.normal([64, 32], generator: &generator)
        keptStorage = input.storage
        return Tensor.linear(input, weight: weight, bias: nil, activation: .relu)
    }()
    #expect(keptStorage != nil)
    withExtendedLifetime(kept) {}
}

@Test func bfloat16WeightCopyFollowsInPlaceUpdates() {
    var weight = Tensor([[1, 2], [3, 4]])
    let input = Tensor([[1, 1]])
    let before = Tensor.linear(input, weight: weight, bias: nil, precision: .bfloat16Mixed)
    #expect(before.scalars == [3, 7])
    weight.withUnsafeMutableBufferPointer { $0[0] = 10 }
    let after = Tensor.linear(input, weight: weight, bias: nil, precision: .bfloat16Mixed)
    #expect(after.scalars == [12, 7])
}

@Test func precisionNamesFollowLightning() throws {
    for name in ["32", "32-true", "fp32", "FLOAT32"] { #expect(try Precision(name: name) == .float32) }
    for name in ["bf16", "bf16-mixed", "bf16_mixed", "bfloat16"] { #expect(try Precision(name: name) == .bfloat16Mixed) }
    for name in ["16", "16-mixed", "16-true", "bf16-true", "64", "64-true", "double"] {
        #expect(throws: UnsupportedPrecisionError.self) { try Precision(name: name) }
    }
    let error = try #require(throws: UnsupportedPrecisionError.self) { try Precision(name: "16-mixed") }
    #expect(error.description.contains("float16") && error.description.contains("bf16-mixed"))
    let unknown = try #require(throws: UnsupportedPrecisionError.self) { try Precision(name: "tf32") }
    #expect(unknown.description.hasPrefix("unknown precision 'tf32'"))
}

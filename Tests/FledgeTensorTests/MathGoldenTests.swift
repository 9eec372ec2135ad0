import FledgeTensor
import FledgeTestSupport
import Testing

// Compares the math ops with PyTorch (evaluated in float64, see scripts/reference/golden_math_ops.py).
// Tolerance: relative 1e-5 plus absolute 1e-6 for results that pass through zero (sums,
// differences, variances of random values, where float32 rounding of the inputs' sum is ~1e-7).

private let fixture = Result { try GoldenFile.load("math_ops") }

private func cases(_ prefix: String) throws -> [GoldenCase] { try fixture.get().cases(prefixed: prefix) }

/// Runs `function` on leaves made from the inputs `names`, back-propagates `dout`, and checks
/// the output and each `d<name>` against the fixture.
private func expectMatches(_ golden: GoldenCase, inputs names: [String], _ function: ([Tensor]) -> Tensor) {
    let leaves = names.map { golden.input($0).tensor.requiringGradient() }
    let result = function(leaves)
    let expected = golden.output("out").tensor
    #expect(result.isClose(to: expected, relativeTolerance: 1e-5, absoluteTolerance: 1e-6),
            "\(golden.name): out \(result) vs \(expected)")
    guard golden.inputs["dout"] != nil else { return }
    result.backward(seed: golden.input("dout").tensor)
    for (name, leaf) in zip(names, leaves) {
        let gradient = golden.output("d\(name)").tensor
        #expect(leaf.grad?.isClose(to: gradient, relativeTolerance: 1e-5, absoluteTolerance: 1e-6) == true,
                "\(golden.name): d\(name) \(String(describing: leaf.grad)) vs \(gradient)")
    }
}

private func attribute(_ golden: GoldenCase, _ key: String) -> GoldenAttribute {
    guard let value = golden.attributes[key] else { fatalError("golden case \(golden.name) has no attribute '\(key)'") }
    return value
}

@Test func broadcastingArithmeticMatchesPyTorch() throws {
    let binary = try cases("add_") + cases("subtract_") + cases("multiply_") + cases("divide_")
        + cases("minimum_") + cases("maximum_")
    #expect(binary.count == 54)
    for golden in binary {
        let op: (Tensor, Tensor) -> Tensor = switch attribute(golden, "op").string! {
        case "add": { $0 + $1 }
        case "subtract": { $0 - $1 }
        case "multiply": { $0 * $1 }
        case "divide": { $0 / $1 }
        case "minimum": { $0.minimum($1) }
        default: { $0.maximum($1) }
        }
        expectMatches(golden, inputs: ["a", "b"]) { op($0[0], $0[1]) }
    }
}

@Test func scalarArithmeticMatchesPyTorch() throws {
    let all = try cases("scalar_")
    #expect(all.count == 9)
    for golden in all {
        let op: (Tensor) -> Tensor = switch attribute(golden, "op").string! {
        case "add_scalar": { $0 + 1.5 }
        case "scalar_add": { 1.5 + $0 }
        case "subtract_scalar": { $0 - 0.75 }
        case "scalar_subtract": { 0.75 - $0 }
        case "multiply_scalar": { $0 * -2.5 }
        case "scalar_multiply": { -2.5 * $0 }
        case "divide_scalar": { $0 / 3 }
        case "scalar_divide": { 3 / $0 }
        default: { -$0 }
        }
        expectMatches(golden, inputs: ["x"]) { op($0[0]) }
    }
}

@Test func powersMatchPyTorch() throws {
    let scalar = try cases("pow_scalar_")
    #expect(scalar.count == 7)
    for golden in scalar {
        let exponent = Float(attribute(golden, "exponent").number!)
        expectMatches(golden, inputs: ["x"]) { $0[0].pow(exponent) }
    }
    let tensor = try cases("pow_tensor_")
    #expect(tensor.count == 3)
    for golden in tensor { expectMatches(golden, inputs: ["a", "b"]) { $0[0].pow($0[1]) } }
}

@Test func comparisonsMatchPyTorch() throws {
    let all = try cases("compare_")
    #expect(all.count == 6)
    for golden in all {
        let a = golden.input("a").tensor, b = golden.input("b").tensor
        let (result, scalar): (Tensor, Tensor) = switch attribute(golden, "op").string! {
        case "greater": (a.isGreater(than: b), a.isGreater(than: 1))
        case "less": (a.isLess(than: b), a.isLess(than: 1))
        case "greater_equal": (a.isGreaterOrEqual(to: b), a.isGreaterOrEqual(to: 1))
        case "less_equal": (a.isLessOrEqual(to: b), a.isLessOrEqual(to: 1))
        case "equal": (a.isEqual(to: b), a.isEqual(to: 1))
        default: (a.isNotEqual(to: b), a.isNotEqual(to: 1))
        }
        #expect(result.scalars == golden.output("out").values, "\(golden.name)")
        #expect(scalar.scalars == golden.output("scalar").values, "\(golden.name) scalar")
    }
}

@Test func unaryAndActivationsMatchPyTorch() throws {
    let all = try cases("unary_")
    #expect(all.count == 18)
    for golden in all {
        let op: (Tensor) -> Tensor = switch attribute(golden, "op").string! {
        case "abs": { $0.abs() }
        case "exp", "exp_small": { $0.exp() }
        case "log": { $0.log() }
        case "sqrt": { $0.sqrt() }
        case "tanh": { $0.tanh() }
        case "sigmoid": { $0.sigmoid() }
        case "relu": { $0.relu() }
        case "leaky_relu": { $0.leakyRelu(negativeSlope: 0.2) }
        case "leaky_relu_default": { $0.leakyRelu() }
        case "gelu": { $0.gelu() }
        case "gelu_tanh": { $0.gelu(approximation: .tanh) }
        case "softplus": { $0.softplus() }
        case "softplus_beta2_threshold1": { $0.softplus(beta: 2, threshold: 1) }
        case "softplus_beta0.5_threshold5": { $0.softplus(beta: 0.5, threshold: 5) }
        case "clamp_both": { $0.clamped(min: -1, max: 0.5) }
        case "clamp_min": { $0.clamped(min: -0.5) }
        default: { $0.clamped(max: 0.25) }
        }
        expectMatches(golden, inputs: ["x"]) { op($0[0]) }
    }
}

@Test func reductionsMatchPyTorch() throws {
    let all = try cases("reduce_")
    #expect(all.count == 7 * 8 * 2)
    for golden in all {
        let axes = golden.attributes["axes"]?.numbers?.map { Int($0) }
        let keep = attribute(golden, "keep").bool!
        let op: (Tensor) -> Tensor = switch attribute(golden, "op").string! {
        case "sum": { $0.sum(axes: axes, keepingDimensions: keep) }
        case "mean": { $0.mean(axes: axes, keepingDimensions: keep) }
        case "max": { $0.max(axes: axes, keepingDimensions: keep) }
        case "min": { $0.min(axes: axes, keepingDimensions: keep) }
        case "var": { $0.variance(axes: axes, keepingDimensions: keep) }
        case "var_population": { $0.variance(axes: axes, correction: 0, keepingDimensions: keep) }
        default: { $0.logSumExp(axes: axes, keepingDimensions: keep) }
        }
        expectMatches(golden, inputs: ["x"]) { op($0[0]) }
    }
}

@Test func argReductionsMatchPyTorch() throws {
    let all = try cases("arg_")
    #expect(all.count == 16)
    for golden in all {
        let x = golden.input("x").tensor
        let axis = Int(attribute(golden, "axis").number!), keep = attribute(golden, "keep").bool!
        let result = attribute(golden, "op").string == "argmax"
            ? x.argmax(axis: axis, keepingDimensions: keep) : x.argmin(axis: axis, keepingDimensions: keep)
        let expected = golden.output("out")
        #expect(result.shape == Shape(expected.shape) && result.indices == expected.indices, "\(golden.name)")
    }
}

@Test func softmaxAndLogSoftmaxMatchPyTorch() throws {
    let all = try cases("softmax_")
    #expect(all.count == 8)
    for golden in all {
        let axis = Int(attribute(golden, "axis").number!)
        let logarithmic = attribute(golden, "op").string == "log_softmax"
        expectMatches(golden, inputs: ["x"]) { logarithmic ? $0[0].logSoftmax(axis: axis) : $0[0].softmax(axis: axis) }
    }
}

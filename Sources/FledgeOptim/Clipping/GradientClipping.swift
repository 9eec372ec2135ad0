import FledgeNN
import FledgeTensor
import Foundation

/// Clamps every gradient element of `parameters` into `[-limit, limit]`
/// (as `torch.nn.utils.clip_grad_value_`). Parameters without a gradient are skipped.
public func clipGradientsByValue(_ parameters: [Parameter], limit: Float) {
    precondition(limit >= 0, "clipGradientsByValue: limit \(limit) is negative")
    for parameter in parameters {
        rewriteGradient(of: parameter) { gradient in
            for i in gradient.indices { gradient[i] = Swift.min(Swift.max(gradient[i], -limit), limit) }
        }
    }
}

/// Rescales the gradients of `parameters` so that their joint `normType`-norm is at most `maxNorm`,
/// and returns that norm as it was before clipping (as `torch.nn.utils.clip_grad_norm_`).
///
/// The joint norm is the norm of the per-parameter norms; `normType` may be any positive number or
/// `.infinity` (largest absolute element). Every gradient is multiplied by
/// `min(1, maxNorm / (norm + 1e-6))`, the same coefficient torch uses. Parameters without a
/// gradient are skipped; with none at all the norm is 0.
@discardableResult
public func clipGradientsByGlobalNorm(_ parameters: [Parameter], maxNorm: Float, normType: Float = 2) -> Float {
    precondition(maxNorm >= 0, "clipGradientsByGlobalNorm: maxNorm \(maxNorm) is negative")
    precondition(normType > 0, "clipGradientsByGlobalNorm: normType \(normType) must be positive")
    let gradients = parameters.compactMap(\.grad)
    guard !gradients.isEmpty else { return 0 }
    // Each tensor's norm is accumulated in double and rounded to Float32 as torch's vector_norm
    // returns it; the joint norm is then taken over those rounded norms.
    let norms = gradients.map { gradient in
        gradient.withUnsafeBufferPointer { Float(GradientNorm.of($0, normType: Double(normType))) }
    }
    let totalNorm = norms.withUnsafeBufferPointer { Float(GradientNorm.of($0, normType: Double(normType))) }
    let coefficient = Swift.min(maxNorm / (totalNorm + 1e-6), 1)
    for parameter in parameters {
        rewriteGradient(of: parameter) { gradient in
            for i in gradient.indices { gradient[i] *= coefficient }
        }
    }
    return totalNorm
}

/// Namespace spelling of the clipping functions (`GradientClipping.clipByGlobalNorm(...)`).
public enum GradientClipping {
    /// See `clipGradientsByValue(_:limit:)`.
    public static func clipByValue(_ parameters: [Parameter], limit: Float) {
        clipGradientsByValue(parameters, limit: limit)
    }

    /// See `clipGradientsByGlobalNorm(_:maxNorm:normType:)`.
    @discardableResult
    public static func clipByGlobalNorm(_ parameters: [Parameter], maxNorm: Float, normType: Float = 2) -> Float {
        clipGradientsByGlobalNorm(parameters, maxNorm: maxNorm, normType: normType)
    }
}

/// Vector p-norms accumulated in double.
enum GradientNorm {
    static func of(_ values: UnsafeBufferPointer<Float>, normType: Double) -> Double {
        if normType == .infinity {
            var largest: Float = 0
            for value in values { largest = Swift.max(largest, abs(value)) }
            return Double(largest)
        }
        var sum: Double = 0
        if normType == 2 {
            for value in values { sum += Double(value) * Double(value) }
            return sum.squareRoot()
        }
        if normType == 1 {
            for value in values { sum += Double(abs(value)) }
            return sum
        }
        for value in values { sum += pow(Double(abs(value)), normType) }
        return pow(sum, 1 / normType)
    }
}

/// Lets `body` rewrite a parameter's gradient in place. The gradient is detached from the
/// parameter first so that its storage is copied only if something else still shares it
/// (a pullback may have handed the same storage to several leaves).
/// Public so that training code can add terms to gradients (e.g. FledgeTrain's L2 for AdamW) the same way.
public func rewriteGradient(of parameter: Parameter, _ body: (UnsafeMutableBufferPointer<Float>) -> Void) {
    guard var gradient = parameter.grad else { return }
    parameter.value.setGradient(nil)
    gradient.withUnsafeMutableBufferPointer(body)
    parameter.value.setGradient(gradient)
}

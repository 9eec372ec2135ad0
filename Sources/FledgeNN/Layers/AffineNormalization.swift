import FledgeTensor

/// The fused kernel behind LayerNorm and BatchNorm: y = (x − mean)·rstd·γ + β over groups of
/// elements, with a hand-written pullback.
///
/// A layout splits the tensor into contiguous segments; every element of a segment belongs to one
/// statistics group, and its γ/β index either advances with the element (LayerNorm: per-feature
/// scale within a row) or stays fixed (BatchNorm: one scale per channel).
enum AffineNormalization {
    /// How elements map to statistics groups and affine parameters.
    struct Layout {
        /// Number of contiguous segments.
        let segments: Int
        /// Elements per segment.
        let length: Int
        /// Number of statistics groups.
        let groups: Int
        /// Segments per group cycle: segment s belongs to group `s % groupCycle` (BatchNorm) or
        /// group s (LayerNorm, where `groupCycle == 0`).
        private let groupCycle: Int

        /// LayerNorm: each row of `width` elements is a group; γ/β index the column.
        static func rows(_ rows: Int, width: Int) -> Layout {
            Layout(segments: rows, length: width, groups: rows, groupCycle: 0)
        }

        /// BatchNorm over `[outer, channels, inner]`: each channel is a group; γ/β index the channel.
        static func channels(outer: Int, channels: Int, inner: Int) -> Layout {
            Layout(segments: outer * channels, length: inner, groups: channels, groupCycle: channels)
        }

        /// The group of segment `s`.
        @inline(__always) func group(_ s: Int) -> Int { groupCycle == 0 ? s : s % groupCycle }
        /// The first γ/β index of segment `s`, and how far it moves per element.
        @inline(__always) func parameter(_ s: Int) -> (base: Int, stride: Int) { groupCycle == 0 ? (0, 1) : (group(s), 0) }
        /// Elements per group.
        var groupSize: Int { segments * length / Swift.max(groups, 1) }
    }

    /// Per-group mean and biased variance (two passes, for accuracy).
    static func statistics(_ input: Tensor, layout: Layout) -> (mean: [Float], variance: [Float]) {
        let x = input.storage.base
        var mean = [Float](repeating: 0, count: layout.groups)
        var variance = [Float](repeating: 0, count: layout.groups)
        for s in 0..<layout.segments {
            let start = s * layout.length
            var sum: Float = 0
            for i in 0..<layout.length { sum += x[start + i] }
            mean[layout.group(s)] += sum
        }
        let size = Float(layout.groupSize)
        for g in 0..<layout.groups { mean[g] /= size }
        for s in 0..<layout.segments {
            let start = s * layout.length, center = mean[layout.group(s)]
            var squares: Float = 0
            for i in 0..<layout.length {
                let d = x[start + i] - center
                squares += d * d
            }
            variance[layout.group(s)] += squares
        }
        for g in 0..<layout.groups { variance[g] /= size }
        return (mean, variance)
    }

    /// Normalises with the given statistics, applies γ/β, and records the op.
    ///
    /// With `batchStatistics` the statistics are functions of the input (training), so the
    /// pullback includes their derivatives; otherwise (BatchNorm in eval) they are constants.
    static func apply(
        op: String, _ input: Tensor, mean: [Float], variance: [Float], epsilon: Float,
        gamma: Tensor?, beta: Tensor?, layout: Layout, batchStatistics: Bool
    ) -> Tensor {
        let reciprocals = variance.map { 1 / ($0 + epsilon).squareRoot() }
        var normalized = Tensor(uninitializedShape: input.shape)
        var result = Tensor(uninitializedShape: input.shape)
        let x = input.storage.base
        let scale = gamma?.storage.base, shift = beta?.storage.base
        normalized.withUnsafeMutableBufferPointer { xhat in
            result.withUnsafeMutableBufferPointer { y in
                for s in 0..<layout.segments {
                    let start = s * layout.length, group = layout.group(s)
                    let (base, stride) = layout.parameter(s)
                    let center = mean[group], reciprocal = reciprocals[group]
                    for i in 0..<layout.length {
                        let value = (x[start + i] - center) * reciprocal
                        xhat[start + i] = value
                        let p = base + i * stride
                        y[start + i] = scale.map { value * $0[p] + shift![p] } ?? value
                    }
                }
            }
        }
        let inputs = gamma.map { [input, $0, beta!] } ?? [input]
        return Tensor.record(result, op: op, inputs: inputs) { gradient, needs in
            backward(gradient, needs: needs, normalized: normalized, reciprocals: reciprocals,
                     gamma: gamma, layout: layout, batchStatistics: batchStatistics)
        }
    }

    /// dβ = Σ g, dγ = Σ g·x̂, and dx = rstd·(dx̂ − mean(dx̂) − x̂·mean(dx̂·x̂)) with batch
    /// statistics, or rstd·dx̂ with fixed ones, where dx̂ = g·γ.
    private static func backward(
        _ gradient: Tensor, needs: [Bool], normalized: Tensor, reciprocals: [Float],
        gamma: Tensor?, layout: Layout, batchStatistics: Bool
    ) -> [Tensor?] {
        let g = gradient.storage.base, xhat = normalized.storage.base
        let scale = gamma?.storage.base
        let parameterCount = gamma?.count ?? 0
        var gammaGradient = [Float](repeating: 0, count: parameterCount)
        var betaGradient = [Float](repeating: 0, count: parameterCount)
        var sumGradient = [Float](repeating: 0, count: layout.groups)
        var sumGradientTimesNormalized = [Float](repeating: 0, count: layout.groups)
        for s in 0..<layout.segments {
            let start = s * layout.length, group = layout.group(s)
            let (base, stride) = layout.parameter(s)
            var sum: Float = 0, sumProduct: Float = 0
            for i in 0..<layout.length {
                let e = start + i, p = base + i * stride
                let dxhat = scale.map { g[e] * $0[p] } ?? g[e]
                if scale != nil {
                    betaGradient[p] += g[e]
                    gammaGradient[p] += g[e] * xhat[e]
                }
                sum += dxhat
                sumProduct += dxhat * xhat[e]
            }
            sumGradient[group] += sum
            sumGradientTimesNormalized[group] += sumProduct
        }
        var inputGradient: Tensor? = nil
        if needs[0] {
            var dx = Tensor(uninitializedShape: normalized.shape)
            let size = Float(layout.groupSize)
            dx.withUnsafeMutableBufferPointer { out in
                for s in 0..<layout.segments {
                    let start = s * layout.length, group = layout.group(s)
                    let (base, stride) = layout.parameter(s)
                    let reciprocal = reciprocals[group]
                    let meanGradient = batchStatistics ? sumGradient[group] / size : 0
                    let meanProduct = batchStatistics ? sumGradientTimesNormalized[group] / size : 0
                    for i in 0..<layout.length {
                        let e = start + i
                        let dxhat = scale.map { g[e] * $0[base + i * stride] } ?? g[e]
                        out[e] = reciprocal * (dxhat - meanGradient - xhat[e] * meanProduct)
                    }
                }
            }
            inputGradient = dx
        }
        guard let gamma else { return [inputGradient] }
        return [inputGradient,
                needs[1] ? Tensor(shape: gamma.shape, values: gammaGradient) : nil,
                needs[2] ? Tensor(shape: gamma.shape, values: betaGradient) : nil]
    }
}

import FledgeTensor

/// The fused kernels behind LayerNorm and BatchNorm on a row-major `[rows, width]` matrix with
/// per-column γ and β: y = (x − mean)·rstd·γ + β, with hand-written pullbacks.
///
/// LayerNorm takes statistics per row, BatchNorm per column. Every inner loop runs along a
/// contiguous row, so the compiler vectorises it; the few reductions use explicit SIMD lanes.
enum AffineNormalization {
    /// Per-column mean and biased variance of `[rows, width]` (two passes, for accuracy).
    static func columnStatistics(_ input: Tensor, width: Int) -> (mean: [Float], variance: [Float]) {
        let rows = input.count / width
        let x = input.storage.base
        var mean = [Float](repeating: 0, count: width)
        var variance = [Float](repeating: 0, count: width)
        mean.withUnsafeMutableBufferPointer { m in
            variance.withUnsafeMutableBufferPointer { v in
                for row in 0..<rows {
                    let xr = x + row * width
                    for c in 0..<width { m[c] += xr[c] }
                }
                for c in 0..<width { m[c] /= Float(rows) }
                for row in 0..<rows {
                    let xr = x + row * width
                    for c in 0..<width {
                        let d = xr[c] - m[c]
                        v[c] += d * d
                    }
                }
                for c in 0..<width { v[c] /= Float(rows) }
            }
        }
        return (mean, variance)
    }

    /// LayerNorm: normalises each row of `[rows, width]` with its own mean and biased variance.
    static func normalizeRows(_ input: Tensor, width: Int, epsilon: Float, gamma: Tensor?, beta: Tensor?) -> Tensor {
        let rows = input.count / width
        let normalized = Tensor(uninitializedShape: input.shape)
        let x = input.storage.base, xhat = normalized.storage.base
        let reciprocals = [Float](unsafeUninitializedCapacity: rows) { r, initialized in
            for row in 0..<rows {
                let xr = x + row * width, hr = xhat + row * width
                let mean = simdSum(xr, width) / Float(width)
                for c in 0..<width { hr[c] = xr[c] - mean }
                let reciprocal = 1 / (simdDot(hr, hr, width) / Float(width) + epsilon).squareRoot()
                for c in 0..<width { hr[c] *= reciprocal }
                r[row] = reciprocal
            }
            initialized = rows
        }
        let shape = input.shape
        return affine(op: "layerNorm", input, normalized: normalized, width: width, gamma: gamma, beta: beta) {
            gradient, dxhat in
            // Per row: dx = rstd·(dx̂ − mean(dx̂) − x̂·mean(dx̂·x̂)).
            var dx = Tensor(uninitializedShape: shape)
            dx.withUnsafeMutableBufferPointer { out in
                for row in 0..<rows {
                    let dr = dxhat + row * width, hr = xhat + row * width, or = out.baseAddress! + row * width
                    let meanGradient = simdSum(dr, width) / Float(width)
                    let meanProduct = simdDot(dr, hr, width) / Float(width)
                    let reciprocal = reciprocals[row]
                    for c in 0..<width { or[c] = reciprocal * (dr[c] - meanGradient - hr[c] * meanProduct) }
                }
            }
            return dx
        }
    }

    /// BatchNorm: normalises each column of `[rows, width]` with the given per-column statistics.
    /// With `batchStatistics` they were computed from this input (training), so the pullback
    /// includes their derivatives; otherwise (running statistics) they are constants.
    static func normalizeColumns(
        _ input: Tensor, width: Int, mean: [Float], variance: [Float], epsilon: Float,
        gamma: Tensor?, beta: Tensor?, batchStatistics: Bool
    ) -> Tensor {
        let rows = input.count / width
        let reciprocals = variance.map { 1 / ($0 + epsilon).squareRoot() }
        let normalized = Tensor(uninitializedShape: input.shape)
        let x = input.storage.base, xhat = normalized.storage.base
        mean.withUnsafeBufferPointer { m in
            reciprocals.withUnsafeBufferPointer { r in
                for row in 0..<rows {
                    let xr = x + row * width, hr = xhat + row * width
                    for c in 0..<width { hr[c] = (xr[c] - m[c]) * r[c] }
                }
            }
        }
        let shape = input.shape
        return affine(op: "batchNorm", input, normalized: normalized, width: width, gamma: gamma, beta: beta) {
            gradient, dxhat in
            // Per column: dx = rstd·(dx̂ − mean(dx̂) − x̂·mean(dx̂·x̂)), or rstd·dx̂ for fixed statistics.
            var meanGradient = [Float](repeating: 0, count: width)
            var meanProduct = [Float](repeating: 0, count: width)
            if batchStatistics {
                for row in 0..<rows {
                    let dr = dxhat + row * width, hr = xhat + row * width
                    for c in 0..<width {
                        meanGradient[c] += dr[c]
                        meanProduct[c] += dr[c] * hr[c]
                    }
                }
                for c in 0..<width {
                    meanGradient[c] /= Float(rows)
                    meanProduct[c] /= Float(rows)
                }
            }
            var dx = Tensor(uninitializedShape: shape)
            dx.withUnsafeMutableBufferPointer { out in
                for row in 0..<rows {
                    let dr = dxhat + row * width, hr = xhat + row * width, or = out.baseAddress! + row * width
                    for c in 0..<width { or[c] = reciprocals[c] * (dr[c] - meanGradient[c] - hr[c] * meanProduct[c]) }
                }
            }
            return dx
        }
    }

    /// y = x̂·γ + β per column, recorded with a pullback that computes dγ = Σ g·x̂, dβ = Σ g and
    /// dx̂ = g·γ, and hands dx̂ to `inputGradient` for the statistics-specific rest.
    private static func affine(
        op: String, _ input: Tensor, normalized: Tensor, width: Int, gamma: Tensor?, beta: Tensor?,
        inputGradient: @escaping (_ gradient: Tensor, _ dxhat: UnsafePointer<Float>) -> Tensor
    ) -> Tensor {
        let rows = input.count / width
        var result = normalized
        if let gamma, let beta {
            result = Tensor(uninitializedShape: input.shape)
            let xhat = normalized.storage.base
            let y = result.storage.base, scale = gamma.storage.base, shift = beta.storage.base
            for row in 0..<rows {
                let hr = xhat + row * width, yr = y + row * width
                for c in 0..<width { yr[c] = hr[c] * scale[c] + shift[c] }
            }
        }
        let inputs = gamma.map { [input, $0, beta!] } ?? [input]
        return Tensor.record(result, op: op, inputs: inputs) { gradient, needs in
            // Reading x̂ through `normalized` keeps its storage alive as long as the tape needs it.
            let g = gradient.storage.base, xhat = normalized.storage.base
            guard let gamma else { return [withExtendedLifetime(normalized) { inputGradient(gradient, g) }] }
            let gammaGradient = Tensor.zeros(gamma.shape), betaGradient = Tensor.zeros(gamma.shape)
            let dg = gammaGradient.storage.base, db = betaGradient.storage.base, scale = gamma.storage.base
            let dxhat = Tensor(uninitializedShape: gradient.shape)
            let dh = dxhat.storage.base
            for row in 0..<rows {
                let gr = g + row * width, hr = xhat + row * width, dr = dh + row * width
                for c in 0..<width {
                    dg[c] += gr[c] * hr[c]
                    db[c] += gr[c]
                    dr[c] = gr[c] * scale[c]
                }
            }
            let dx = needs[0] ? withExtendedLifetime((dxhat, normalized)) { inputGradient(gradient, dh) } : nil
            return [dx, needs[1] ? gammaGradient : nil, needs[2] ? betaGradient : nil]
        }
    }

    /// Σ p[i] with eight SIMD lanes (also more accurate than one running sum).
    @inline(__always)
    private static func simdSum(_ p: UnsafePointer<Float>, _ count: Int) -> Float {
        var lanes = SIMD8<Float>(repeating: 0)
        var index = 0
        let raw = UnsafeRawPointer(p)
        while index + 8 <= count {
            lanes += raw.loadUnaligned(fromByteOffset: index * 4, as: SIMD8<Float>.self)
            index += 8
        }
        var total = lanes.sum()
        while index < count { total += p[index]; index += 1 }
        return total
    }

    /// Σ a[i]·b[i] with eight SIMD lanes.
    @inline(__always)
    private static func simdDot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ count: Int) -> Float {
        var lanes = SIMD8<Float>(repeating: 0)
        var index = 0
        let rawA = UnsafeRawPointer(a), rawB = UnsafeRawPointer(b)
        while index + 8 <= count {
            lanes += rawA.loadUnaligned(fromByteOffset: index * 4, as: SIMD8<Float>.self)
                * rawB.loadUnaligned(fromByteOffset: index * 4, as: SIMD8<Float>.self)
            index += 8
        }
        var total = lanes.sum()
        while index < count { total += a[index] * b[index]; index += 1 }
        return total
    }
}

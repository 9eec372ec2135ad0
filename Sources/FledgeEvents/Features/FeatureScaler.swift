import FledgeTensor

/// Turns feature columns into network inputs with statistics of the training rows, saved with the
/// model so prediction encodes the same way.
///
/// By default each column is standardised with the training mean and standard deviation (constant
/// columns keep scale 1). With `clipping`, each value is first clipped to the column's training
/// range: validation, test and prediction split points come after every training split point, so
/// features that grow with the calendar (tenure, whole-history counts, the day of the year) reach
/// values training never saw, and a network extrapolates linearly from them where a tree would stay flat.
///
/// With piecewise-linear bins (`data_params.numeric_encoding: piecewise_linear`, Gorishniy et al.
/// 2022, "On Embeddings for Numerical Features in Tabular Deep Learning"), each column becomes one
/// input per bin between consecutive training quantiles: 0 below the bin, 1 above it, linear inside.
/// A network then gets a threshold per quantile for free, as a tree does, instead of having to
/// build one from a single standardised value of a heavy-tailed count or recency. Values outside
/// the training range saturate at 0 or 1 (clipping is built in). Quantiles that coincide (a count
/// that is 0 for most rows) merge, so a column has at most `bins` inputs, a binary column one, and
/// a constant column one input that is always 0.
public struct FeatureScaler: Codable, Sendable, Equatable {
    /// Per-feature means.
    public var means: [Float]
    /// Per-feature standard deviations (1 where the column is constant).
    public var deviations: [Float]
    /// Per-feature training minimums (nil: no clipping).
    public var minimums: [Float]?
    /// Per-feature training maximums (nil: no clipping).
    public var maximums: [Float]?
    /// Per-feature bin edges of the piecewise-linear encoding, increasing (nil: standardisation).
    public var binEdges: [[Float]]?

    /// Fits on the rows of `features` `[N, F]`; `clipping` keeps their ranges to clip to;
    /// `piecewiseLinearBins` (at least 2) encodes each column piecewise-linearly between that many
    /// training quantiles instead of standardising it.
    public init(fitting features: Tensor, clipping: Bool = false, piecewiseLinearBins: Int? = nil) {
        let (rows, width) = (features.shape[0], features.shape[1])
        var sums = [Double](repeating: 0, count: width), squares = [Double](repeating: 0, count: width)
        var lows = [Float](repeating: .infinity, count: width), highs = [Float](repeating: -.infinity, count: width)
        features.withUnsafeBufferPointer { values in
            for row in 0..<rows {
                for column in 0..<width {
                    let value = values[row * width + column]
                    sums[column] += Double(value)
                    squares[column] += Double(value) * Double(value)
                    lows[column] = Swift.min(lows[column], value)
                    highs[column] = Swift.max(highs[column], value)
                }
            }
        }
        let count = Double(max(rows, 1))
        means = sums.map { Float($0 / count) }
        deviations = zip(sums, squares).map { sum, square in
            let variance = max(0, square / count - (sum / count) * (sum / count))
            return variance > 1e-12 ? Float(variance.squareRoot()) : 1
        }
        if clipping && rows > 0 {
            minimums = lows
            maximums = highs
        }
        if let bins = piecewiseLinearBins {
            precondition(bins >= 2, "FeatureScaler: piecewiseLinearBins must be at least 2, got \(bins)")
            binEdges = features.withUnsafeBufferPointer { values in
                (0..<width).map { column in
                    Self.quantileEdges((0..<rows).map { values[$0 * width + column] }, bins: bins)
                }
            }
        }
    }

    /// The distinct values at the quantiles 0, 1/bins, ..., 1 of `values` (nearest rank).
    static func quantileEdges(_ values: [Float], bins: Int) -> [Float] {
        guard !values.isEmpty else { return [] }
        let sorted = values.sorted()
        var edges: [Float] = []
        for step in 0...bins {
            let edge = sorted[Int((Double(sorted.count - 1) * Double(step) / Double(bins)).rounded())]
            if edges.last != edge { edges.append(edge) }
        }
        return edges
    }

    /// The number of inputs `apply` gives per row: the feature count, or with piecewise-linear
    /// bins the total number of bins (at least one per feature).
    public var outputCount: Int {
        binEdges.map { $0.reduce(0) { $0 + Swift.max(1, $1.count - 1) } } ?? means.count
    }

    /// `features` `[N, F]` encoded: clipped (when the scaler clips) and standardised, or
    /// piecewise-linear `[N, outputCount]`. A temporary argument (`apply(extractor.features(samples))`)
    /// is standardised in place; one the caller still holds is copied first.
    public func apply(_ features: consuming Tensor) -> Tensor {
        apply(to: &features)
        return features
    }

    /// Encodes `features` `[N, F]` as `apply` does, standardising in place (no second copy of a
    /// large input matrix, unless another tensor shares its storage); piecewise-linear bins replace
    /// it with the wider `[N, outputCount]` encoding.
    public func apply(to features: inout Tensor) {
        precondition(features.shape.rank == 2 && features.shape[1] == means.count,
                     "FeatureScaler: features \(features.shape) do not have \(means.count) columns")
        if let binEdges {
            features = Self.piecewiseLinear(features, edges: binEdges, width: outputCount)
            return
        }
        let width = means.count
        let lows = minimums ?? [Float](repeating: -.infinity, count: width)
        let highs = maximums ?? [Float](repeating: .infinity, count: width)
        features.withUnsafeMutableBufferPointer { values in
            for index in 0..<values.count {
                let column = index % width
                let value = Swift.min(Swift.max(values[index], lows[column]), highs[column])
                values[index] = (value - means[column]) / deviations[column]
            }
        }
    }

    private static func piecewiseLinear(_ features: Tensor, edges: [[Float]], width: Int) -> Tensor {
        let rows = features.shape[0], columns = edges.count
        var result = Tensor.zeros([rows, width])
        features.withUnsafeBufferPointer { values in
            result.withUnsafeMutableBufferPointer { out in
                for row in 0..<rows {
                    var position = row * width
                    for column in 0..<columns {
                        let value = values[row * columns + column], bounds = edges[column]
                        for bin in 0..<Swift.max(0, bounds.count - 1) {
                            let low = bounds[bin], high = bounds[bin + 1]
                            out[position + bin] = Swift.min(Swift.max((value - low) / (high - low), 0), 1)
                        }
                        position += Swift.max(1, bounds.count - 1)
                    }
                }
            }
        }
        return result
    }
}

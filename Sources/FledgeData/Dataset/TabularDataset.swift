import FledgeTensor

/// Encoded labels of a dataset.
public enum Targets: Sendable {
    /// Floats: `[N, 1]` for binary (0/1) and single-output regression, `[N, L]` for multilabel
    /// (0/1 per label) and multi-output regression.
    case floats(Tensor)
    /// Class indices `[N]` for multiclass.
    case classes(IndexTensor)

    /// The number of rows.
    public var count: Int {
        switch self {
        case .floats(let tensor): tensor.shape.rank == 0 ? 1 : tensor.shape[0]
        case .classes(let indices): indices.shape.rank == 0 ? 1 : indices.shape[0]
        }
    }

    /// The targets of the given rows, in that order.
    public func subset(_ rows: [Int]) -> Targets {
        switch self {
        case .floats(let tensor): .floats(RowGathering.rows(rows, of: tensor))
        case .classes(let indices): .classes(RowGathering.rows(rows, of: indices))
        }
    }
}

/// Model-ready rows: dense features, optional categorical ids, optional targets and row ids.
public struct TabularDataset: Sendable {
    /// Dense features `[N, F]`: standardised numbers, booleans, dates, one-hot categories.
    public var features: Tensor
    /// Embedding ids `[N, K]` for categorical columns under `CategoricalEncoding.embedding`
    /// (0 = unseen or missing), nil otherwise.
    public var categoricalIndices: IndexTensor?
    /// Encoded labels, nil when the data has none.
    public var targets: Targets?
    /// The id column's value per row, when an id column is configured.
    public var ids: [String]?
    /// The source line of each row (for messages), when known.
    public var lines: [Int]?

    /// Creates a dataset; every part must have the same number of rows.
    public init(features: Tensor, categoricalIndices: IndexTensor? = nil, targets: Targets? = nil,
                ids: [String]? = nil, lines: [Int]? = nil) {
        precondition(features.shape.rank == 2, "TabularDataset: features must be [N, F], not \(features.shape)")
        let count = features.shape[0]
        precondition(categoricalIndices.map { $0.shape.rank == 2 && $0.shape[0] == count } ?? true,
                     "TabularDataset: categoricalIndices must be [\(count), K]")
        precondition(targets.map { $0.count == count } ?? true, "TabularDataset: targets must have \(count) rows")
        precondition(ids.map { $0.count == count } ?? true, "TabularDataset: ids must have \(count) entries")
        precondition(lines.map { $0.count == count } ?? true, "TabularDataset: lines must have \(count) entries")
        self.features = features
        self.categoricalIndices = categoricalIndices
        self.targets = targets
        self.ids = ids
        self.lines = lines
    }

    /// The number of rows.
    public var count: Int { features.shape[0] }
    /// The number of dense features.
    public var featureCount: Int { features.shape[1] }

    /// The given rows, in that order.
    public func subset(_ rows: [Int]) -> TabularDataset {
        TabularDataset(features: RowGathering.rows(rows, of: features),
                       categoricalIndices: categoricalIndices.map { RowGathering.rows(rows, of: $0) },
                       targets: targets?.subset(rows),
                       ids: ids.map { ids in rows.map { ids[$0] } },
                       lines: lines.map { lines in rows.map { lines[$0] } })
    }

    /// Class index per row for multiclass targets, or the 0/1 value for binary ones (e.g. to stratify).
    public var classLabels: [Int]? {
        switch targets {
        case .classes(let indices): return indices.indices
        case .floats(let tensor) where tensor.shape.rank == 2 && tensor.shape[1] == 1: return tensor.scalars.map { Int($0) }
        default: return nil
        }
    }
}

/// Copies whole rows (first axis) of a tensor in a given order.
enum RowGathering {
    static func rows(_ rows: [Int], of tensor: Tensor) -> Tensor {
        let count = tensor.shape.rank == 0 ? 1 : tensor.shape[0]
        let width = count == 0 ? 0 : tensor.count / count
        var dimensions = tensor.shape.dimensions
        dimensions[0] = rows.count
        var result = Tensor(uninitializedShape: Shape(dimensions))
        guard width > 0 && !rows.isEmpty else { return result }
        tensor.withUnsafeBufferPointer { source in
            result.withUnsafeMutableBufferPointer { target in
                for (position, row) in rows.enumerated() {
                    precondition(row >= 0 && row < count, "subset: row \(row) out of range 0..<\(count)")
                    let from = source.baseAddress! + row * width
                    (target.baseAddress! + position * width).update(from: from, count: width)
                }
            }
        }
        return result
    }

    static func rows(_ rows: [Int], of indices: IndexTensor) -> IndexTensor {
        let count = indices.shape[0]
        let width = count == 0 ? 0 : indices.count / count
        var dimensions = indices.shape.dimensions
        dimensions[0] = rows.count
        var values: [Int] = []
        values.reserveCapacity(rows.count * width)
        for row in rows {
            precondition(row >= 0 && row < count, "subset: row \(row) out of range 0..<\(count)")
            values.append(contentsOf: indices.indices[(row * width)..<((row + 1) * width)])
        }
        return IndexTensor(shape: Shape(dimensions), indices: values)
    }
}

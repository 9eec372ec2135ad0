/// The dimensions of a tensor, outermost first (row-major).
public struct Shape: Hashable, Sendable, CustomStringConvertible, ExpressibleByArrayLiteral {
    /// The size of each axis.
    public var dimensions: [Int]

    /// Creates a shape; every dimension must be non-negative.
    public init(_ dimensions: [Int]) {
        precondition(dimensions.allSatisfy { $0 >= 0 }, "Shape: negative dimension in \(dimensions)")
        self.dimensions = dimensions
    }

    public init(arrayLiteral elements: Int...) { self.init(elements) }

    /// The number of axes.
    public var rank: Int { dimensions.count }

    /// The number of elements (1 for a scalar).
    public var count: Int { dimensions.reduce(1, *) }

    public subscript(axis: Int) -> Int { dimensions[axis] }

    /// Row-major strides in elements.
    public var strides: [Int] {
        var result = [Int](repeating: 1, count: rank)
        var running = 1
        for axis in stride(from: rank - 1, through: 0, by: -1) {
            result[axis] = running
            running *= dimensions[axis]
        }
        return result
    }

    /// Maps a possibly negative axis (`-1` is the last) to its index, trapping with the op name if out of range.
    public func normalizedAxis(_ axis: Int, op: String) -> Int {
        let resolved = axis < 0 ? axis + rank : axis
        precondition(resolved >= 0 && resolved < Swift.max(rank, 1) && (rank > 0 || resolved == 0),
                     "\(op): axis \(axis) is out of range for shape \(self)")
        return resolved
    }

    public var description: String { "[" + dimensions.map(String.init).joined(separator: ", ") + "]" }

    /// The shape both operands broadcast to (NumPy rules), or nil when they cannot.
    public static func broadcast(_ lhs: Shape, _ rhs: Shape) -> Shape? {
        let rank = Swift.max(lhs.rank, rhs.rank)
        var result = [Int](repeating: 1, count: rank)
        for index in 0..<rank {
            let left = index < rank - lhs.rank ? 1 : lhs.dimensions[index - (rank - lhs.rank)]
            let right = index < rank - rhs.rank ? 1 : rhs.dimensions[index - (rank - rhs.rank)]
            if left == right || right == 1 {
                result[index] = left
            } else if left == 1 {
                result[index] = right
            } else {
                return nil
            }
        }
        return Shape(result)
    }
}

/// A row-major multi-index over `dimensions` that keeps up to three operands' element offsets in
/// step, each moving by its own stride per axis (0 along axes it broadcasts or does not have).
/// Walks of strided layouts (batched GEMM, permutes, gather/scatter) step with it instead of
/// dividing a flat index back into coordinates.
struct Odometer {
    let dimensions: [Int]
    private let stridesA: [Int], stridesB: [Int], stridesC: [Int]
    private var position: [Int]
    /// The current offset of each operand.
    private(set) var offsetA = 0, offsetB = 0, offsetC = 0

    init(dimensions: [Int], stridesA: [Int], stridesB: [Int]? = nil, stridesC: [Int]? = nil) {
        let zeros = [Int](repeating: 0, count: dimensions.count)
        self.dimensions = dimensions
        self.stridesA = stridesA
        self.stridesB = stridesB ?? zeros
        self.stridesC = stridesC ?? zeros
        self.position = zeros
    }

    /// Moves to the next multi-index (after the last one it wraps to the first).
    @inline(__always)
    mutating func advance() {
        var axis = dimensions.count - 1
        while axis >= 0 {
            position[axis] += 1
            offsetA += stridesA[axis]; offsetB += stridesB[axis]; offsetC += stridesC[axis]
            if position[axis] < dimensions[axis] { return }
            let size = dimensions[axis]
            offsetA -= stridesA[axis] * size; offsetB -= stridesB[axis] * size; offsetC -= stridesC[axis] * size
            position[axis] = 0
            axis -= 1
        }
    }
}

/// Raw loops that move elements between layouts: transposes, permutations and strided block
/// copies (broadcast copies go through `BroadcastPlan`). Shared by the shaping ops and their gradients.
enum LayoutKernels {
    /// Edge of the square tiles of the blocked transpose. Small on purpose: with power-of-two
    /// matrix sizes the rows of a tile sit a multiple of 4 KiB apart and share one L1 set, so a
    /// 32×32 tile thrashed (10× slower at 1024×1024); 16×16 stays within the set's ways.
    static let tile = 16

    /// Transposes `batch` stacked rows×columns matrices into columns×rows matrices.
    static func transpose(_ source: UnsafePointer<Float>, into destination: UnsafeMutablePointer<Float>,
                          batch: Int, rows: Int, columns: Int) {
        let size = rows * columns, tile = Self.tile
        for matrix in 0..<batch {
            let src = source + matrix * size, dst = destination + matrix * size
            var rowStart = 0
            while rowStart < rows {
                let rowEnd = Swift.min(rows, rowStart + tile)
                var columnStart = 0
                while columnStart < columns {
                    let columnEnd = Swift.min(columns, columnStart + tile)
                    // The inner loop runs along the destination, which measured faster than along the source.
                    for column in columnStart..<columnEnd {
                        let line = dst + column * rows
                        for row in rowStart..<rowEnd { line[row] = src[row * columns + column] }
                    }
                    columnStart = columnEnd
                }
                rowStart = rowEnd
            }
        }
    }

    /// Writes `source` (of `shape`) permuted so that output axis i is input axis `axes[i]`.
    static func permute(_ source: UnsafePointer<Float>, shape: Shape, axes: [Int],
                        into destination: UnsafeMutablePointer<Float>) {
        let inputStrides = shape.strides
        let outputDims = axes.map { shape[$0] }
        let strides = axes.map { inputStrides[$0] }
        forEachRow(of: outputDims, strides: strides) { outOffset, inOffset, length, step in
            if step == 1 {
                (destination + outOffset).update(from: source + inOffset, count: length)
            } else {
                for index in 0..<length { destination[outOffset + index] = source[inOffset + index * step] }
            }
        }
    }

    /// Walks a row-major array of `dims` one innermost row at a time, calling
    /// `body(offset, otherOffset, rowLength, otherStep)` where `otherOffset` follows `strides`
    /// (elements of another array per step along each axis).
    @inline(__always)
    static func forEachRow(of dims: [Int], strides: [Int],
                           _ body: (_ offset: Int, _ otherOffset: Int, _ length: Int, _ step: Int) -> Void) {
        let rank = dims.count
        guard rank > 0 else { body(0, 0, 1, 0); return }
        let length = dims[rank - 1], step = strides[rank - 1]
        let rows = dims.reduce(1, *) / Swift.max(length, 1)
        guard length > 0, rows > 0 else { return }
        var odometer = Odometer(dimensions: Array(dims.dropLast()), stridesA: Array(strides.dropLast()))
        for row in 0..<rows {
            body(row * length, odometer.offsetA, length, step)
            odometer.advance()
        }
    }

    /// Copies `rows` blocks of `length` elements between arrays whose blocks are `sourceStride`
    /// and `destinationStride` apart (slicing, concatenation and their gradients).
    static func copyBlocks(_ source: UnsafePointer<Float>, sourceStride: Int,
                           into destination: UnsafeMutablePointer<Float>, destinationStride: Int,
                           length: Int, rows: Int) {
        for row in 0..<rows {
            (destination + row * destinationStride).update(from: source + row * sourceStride, count: length)
        }
    }
}

import Dispatch
import FledgeTensor

/// Cleora item embeddings: seeded random vectors, then repeated random-walk propagation through the
/// entity–item graph with an L2 normalisation of every row after each step.
///
/// With `M` the items × entities count matrix (one per event), `D_i` its row sums (item degrees)
/// and `D_e` its column sums (entity degrees), one iteration is
///
///     E ← normalise_rows( D_i⁻¹ M · D_e⁻¹ Mᵀ · E )
///
/// the two-step transition item → entity → item of the bipartite graph: an entity's vector is the
/// mean of its events' item vectors, an item's new vector the mean of its events' entity vectors.
/// This is Cleora's Markov propagation (Rychalska et al. 2021) on the bipartite graph, counted
/// once per item → item step. Entities and items are each processed in parallel chunks.
enum CleoraEmbedding {
    /// The `graph.items.count × dimension` embeddings, rows L2-normalised, row-major.
    static func fit(graph: ItemGraph, dimension: Int, iterations: Int, seed: UInt64) -> [Float] {
        let itemCount = graph.items.count
        let entityCount = graph.entityOffsets.count - 1
        let root = SeededGenerator(seed: seed)
        var items = [Float](repeating: 0, count: itemCount * dimension)
        // Item i's initial vector comes from its own stream: uniform in [-1, 1), like Cleora's hashed init.
        items.withUnsafeMutableBufferPointer { buffer in
            let out = SendablePointer(base: buffer.baseAddress!)
            parallelChunks(itemCount) { range, _ in
                for item in range {
                    var random = root.derived(stream: UInt64(item))
                    for d in 0..<dimension { out.base[item * dimension + d] = 2 * random.nextUniform() - 1 }
                }
            }
        }
        normaliseRows(&items, dimension: dimension)
        var entities = [Float](repeating: 0, count: entityCount * dimension)
        for _ in 0..<iterations {
            // Entity step: D_e⁻¹ Mᵀ E — the mean of the entity's item vectors.
            average(into: &entities, rows: entityCount, offsets: graph.entityOffsets,
                    neighbours: graph.entityItems, of: items, dimension: dimension)
            // Item step: D_i⁻¹ M F — the mean of the item's entity vectors.
            average(into: &items, rows: itemCount, offsets: graph.itemOffsets,
                    neighbours: graph.itemEntities, of: entities, dimension: dimension)
            removeStationaryDirection(&items, offsets: graph.itemOffsets, dimension: dimension)
            normaliseRows(&items, dimension: dimension)
        }
        return items
    }

    /// `output[r] = mean over n in neighbours[offsets[r] ..< offsets[r+1]] of source[n]` (zero without neighbours).
    private static func average(into output: inout [Float], rows: Int, offsets: [Int], neighbours: [Int32],
                                of source: [Float], dimension: Int) {
        output.withUnsafeMutableBufferPointer { out in
            let target = SendablePointer(base: out.baseAddress!)
            source.withUnsafeBufferPointer { input in
                let from = UncheckedPointer(base: input.baseAddress!)
                neighbours.withUnsafeBufferPointer { links in
                    let edges = UncheckedIndexPointer(base: links.baseAddress)
                    parallelChunks(rows) { range, _ in
                        for row in range {
                            let accumulator = target.base + row * dimension
                            accumulator.update(repeating: 0, count: dimension)
                            let start = offsets[row], end = offsets[row + 1]
                            guard end > start else { continue }
                            for edge in start..<end {
                                let vector = from.base + Int(edges.base![edge]) * dimension
                                for d in 0..<dimension { accumulator[d] += vector[d] }
                            }
                            let scale = 1 / Float(end - start)
                            for d in 0..<dimension { accumulator[d] *= scale }
                        }
                    }
                }
            }
        }
    }

    /// Subtracts the degree-weighted mean row. The walk keeps that mean fixed (`πᵀP = πᵀ` for the
    /// stationary distribution π ∝ item degree) and shrinks every other direction, so without this
    /// every item converges to the same vector within a few steps on a well-mixed graph.
    static func removeStationaryDirection(_ values: inout [Float], offsets: [Int], dimension: Int) {
        let rows = offsets.count - 1, total = Double(offsets[rows])
        guard total > 0 else { return }
        var mean = [Double](repeating: 0, count: dimension)
        for row in 0..<rows {
            let weight = Double(offsets[row + 1] - offsets[row]) / total
            for d in 0..<dimension { mean[d] += weight * Double(values[row * dimension + d]) }
        }
        let shift = mean.map { Float($0) }
        for row in 0..<rows {
            for d in 0..<dimension { values[row * dimension + d] -= shift[d] }
        }
    }

    /// Divides each row by its L2 norm (rows of zeros stay zero).
    static func normaliseRows(_ values: inout [Float], dimension: Int) {
        let rows = values.count / max(dimension, 1)
        values.withUnsafeMutableBufferPointer { buffer in
            let base = SendablePointer(base: buffer.baseAddress!)
            parallelChunks(rows) { range, _ in
                for row in range {
                    let vector = base.base + row * dimension
                    var squares: Float = 0
                    for d in 0..<dimension { squares += vector[d] * vector[d] }
                    guard squares > 0 else { continue }
                    let scale = 1 / squares.squareRoot()
                    for d in 0..<dimension { vector[d] *= scale }
                }
            }
        }
    }
}

/// Runs `body` over `0..<count` in `4 × threads` contiguous chunks in parallel (serially when small).
/// The chunk index is passed along for per-chunk scratch space.
func parallelChunks(_ count: Int, minimumPerChunk: Int = 256, _ body: (Range<Int>, Int) -> Void) {
    let chunks = min(max(1, count / minimumPerChunk), max(1, Threading.threadCount) * 4)
    guard chunks > 1 else {
        if count > 0 { body(0..<count, 0) }
        return
    }
    withoutActuallyEscaping(body) { body in
        let box = UncheckedClosure(body: body)
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            box.body((count * chunk / chunks)..<(count * (chunk + 1) / chunks), chunk)
        }
    }
}

/// A closure over buffers whose parallel chunks touch disjoint elements.
private struct UncheckedClosure: @unchecked Sendable {
    let body: (Range<Int>, Int) -> Void
}

/// A read-only pointer shared by parallel readers.
struct UncheckedPointer: @unchecked Sendable {
    let base: UnsafePointer<Float>
}

/// A read-only index pointer shared by parallel readers.
struct UncheckedIndexPointer: @unchecked Sendable {
    let base: UnsafePointer<Int32>?
}

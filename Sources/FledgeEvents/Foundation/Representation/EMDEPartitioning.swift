import FledgeTensor

/// EMDE's locality-sensitive partitions of the embedding space: each of K partitions cuts the
/// space with `log2 B` random hyperplanes, so an item's bucket in a partition is the B-valued code
/// of the sides it lies on; nearby items share buckets in most partitions.
///
/// Hyperplane `j` of partition `k` has a standard-normal direction `w` (seeded, stream `k`) and
/// passes through the centre of the items along `w`: the median of the projections `w · e_i`, so
/// each bit splits the items in half (EMDE's data-dependent offset; a plane through the mean would
/// leave most items on one side when the embeddings are not centred).
enum EMDEPartitioning {
    /// Bucket codes, `items × partitions` row-major: `codes[i * partitions + k]` in `0 ..< buckets`.
    static func bucketCodes(embeddings: [Float], dimension: Int, partitions: Int, buckets: Int, seed: UInt64) -> [Int32] {
        let itemCount = embeddings.count / dimension
        let bits = buckets.trailingZeroBitCount
        var codes = [Int32](repeating: 0, count: itemCount * partitions)
        guard itemCount > 0 else { return codes }
        let root = SeededGenerator(seed: seed)
        var projections = [Float](repeating: 0, count: itemCount)
        for partition in 0..<partitions {
            var random = root.derived(stream: UInt64(partition))
            for bit in 0..<bits {
                let direction = (0..<dimension).map { _ in random.nextNormal() }
                embeddings.withUnsafeBufferPointer { e in
                    for item in 0..<itemCount {
                        var dot: Float = 0
                        for d in 0..<dimension { dot += e[item * dimension + d] * direction[d] }
                        projections[item] = dot
                    }
                }
                let median = Self.median(projections)
                for item in 0..<itemCount where projections[item] > median {
                    codes[item * partitions + partition] |= Int32(1) << bit
                }
            }
        }
        return codes
    }

    /// The lower median (a value of the array, so exactly half or fewer lie strictly above it).
    private static func median(_ values: [Float]) -> Float {
        let sorted = values.sorted()
        return sorted[(sorted.count - 1) / 2]
    }
}

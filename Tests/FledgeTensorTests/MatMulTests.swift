import FledgeTensor
import FledgeTestSupport
import Testing

/// matmul by definition, for comparison: [m, k] · [k, n].
func naiveMatMul(_ a: Tensor, _ b: Tensor) -> Tensor {
    let m = a.shape[0], k = a.shape[1], n = b.shape[1]
    var values = [Float](repeating: 0, count: m * n)
    for i in 0..<m {
        for j in 0..<n {
            var total: Float = 0
            for p in 0..<k { total += a[i, p] * b[p, j] }
            values[i * n + j] = total
        }
    }
    return Tensor(shape: [m, n], values: values)
}

@Test func gemmHandlesAllFourTransposeCombinations() {
    let m = 3, n = 4, k = 5
    let a = sampleTensor([m, k], seed: 1), b = sampleTensor([k, n], seed: 2)
    let expected = naiveMatMul(a, b)
    let aT = a.transposed(), bT = b.transposed()
    for transposeA in [false, true] {
        for transposeB in [false, true] {
            let left = transposeA ? aT : a, right = transposeB ? bT : b
            var c = Tensor.zeros([m, n])
            c.withUnsafeMutableBufferPointer { out in
                left.withUnsafeBufferPointer { lhs in
                    right.withUnsafeBufferPointer { rhs in
                        GEMM.multiply(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
                                      a: lhs.baseAddress!, lda: transposeA ? m : k,
                                      b: rhs.baseAddress!, ldb: transposeB ? k : n,
                                      c: out.baseAddress!, ldc: n)
                    }
                }
            }
            #expect(c.isClose(to: expected), "transposeA \(transposeA) transposeB \(transposeB)")
        }
    }
}

@Test func matmulOfMatricesMatchesTheDefinition() {
    let a = sampleTensor([3, 4], seed: 3), b = sampleTensor([4, 2], seed: 4)
    #expect(a.matmul(b).isClose(to: naiveMatMul(a, b)))
}

@Test func matmulResultShapesFollowTorch() {
    let cases: [(Shape, Shape, Shape)] = [
        ([3], [3], []), ([3], [3, 2], [2]), ([2, 3], [3], [2]), ([2, 3], [3, 4], [2, 4]),
        ([5, 2, 3], [3, 4], [5, 2, 4]), ([3], [5, 3, 4], [5, 4]), ([5, 2, 3], [3], [5, 2]),
        ([2, 1, 2, 3], [4, 3, 2], [2, 4, 2, 2]), ([2, 3], [4, 3, 2], [4, 2, 2]),
    ]
    for (lhs, rhs, expected) in cases {
        #expect(Tensor.zeros(lhs).matmul(Tensor.zeros(rhs)).shape == expected, "\(lhs) · \(rhs)")
    }
}

@Test func batchedMatmulMultipliesEachPairOfMatrices() {
    let a = sampleTensor([2, 3, 4], seed: 5), b = sampleTensor([2, 4, 2], seed: 6)
    let product = a.matmul(b)
    for index in 0..<2 {
        let left = a.sliced(axis: 0, range: index..<index + 1).reshaped([3, 4])
        let right = b.sliced(axis: 0, range: index..<index + 1).reshaped([4, 2])
        #expect(product.sliced(axis: 0, range: index..<index + 1).reshaped([3, 2]).isClose(to: naiveMatMul(left, right)))
    }
}

@Test(arguments: [
    ([3], [3]), ([3], [3, 2]), ([2, 3], [3]), ([2, 3], [3, 4]),
    ([2, 2, 3], [3, 2]), ([3], [2, 3, 2]), ([2, 2, 3], [3]), ([2, 2, 3], [2, 3, 2]),
    ([2, 1, 2, 3], [3, 3, 2]), ([2, 3], [2, 3, 2]), ([1, 2, 3], [2, 3, 2]),
] as [([Int], [Int])])
func matmulGradientsMatchFiniteDifferences(lhs: [Int], rhs: [Int]) {
    let a = sampleTensor(Shape(lhs), seed: 7), b = sampleTensor(Shape(rhs), seed: 8)
    #expect(gradientCheckFailure(inputs: [a, b]) { $0[0].matmul($0[1]) } == nil, "\(lhs) · \(rhs)")
}

@Test func matmulTrapsOnMisalignedShapes() async {
    await #expect(processExitsWith: .failure) {
        _ = Tensor.zeros([2, 3]).matmul(Tensor.zeros([4, 5]))
    }
}

@Test func matmulTrapsOnBatchAxesThatDoNotBroadcast() async {
    await #expect(processExitsWith: .failure) {
        _ = Tensor.zeros([2, 2, 3]).matmul(Tensor.zeros([3, 3, 2]))
    }
}

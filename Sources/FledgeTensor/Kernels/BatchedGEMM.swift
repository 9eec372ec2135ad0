/// A stack of matrix products whose operands broadcast over leading batch axes, as torch.matmul.
///
/// Each operand is a contiguous stack of equally sized matrices with its own batch shape (already
/// padded with leading ones to the rank of `batch`). A batch axis of size 1 is reused for every
/// index of that axis. When the destination has fewer matrices than the walk (a gradient summed
/// over broadcast batch axes) it is zeroed once and every product accumulates into it (beta = 1).
struct BatchedGEMM {
    /// The batch shape of the walk (the broadcast of all operand batch shapes).
    let batch: [Int]
    let m: Int, n: Int, k: Int
    let transposeA: Bool, transposeB: Bool
    /// Batch shapes of A, B and C, each of rank `batch.count`.
    let batchA: [Int], batchB: [Int], batchC: [Int]

    /// A single product C = op(A) · op(B) with no batch axes.
    init(m: Int, n: Int, k: Int, transposeA: Bool = false, transposeB: Bool = false) {
        self.init(batch: [], m: m, n: n, k: k, transposeA: transposeA, transposeB: transposeB,
                  batchA: [], batchB: [], batchC: [])
    }

    init(batch: [Int], m: Int, n: Int, k: Int, transposeA: Bool, transposeB: Bool,
         batchA: [Int], batchB: [Int], batchC: [Int]) {
        self.batch = batch
        self.m = m; self.n = n; self.k = k
        self.transposeA = transposeA; self.transposeB = transposeB
        self.batchA = batchA; self.batchB = batchB; self.batchC = batchC
    }

    /// The products in a new tensor of `shape` (which must hold exactly the C stack).
    func product(shape: Shape, a: UnsafePointer<Float>, b: UnsafePointer<Float>) -> Tensor {
        let result = Tensor(uninitializedShape: shape)
        run(a: a, b: b, c: result.storage.base)
        return result
    }

    /// Runs every product: C[c(i)] (+)= op(A[a(i)]) · op(B[b(i)]) for each batch index i.
    func run(a: UnsafePointer<Float>, b: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>) {
        let sizeA = m * k, sizeB = k * n, sizeC = m * n
        let lda = transposeA ? m : k, ldb = transposeB ? k : n
        if batch.isEmpty {
            GEMM.multiply(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
                          a: a, lda: lda, b: b, ldb: ldb, c: c, ldc: n)
            return
        }
        let total = batch.reduce(1, *)
        let countC = batchC.reduce(1, *)
        let accumulates = countC < total
        if accumulates { c.update(repeating: 0, count: countC * sizeC) }
        var odometer = Odometer(dimensions: batch, stridesA: Self.broadcastStrides(batchA, over: batch),
                                stridesB: Self.broadcastStrides(batchB, over: batch),
                                stridesC: Self.broadcastStrides(batchC, over: batch))
        for _ in 0..<total {
            GEMM.multiply(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
                          a: a + odometer.offsetA * sizeA, lda: lda, b: b + odometer.offsetB * sizeB, ldb: ldb,
                          beta: accumulates ? 1 : 0, c: c + odometer.offsetC * sizeC, ldc: n)
            odometer.advance()
        }
    }

    /// Strides in matrices of an operand with batch shape `shape` walked over `batch`; 0 on
    /// axes the operand broadcasts.
    static func broadcastStrides(_ shape: [Int], over batch: [Int]) -> [Int] {
        var strides = [Int](repeating: 0, count: batch.count)
        var running = 1
        for axis in stride(from: batch.count - 1, through: 0, by: -1) {
            strides[axis] = shape[axis] == 1 && batch[axis] != 1 ? 0 : running
            running *= shape[axis]
        }
        return strides
    }
}

import CFledgeKernels

/// The activation `Tensor.linear` applies in the same pass as the bias.
public enum FusedActivation: Sendable, Hashable {
    /// No activation: `input · weightᵀ + bias`.
    case identity
    /// `max(0, input · weightᵀ + bias)`.
    case relu
}

extension Tensor {
    /// Matrix product with torch.matmul semantics.
    ///
    /// 1-D·1-D is a dot product (a scalar); a 1-D left operand is a row vector and a 1-D right
    /// operand a column vector, whose axis is dropped from the result; operands of rank ≥ 3 are
    /// stacks of matrices whose leading (batch) axes broadcast.
    public func matmul(_ other: Tensor) -> Tensor {
        let plan = MatMulPlan(lhs: shape, rhs: other.shape)
        let result = plan.forward.product(shape: plan.resultShape, a: storage.base, b: other.storage.base)
        let lhs = self, rhs = other
        return Tensor.record(result, op: "matmul", inputs: [self, other]) { gradient, needs in
            [needs[0] ? plan.lhsGradient.product(shape: lhs.shape, a: gradient.storage.base, b: rhs.storage.base) : nil,
             needs[1] ? plan.rhsGradient.product(shape: rhs.shape, a: lhs.storage.base, b: gradient.storage.base) : nil]
        }
    }

    /// A fully connected layer: `activation(input · weightᵀ + bias)`, as torch.nn.functional.linear.
    ///
    /// `input` is `[..., in]` (leading axes are flattened into rows), `weight` is `[out, in]` as in
    /// PyTorch, `bias` is `[out]`. One GEMM reads the weight transposed in place; the bias is
    /// pre-filled into the output and the GEMM adds onto it, or, with `.relu`, bias and relu are
    /// applied together in one pass after the GEMM. The backward computes only the gradients
    /// that are needed, masking the output gradient by `output > 0` once for relu.
    ///
    /// With `precision: .bfloat16Mixed` the GEMMs read bf16 operands and accumulate in Float32
    /// (see `Precision`); the result and the gradients are Float32 either way.
    public static func linear(
        _ input: Tensor, weight: Tensor, bias: Tensor?, activation: FusedActivation = .identity,
        precision: Precision = .float32
    ) -> Tensor {
        precondition(weight.rank == 2, "linear: weight must be [out, in], got shape \(weight.shape)")
        let outFeatures = weight.shape[0], inFeatures = weight.shape[1]
        precondition(input.rank >= 1 && input.shape[input.rank - 1] == inFeatures,
                     "linear: input of shape \(input.shape) does not match weight of shape \(weight.shape) "
                     + "(last axis must be \(inFeatures))")
        if let bias {
            precondition(bias.shape == [outFeatures],
                         "linear: bias of shape \(bias.shape) does not match weight of shape \(weight.shape)")
        }
        let rows = input.shape.dimensions.dropLast().reduce(1, *)
        var outputDimensions = input.shape.dimensions
        outputDimensions[outputDimensions.count - 1] = outFeatures
        if precision == .bfloat16Mixed {
            return linearBFloat16Mixed(input, weight: weight, bias: bias, activation: activation,
                                       outputShape: Shape(outputDimensions))
        }
        let result = Tensor(uninitializedShape: Shape(outputDimensions))
        let y = result.storage.base
        let prefillsBias = bias != nil && activation == .identity
        if prefillsBias, let bias {
            for row in 0..<rows { (y + row * outFeatures).update(from: bias.storage.base, count: outFeatures) }
        }
        GEMM.multiply(transposeA: false, transposeB: true, m: rows, n: outFeatures, k: inFeatures,
                      a: input.storage.base, lda: inFeatures, b: weight.storage.base, ldb: inFeatures,
                      beta: prefillsBias ? 1 : 0, c: y, ldc: outFeatures)
        if activation == .relu {
            LinearKernels.addBiasRelu(y, rows: rows, columns: outFeatures, bias: bias?.storage.base)
        }

        let inputs = bias.map { [input, weight, $0] } ?? [input, weight]
        // The pullback keeps the output storage only for relu's mask (not the tensor, whose node would
        // then own a closure that owns it).
        let outputStorage = activation == .relu ? result.storage : nil
        return record(result, op: "linear", inputs: inputs) { gradient, needs in
            var dY = gradient
            var dBias: Tensor?
            let needsBias = needs.count > 2 && needs[2]
            if let outputStorage {
                let masked = Tensor(uninitializedShape: gradient.shape)
                let sums = needsBias ? Tensor.zeros([outFeatures]) : nil
                LinearKernels.reluMask(gradient.storage.base, output: outputStorage.base, into: masked.storage.base,
                                       rows: rows, columns: outFeatures, columnSums: sums?.storage.base)
                dY = masked
                dBias = sums
            } else if needsBias {
                let sums = Tensor.zeros([outFeatures])
                LinearKernels.columnSums(gradient.storage.base, rows: rows, columns: outFeatures,
                                         into: sums.storage.base)
                dBias = sums
            }
            // dInput = dY · W and dWeight = dYᵀ · X, each only when asked for.
            let dInput = needs[0] ? BatchedGEMM(m: rows, n: inFeatures, k: outFeatures)
                .product(shape: input.shape, a: dY.storage.base, b: weight.storage.base) : nil
            let dWeight = needs[1] ? BatchedGEMM(m: outFeatures, n: inFeatures, k: rows, transposeA: true)
                .product(shape: weight.shape, a: dY.storage.base, b: input.storage.base) : nil
            withExtendedLifetime(dY) {}  // the GEMMs above read the masked gradient through a raw pointer
            return needs.count > 2 ? [dInput, dWeight, dBias] : [dInput, dWeight]
        }
    }
}

/// How a matmul maps onto batched GEMMs, for the forward pass and both gradients.
struct MatMulPlan {
    let resultShape: Shape
    let forward: BatchedGEMM
    let lhsGradient: BatchedGEMM
    let rhsGradient: BatchedGEMM

    init(lhs: Shape, rhs: Shape) {
        precondition(lhs.rank >= 1 && rhs.rank >= 1,
                     "matmul: both operands need at least one axis, got shapes \(lhs) and \(rhs)")
        let lhsDims = lhs.dimensions, rhsDims = rhs.dimensions
        // A 1-D left operand is a row vector [1, k]; a 1-D right operand is a column vector [k, 1].
        var m = lhs.rank == 1 ? 1 : lhsDims[lhs.rank - 2]
        let k = lhsDims[lhs.rank - 1]
        let rhsK = rhs.rank == 1 ? rhsDims[0] : rhsDims[rhs.rank - 2]
        let n = rhs.rank == 1 ? 1 : rhsDims[rhs.rank - 1]
        precondition(k == rhsK, "matmul: shapes \(lhs) and \(rhs) do not align (\(k) vs \(rhsK))")
        let lhsBatch = Array(lhsDims.dropLast(2)), rhsBatch = Array(rhsDims.dropLast(2))
        guard let broadcast = Shape.broadcast(Shape(lhsBatch), Shape(rhsBatch)) else {
            preconditionFailure("matmul: batch axes of shapes \(lhs) and \(rhs) do not broadcast")
        }
        var result = broadcast.dimensions
        if lhs.rank > 1 { result.append(m) }
        if rhs.rank > 1 { result.append(n) }
        resultShape = Shape(result)

        var batch = broadcast.dimensions
        var batchA = [Int](repeating: 1, count: batch.count - lhsBatch.count) + lhsBatch
        var batchB = [Int](repeating: 1, count: batch.count - rhsBatch.count) + rhsBatch
        if batchB.reduce(1, *) == 1 {
            // One right matrix for every left one: the left stack is one tall matrix, so a single
            // GEMM does the forward pass and each gradient (the common [..., k] · [k, n] case).
            m *= batchA.reduce(1, *)
            batch = []; batchA = []; batchB = []
        }
        forward = BatchedGEMM(batch: batch, m: m, n: n, k: k, transposeA: false, transposeB: false,
                              batchA: batchA, batchB: batchB, batchC: batch)
        // dA = dC · Bᵀ, summed over the batch axes A broadcasts.
        lhsGradient = BatchedGEMM(batch: batch, m: m, n: k, k: n, transposeA: false, transposeB: true,
                                  batchA: batch, batchB: batchB, batchC: batchA)
        // dB = Aᵀ · dC, summed over the batch axes B broadcasts.
        rhsGradient = BatchedGEMM(batch: batch, m: k, n: n, k: m, transposeA: true, transposeB: false,
                                  batchA: batchA, batchB: batch, batchC: batchB)
    }
}

/// The elementwise passes of `Tensor.linear`, in C clones (see CFledgeKernels/linear.c).
enum LinearKernels {
    /// y = max(0, y + bias) row by row (bias may be nil).
    static func addBiasRelu(_ y: UnsafeMutablePointer<Float>, rows: Int, columns: Int, bias: UnsafePointer<Float>?) {
        fledge_add_bias_relu_rows(y, bias, rows, columns)
    }

    /// masked = gradient where output > 0, else 0; optionally adds each column of masked into `columnSums`.
    static func reluMask(
        _ gradient: UnsafePointer<Float>, output: UnsafePointer<Float>, into masked: UnsafeMutablePointer<Float>,
        rows: Int, columns: Int, columnSums: UnsafeMutablePointer<Float>?
    ) {
        fledge_relu_backward_rows(gradient, output, masked, columnSums, rows, columns)
    }

    /// Adds each column of a rows × columns matrix into `sums`.
    static func columnSums(_ matrix: UnsafePointer<Float>, rows: Int, columns: Int, into sums: UnsafeMutablePointer<Float>) {
        fledge_add_rows(matrix, sums, rows, columns, columns)
    }
}

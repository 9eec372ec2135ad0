import CFledgeKernels

extension Tensor {
    /// `Tensor.linear` in bf16-mixed precision: the forward GEMM multiplies the bf16 rounding of
    /// the input by a bf16 copy of the weight into a Float32 result (bias and relu in Float32 as in
    /// the Float32 op); the backward rounds the output gradient to bf16 and runs both gradient GEMMs
    /// on bf16 operands with Float32 accumulation. The bias gradient is summed in Float32.
    ///
    /// The pullback keeps only bf16 storages — the input's and weight's `bfloat16Copy` and, for
    /// relu's mask, the output's — never the Float32 input or weight, so the tape holds half the
    /// bytes. The output's bf16 copy is the next layer's input copy, made once and shared.
    static func linearBFloat16Mixed(
        _ input: Tensor, weight: Tensor, bias: Tensor?, activation: FusedActivation, outputShape: Shape
    ) -> Tensor {
        let outFeatures = weight.shape[0], inFeatures = weight.shape[1]
        let rows = input.count / inFeatures
        let input16 = input.storage.bfloat16(), weight16 = weight.storage.bfloat16()
        let result = Tensor(uninitializedShape: outputShape)
        let y = result.storage.base
        let prefillsBias = bias != nil && activation == .identity
        if prefillsBias, let bias {
            for row in 0..<rows { (y + row * outFeatures).update(from: bias.storage.base, count: outFeatures) }
        }
        GEMM.multiplyBFloat16(transposeA: false, transposeB: true, m: rows, n: outFeatures, k: inFeatures,
                              a: input16.base, lda: inFeatures, b: weight16.base, ldb: inFeatures,
                              beta: prefillsBias ? 1 : 0, c: y, ldc: outFeatures)
        if activation == .relu {
            LinearKernels.addBiasRelu(y, rows: rows, columns: outFeatures, bias: bias?.storage.base)
        }

        let inputs = bias.map { [input, weight, $0] } ?? [input, weight]
        guard GradientMode.isEnabled, inputs.contains(where: \.requiresGradient) else { return result }
        let output16 = activation == .relu ? result.storage.bfloat16() : nil
        let inputShape = input.shape, weightShape = weight.shape
        return record(result, op: "linear_bf16", inputs: inputs) { gradient, needs in
            let needsBias = needs.count > 2 && needs[2]
            let dBias = needsBias ? Tensor.zeros([outFeatures]) : nil
            let dY16 = BFloat16Storage(uninitializedCount: gradient.count)
            if let output16 {
                fledge_relu_backward_rows_bf16(gradient.storage.base, output16.base, dY16.base,
                                               dBias?.storage.base, rows, outFeatures)
            } else {
                fledge_f32_to_bf16(gradient.storage.base, dY16.base, gradient.count)
                if let dBias { LinearKernels.columnSums(gradient.storage.base, rows: rows, columns: outFeatures,
                                                         into: dBias.storage.base) }
            }
            // dInput = dY · W and dWeight = dYᵀ · X, each only when asked for.
            let dInput = needs[0] ? bfloat16Product(shape: inputShape, transposeA: false, m: rows, k: outFeatures,
                                                    a: dY16, b: weight16) : nil
            let dWeight = needs[1] ? bfloat16Product(shape: weightShape, transposeA: true, m: outFeatures, k: rows,
                                                     a: dY16, b: input16) : nil
            return needs.count > 2 ? [dInput, dWeight, dBias] : [dInput, dWeight]
        }
    }

    /// op(A)·B into a new Float32 tensor of `shape` (m × n, B is k × n); A is m × k, or k × m
    /// stored when transposed.
    private static func bfloat16Product(
        shape: Shape, transposeA: Bool, m: Int, k: Int, a: BFloat16Storage, b: BFloat16Storage
    ) -> Tensor {
        let n = shape.count / m
        let product = Tensor(uninitializedShape: shape)
        GEMM.multiplyBFloat16(transposeA: transposeA, transposeB: false, m: m, n: n, k: k,
                              a: a.base, lda: transposeA ? m : k, b: b.base, ldb: n, c: product.storage.base, ldc: n)
        return product
    }
}

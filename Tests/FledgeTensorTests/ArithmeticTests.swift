import FledgeTensor
import FledgeTestSupport
import Testing

@Test func sameShapeArithmeticMatchesScalarMath() {
    let a = Tensor([1, 2, 3, 4]), b = Tensor([0.5, -1, 2, 8])
    #expect((a + b).scalars == [1.5, 1, 5, 12])
    #expect((a - b).scalars == [0.5, 3, 1, -4])
    #expect((a * b).scalars == [0.5, -2, 6, 32])
    #expect((a / b).scalars == [2, -2, 1.5, 0.5])
    #expect((-a).scalars == [-1, -2, -3, -4])
}

@Test func scalarOperandsWorkOnEitherSide() {
    let a = Tensor([1, 2, 4])
    #expect((a + 1).scalars == [2, 3, 5])
    #expect((1 + a).scalars == [2, 3, 5])
    #expect((a - 1).scalars == [0, 1, 3])
    #expect((1 - a).scalars == [0, -1, -3])
    #expect((a * 2).scalars == [2, 4, 8])
    #expect((2 * a).scalars == [2, 4, 8])
    #expect((a / 2).scalars == [0.5, 1, 2])
    #expect((4 / a).scalars == [4, 2, 1])
}

@Test func broadcastingCoversRowsColumnsAndOuterProducts() {
    let matrix = Tensor([[1, 2, 3], [4, 5, 6]])
    #expect((matrix + Tensor([10, 20, 30])).scalars == [11, 22, 33, 14, 25, 36])
    #expect((matrix * Tensor([[2], [3]])).scalars == [2, 4, 6, 12, 15, 18])
    #expect((Tensor([[1], [2]]) - Tensor([1, 2, 3])).scalars == [0, -1, -2, 1, 0, -1])
    #expect((Tensor([10, 20, 30]) - matrix).shape == [2, 3])
    #expect((matrix + Tensor(scalar: 1)).scalars == [2, 3, 4, 5, 6, 7])
    // [2, 1, 3] with [4, 1]: a general (non-trailing) broadcast to [2, 4, 3].
    let a = Tensor(shape: [2, 1, 3], values: [1, 2, 3, 4, 5, 6])
    let b = Tensor(shape: [4, 1], values: [0, 10, 20, 30])
    let sum = a + b
    #expect(sum.shape == [2, 4, 3])
    #expect(sum[1, 2, 0] == 24)
    #expect(sum[0, 3, 2] == 33)
}

@Test func broadcastGradientsSumBackToInputShapes() {
    let matrix = sampleTensor([3, 4], seed: 1)
    let row = sampleTensor([4], seed: 2)
    let column = sampleTensor([3, 1], seed: 3)
    #expect(gradientCheckFailure(inputs: [matrix, row]) { $0[0] + $0[1] } == nil)
    #expect(gradientCheckFailure(inputs: [matrix, column]) { $0[0] - $0[1] } == nil)
    #expect(gradientCheckFailure(inputs: [row, matrix]) { $0[0] * $0[1] } == nil)
    #expect(gradientCheckFailure(inputs: [column, row]) { $0[0] * $0[1] } == nil)
    let denominator = sampleTensor([2, 1, 3], seed: 4, low: 0.5, high: 2)
    #expect(gradientCheckFailure(inputs: [sampleTensor([4, 1], seed: 5), denominator]) { $0[0] / $0[1] } == nil)
}

@Test func scalarAndUnaryArithmeticGradients() {
    let x = sampleTensor([2, 3], low: 0.5, high: 2)
    #expect(gradientCheckFailure(inputs: [x]) { ($0[0] + 1) * 3 - 2 } == nil)
    #expect(gradientCheckFailure(inputs: [x]) { 1 - $0[0] / 4 } == nil)
    #expect(gradientCheckFailure(inputs: [x]) { 2 / $0[0] } == nil)
    #expect(gradientCheckFailure(inputs: [x]) { -$0[0] } == nil)
}

@Test func powerWithScalarAndTensorExponents() {
    let x = Tensor([1, 2, 3])
    #expect(x.pow(2).scalars == [1, 4, 9])
    #expect(x.pow(3).scalars == [1, 8, 27])
    #expect(x.pow(0).scalars == [1, 1, 1])
    #expect(Tensor([4, 9]).pow(0.5).scalars == [2, 3])
    #expect(x.pow(Tensor([2, 0, 1])).scalars == [1, 1, 3])
    let positive = sampleTensor([2, 3], low: 0.5, high: 2)
    for exponent: Float in [2, 3, 0.5, -1, 1.7, 0] {
        #expect(gradientCheckFailure(inputs: [positive]) { $0[0].pow(exponent) } == nil, "exponent \(exponent)")
    }
    let exponents = sampleTensor([3], seed: 9)
    #expect(gradientCheckFailure(inputs: [positive, exponents]) { $0[0].pow($0[1]) } == nil)
}

@Test func minimumAndMaximumSplitTiesLikeTorch() {
    let a = Tensor([1, 5, 3]), b = Tensor([2, 4, 3])
    #expect(a.minimum(b).scalars == [1, 4, 3])
    #expect(a.maximum(b).scalars == [2, 5, 3])
    let left = a.requiringGradient(), right = b.requiringGradient()
    left.maximum(right).sum().backward()
    #expect(left.grad?.scalars == [0, 1, 0.5])
    #expect(right.grad?.scalars == [1, 0, 0.5])
    #expect(gradientCheckFailure(inputs: [sampleTensor([3, 2]), sampleTensor([2], seed: 3)]) { $0[0].minimum($0[1]) } == nil)
    #expect(gradientCheckFailure(inputs: [sampleTensor([3, 1]), sampleTensor([2], seed: 3)]) { $0[0].maximum($0[1]) } == nil)
}

@Test func comparisonsReturnZerosAndOnes() {
    let a = Tensor([1, 2, 3]), b = Tensor([3, 2, 1])
    #expect(a.isGreater(than: b).scalars == [0, 0, 1])
    #expect(a.isLess(than: b).scalars == [1, 0, 0])
    #expect(a.isGreaterOrEqual(to: b).scalars == [0, 1, 1])
    #expect(a.isLessOrEqual(to: b).scalars == [1, 1, 0])
    #expect(a.isEqual(to: b).scalars == [0, 1, 0])
    #expect(a.isNotEqual(to: b).scalars == [1, 0, 1])
    #expect(a.isGreater(than: 1.5).scalars == [0, 1, 1])
    #expect(a.isEqual(to: 3).scalars == [0, 0, 1])
    #expect(Tensor([[1, 4]]).isLess(than: Tensor([[2], [5]])).scalars == [1, 0, 1, 1])
    #expect(!a.requiringGradient().isGreater(than: b).requiresGradient)
}

@Test func impossibleBroadcastTrapsNamingOpAndShapes() async throws {
    let add = try await #require(processExitsWith: .failure, observing: [\.standardErrorContent]) {
        _ = Tensor.zeros([2, 3]) + Tensor.zeros([4])
    }
    let less = try await #require(processExitsWith: .failure, observing: [\.standardErrorContent]) {
        _ = Tensor.zeros([2, 3]).isLess(than: Tensor.zeros([3, 2]))
    }
    // Optimised builds trap without printing precondition messages; debug builds print them.
    #if DEBUG
    #expect(String(decoding: add.standardErrorContent, as: UTF8.self)
        .contains("add: shapes [2, 3] and [4] cannot be broadcast together"))
    #expect(String(decoding: less.standardErrorContent, as: UTF8.self)
        .contains("isLess: shapes [2, 3] and [3, 2] cannot be broadcast together"))
    #endif
    await #expect(processExitsWith: .failure) { _ = Tensor.zeros([3]).pow(Tensor.zeros([2])) }
    await #expect(processExitsWith: .failure) { _ = Tensor.zeros([2, 2]).maximum(Tensor.zeros([3])) }
}

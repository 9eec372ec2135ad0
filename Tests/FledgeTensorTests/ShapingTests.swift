import FledgeTensor
import FledgeTestSupport
import Testing

@Test func reshapeInfersOneDimensionAndSharesStorage() {
    let x = Tensor(shape: [2, 3], values: [0, 1, 2, 3, 4, 5])
    let y = x.reshaped([3, -1])
    #expect(y.shape == [3, 2])
    #expect(y.storage === x.storage)
    #expect(x.flattened().shape == [6])
    #expect(x.reshaped(to: [6, 1]).scalars == x.scalars)
}

@Test func transposeSwapsTheLastTwoAxes() {
    let x = Tensor(shape: [2, 3], values: [0, 1, 2, 3, 4, 5])
    #expect(x.transposed().shape == [3, 2])
    #expect(x.transposed().scalars == [0, 3, 1, 4, 2, 5])
}

@Test func blockedTransposeMatchesElementwiseDefinitionOnLargerMatrices() {
    let x = sampleTensor([3, 37, 45], seed: 30)
    let t = x.transposed()
    #expect(t.shape == [3, 45, 37])
    var mismatches = 0
    for b in 0..<3 {
        for i in 0..<37 {
            for j in 0..<45 where t[b, j, i] != x[b, i, j] { mismatches += 1 }
        }
    }
    #expect(mismatches == 0)
}

@Test func permuteMovesEveryAxis() {
    let x = Tensor(shape: [2, 3, 4], values: (0..<24).map(Float.init))
    let p = x.permuted([1, 2, 0])
    #expect(p.shape == [3, 4, 2])
    for i in 0..<2 {
        for j in 0..<3 {
            for k in 0..<4 { #expect(p[j, k, i] == x[i, j, k]) }
        }
    }
    let q = x.permuted([2, 0, 1])
    for i in 0..<2 {
        for j in 0..<3 {
            for k in 0..<4 { #expect(q[k, i, j] == x[i, j, k]) }
        }
    }
    #expect(x.transposed(0, 2).permuted([2, 1, 0]).scalars == x.scalars)
}

@Test func reshapeAndTransposeGradientsMatchFiniteDifferences() {
    let x = sampleTensor([2, 3, 2], seed: 31)
    #expect(gradientCheckFailure(inputs: [x]) { $0[0].reshaped([3, -1]) } == nil)
    #expect(gradientCheckFailure(inputs: [x]) { $0[0].flattened() } == nil)
    #expect(gradientCheckFailure(inputs: [x]) { $0[0].transposed() } == nil)
    #expect(gradientCheckFailure(inputs: [x]) { $0[0].transposed(0, 2) } == nil)
    #expect(gradientCheckFailure(inputs: [x]) { $0[0].permuted([1, 2, 0]) } == nil)
    #expect(gradientCheckFailure(inputs: [x]) { $0[0].permuted([2, 0, 1]) } == nil)
}

@Test func squeezeAndUnsqueezeAddAndRemoveUnitAxes() {
    let x = Tensor.zeros([2, 1, 3])
    #expect(x.squeezed(axis: 1).shape == [2, 3])
    #expect(x.squeezed(axis: 0).shape == [2, 1, 3])  // not size 1: unchanged, as torch
    #expect(x.unsqueezed(axis: 0).shape == [1, 2, 1, 3])
    #expect(x.unsqueezed(axis: -1).shape == [2, 1, 3, 1])
}

@Test func expandRepeatsUnitAxes() {
    let x = Tensor(shape: [2, 1], values: [1, 2])
    let y = x.expanded(to: [3, 2, 2])
    #expect(y.shape == [3, 2, 2])
    #expect(y.scalars == [1, 1, 2, 2, 1, 1, 2, 2, 1, 1, 2, 2])
}

@Test func sliceConcatenateAndStackMoveBlocks() {
    let x = Tensor(shape: [2, 3], values: [0, 1, 2, 3, 4, 5])
    #expect(x.sliced(axis: 1, range: 1..<3).scalars == [1, 2, 4, 5])
    #expect(x.sliced(axis: 0, range: 1..<2).scalars == [3, 4, 5])
    let joined = Tensor.concatenate([x, x.sliced(axis: 1, range: 0..<1)], axis: 1)
    #expect(joined.shape == [2, 4])
    #expect(joined.scalars == [0, 1, 2, 0, 3, 4, 5, 3])
    let stacked = Tensor.stack([x, x], axis: 1)
    #expect(stacked.shape == [2, 2, 3])
    #expect(stacked.scalars == [0, 1, 2, 0, 1, 2, 3, 4, 5, 3, 4, 5])
}

@Test func remainingShapingGradientsMatchFiniteDifferences() {
    let x = sampleTensor([2, 1, 3], seed: 32), y = sampleTensor([2, 2, 3], seed: 33)
    #expect(gradientCheckFailure(inputs: [x]) { $0[0].squeezed(axis: 1) } == nil)
    #expect(gradientCheckFailure(inputs: [x]) { $0[0].unsqueezed(axis: 0) } == nil)
    #expect(gradientCheckFailure(inputs: [x]) { $0[0].expanded(to: [2, 2, 4, 3]) } == nil)
    #expect(gradientCheckFailure(inputs: [y]) { $0[0].sliced(axis: 2, range: 1..<3) } == nil)
    #expect(gradientCheckFailure(inputs: [x, y]) { Tensor.concatenate([$0[0], $0[1]], axis: 1) } == nil)
    #expect(gradientCheckFailure(inputs: [y, y]) { Tensor.stack([$0[0], $0[1]], axis: -1) } == nil)
}

@Test func concatenateTrapsOnMismatchedShapes() async {
    await #expect(processExitsWith: .failure) {
        _ = Tensor.concatenate([Tensor.zeros([2, 3]), Tensor.zeros([3, 2])], axis: 0)
    }
}

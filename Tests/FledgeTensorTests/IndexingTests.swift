import FledgeTensor
import FledgeTestSupport
import Testing

@Test func gatherPicksAlongTheAxis() {
    let x = Tensor(shape: [2, 3], values: [0, 1, 2, 3, 4, 5])
    let picked = x.gathered(axis: 1, indices: IndexTensor(shape: [2, 2], indices: [2, 0, 1, 1]))
    #expect(picked.scalars == [2, 0, 4, 4])
    let rows = x.gathered(axis: 0, indices: IndexTensor(shape: [1, 3], indices: [1, 0, 1]))
    #expect(rows.scalars == [3, 1, 5])
}

@Test func scatterAddAccumulatesRepeatedIndices() {
    let base = Tensor.zeros([2, 3])
    let source = Tensor(shape: [2, 2], values: [1, 2, 3, 4])
    let result = base.scatterAdding(axis: 1, indices: IndexTensor(shape: [2, 2], indices: [0, 0, 2, 1]), source: source)
    #expect(result.scalars == [3, 0, 0, 0, 4, 3])
}

@Test func indexSelectTakesWholeSlices() {
    let x = Tensor(shape: [3, 2], values: [0, 1, 2, 3, 4, 5])
    #expect(x.indexSelected(axis: 0, indices: IndexTensor([2, 0, 2])).scalars == [4, 5, 0, 1, 4, 5])
    #expect(x.indexSelected(axis: 1, indices: IndexTensor([1])).scalars == [1, 3, 5])
}

@Test func whereBroadcastsAndMaskedFillReplaces() {
    let condition = Tensor(shape: [2, 1], values: [1, 0])
    let a = Tensor(shape: [2, 2], values: [1, 2, 3, 4]), b = Tensor(scalar: -1)
    #expect(Tensor.where(condition, a, b).scalars == [1, 2, -1, -1])
    let mask = Tensor([0, 1])
    #expect(a.maskedFilled(where: mask, with: 9).scalars == [1, 9, 3, 9])
}

@Test func topKReturnsSortedValuesAndPositions() {
    let x = Tensor(shape: [2, 4], values: [3, 1, 4, 2, 0, 7, 5, 6])
    let (largest, largestAt) = x.topK(2)
    #expect(largest.scalars == [4, 3, 7, 6])
    #expect(largestAt.indices == [2, 0, 1, 3])
    let (smallest, smallestAt) = x.topK(1, axis: 0, largest: false)
    #expect(smallest.scalars == [0, 1, 4, 2])
    #expect(smallestAt.indices == [1, 0, 0, 0])
}

@Test func indexingGradientsMatchFiniteDifferences() {
    let x = sampleTensor([3, 4], seed: 40), source = sampleTensor([2, 4], seed: 41)
    let gatherIndices = IndexTensor(shape: [3, 2], indices: [3, 0, 1, 1, 2, 0])
    #expect(gradientCheckFailure(inputs: [x]) { $0[0].gathered(axis: 1, indices: gatherIndices) } == nil)
    let scatterIndices = IndexTensor(shape: [2, 3], indices: [2, 0, 2, 1, 1, 0])
    #expect(gradientCheckFailure(inputs: [x, source]) { xs in
        xs[0].scatterAdding(axis: 0, indices: scatterIndices, source: xs[1])
    } == nil)
    #expect(gradientCheckFailure(inputs: [x]) { $0[0].indexSelected(axis: 0, indices: IndexTensor([2, 0, 2])) } == nil)
    let condition = Tensor(shape: [3, 1], values: [1, 0, 1])
    #expect(gradientCheckFailure(inputs: [x, source.sliced(axis: 0, range: 0..<1)]) { xs in
        Tensor.where(condition, xs[0], xs[1])
    } == nil)
    #expect(gradientCheckFailure(inputs: [x]) { $0[0].maskedFilled(where: condition, with: 2) } == nil)
    #expect(gradientCheckFailure(inputs: [x]) { $0[0].topK(2, axis: 1).values } == nil)
    #expect(gradientCheckFailure(inputs: [x]) { $0[0].topK(2, axis: 0, largest: false).values } == nil)
}

@Test func outOfRangeIndexTraps() async {
    await #expect(processExitsWith: .failure) {
        _ = Tensor.zeros([5, 2]).indexSelected(axis: 0, indices: IndexTensor([7]))
    }
    await #expect(processExitsWith: .failure) {
        _ = Tensor.zeros([2, 3]).gathered(axis: 1, indices: IndexTensor(shape: [2, 1], indices: [0, 3]))
    }
}

@Test func topKOfLongRowsAgreesWithSorting() {
    let x = sampleTensor([3, 200], seed: 42)
    for k in [1, 5, 40] {
        for largest in [true, false] {
            let (values, positions) = x.topK(k, axis: 1, largest: largest)
            for row in 0..<3 {
                let lane = Array(x.scalars[(row * 200)..<((row + 1) * 200)])
                let expected = Array(lane.enumerated().sorted { largest ? $0.element > $1.element : $0.element < $1.element }
                    .prefix(k))
                #expect(Array(values.scalars[(row * k)..<((row + 1) * k)]) == expected.map(\.element))
                #expect(Array(positions.indices[(row * k)..<((row + 1) * k)]) == expected.map(\.offset))
            }
        }
    }
}

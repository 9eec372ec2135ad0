import Foundation
import FledgeTensor
import FledgeTestSupport
import Testing

@Test func softmaxRowsSumToOneAndAreStable() {
    let logits = Tensor([[1, 2, 3], [1000, 1000, 1000]])
    let probabilities = logits.softmax()
    let sums = probabilities.sum(axes: [1]).scalars
    #expect(sums.allSatisfy { Swift.abs($0 - 1) < 1e-6 })
    #expect(probabilities[1, 0] == probabilities[1, 2])
    let e = [Foundation.exp(Float(-2)), Foundation.exp(Float(-1)), 1]
    let total = e.reduce(0, +)
    #expect(probabilities.isClose(to: Tensor([[e[0] / total, e[1] / total, e[2] / total], [1.0 / 3, 1.0 / 3, 1.0 / 3]])))
    let logs = logits.logSoftmax()
    #expect(logs.isClose(to: probabilities.log(), relativeTolerance: 1e-5))
}

@Test func softmaxOverLeadingAxesMatchesTransposedRows() {
    let x = sampleTensor([3, 4], seed: 11)
    let byColumn = x.softmax(axis: 0)
    for column in 0..<4 {
        let values = (0..<3).map { x[$0, column] }
        let reference = Tensor(values).softmax().scalars
        for row in 0..<3 { #expect(Swift.abs(byColumn[row, column] - reference[row]) < 1e-6) }
    }
    #expect(x.logSoftmax(axis: 0).isClose(to: byColumn.log(), relativeTolerance: 1e-5))
}

@Test func softmaxGradientsMatchFiniteDifferences() {
    let x = sampleTensor([2, 3, 4], seed: 12)
    for axis in [-1, 0, 1] {
        #expect(gradientCheckFailure(inputs: [x]) { $0[0].softmax(axis: axis) } == nil, "softmax axis \(axis)")
        #expect(gradientCheckFailure(inputs: [x]) { $0[0].logSoftmax(axis: axis) } == nil, "logSoftmax axis \(axis)")
    }
}

@Test func softmaxHandlesInfiniteLogitsLikeTorch() {
    let masked = Tensor([[-Float.infinity, 0, 0], [-Float.infinity, -Float.infinity, 5]])
    #expect(masked.softmax().scalars == [0, 0.5, 0.5, 0, 0, 1])
    #expect(masked.logSoftmax().scalars[2] == -0.6931472)
    #expect(masked.logSoftmax().scalars[3] == -.infinity)
    // A row with no finite logit has no distribution: NaN, as torch gives.
    let empty = Tensor([[-Float.infinity, -Float.infinity]])
    #expect(empty.softmax().scalars.allSatisfy { $0.isNaN })
    #expect(empty.logSoftmax().scalars.allSatisfy { $0.isNaN })
    #expect(Tensor(shape: [2, 1], values: [-Float.infinity, 1]).softmax(axis: 0).scalars == [0, 1])
}

@Test func rowsWithNaNOrPositiveInfinityHaveNoDistribution() {
    for columns in [3, 40] {
        var values = [Float](repeating: 0.5, count: 2 * columns)
        values[1] = .nan
        values[columns + 2] = .infinity
        let x = Tensor(shape: [2, columns], values: values)
        #expect(x.softmax().scalars.allSatisfy { $0.isNaN }, "softmax, \(columns) columns")
        #expect(x.logSoftmax().scalars.allSatisfy { $0.isNaN }, "logSoftmax, \(columns) columns")
        let lse = x.logSumExp(axes: [1]).scalars
        #expect(lse[0].isNaN && lse[1] == .infinity, "logSumExp, \(columns) columns")
    }
}

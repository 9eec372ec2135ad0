import FledgeTensor
import FledgeTestSupport
import Testing

private let cube = Tensor(shape: [2, 3, 2], values: (0..<12).map { Float($0) })

@Test func sumOverAxisSetsWithAndWithoutKeptDimensions() {
    #expect(cube.sum().shape == [])
    #expect(cube.sum().item == 66)
    #expect(cube.sum(axes: [0]).scalars == [6, 8, 10, 12, 14, 16])
    #expect(cube.sum(axes: [1]).scalars == [6, 9, 24, 27])
    #expect(cube.sum(axes: [-1]).scalars == [1, 5, 9, 13, 17, 21])
    #expect(cube.sum(axes: [0, 2]).scalars == [14, 22, 30])
    #expect(cube.sum(axes: [0, 2], keepingDimensions: true).shape == [1, 3, 1])
    #expect(cube.sum(axes: [1], keepingDimensions: true).shape == [2, 1, 2])
    #expect(cube.sum(axes: []).shape == [2, 3, 2])
}

@Test func meanMaxMinAndVariance() {
    #expect(cube.mean(axes: [1]).scalars == [2, 3, 8, 9])
    #expect(cube.max(axes: [0]).scalars == [6, 7, 8, 9, 10, 11])
    #expect(cube.min(axes: [1, 2]).scalars == [0, 6])
    #expect(cube.max().item == 11)
    let rows = Tensor([[1, 2, 3, 4], [2, 2, 2, 2]])
    #expect(rows.variance(axes: [1]).scalars == [5.0 / 3.0, 0])
    #expect(rows.variance(axes: [1], correction: 0).scalars == [1.25, 0])
    #expect(rows.variance(axes: [0], keepingDimensions: true).shape == [1, 4])
}

@Test func logSumExpIsStableForLargeAndInfiniteInputs() {
    let large = Tensor([[1000, 1000], [-Float.infinity, 0]])
    let result = large.logSumExp(axes: [1]).scalars
    #expect(Swift.abs(result[0] - (1000 + 0.6931472)) < 1e-3)
    #expect(result[1] == 0)
    #expect(Tensor([-Float.infinity, -.infinity]).logSumExp().item == -.infinity)
}

@Test func argmaxAndArgminReturnFirstIndexAlongAxis() {
    let x = Tensor([[1, 5, 5], [7, 0, 7]])
    #expect(x.argmax(axis: 1).indices == [1, 0])
    #expect(x.argmin(axis: 1).indices == [0, 1])
    #expect(x.argmax(axis: 0).indices == [1, 0, 1])
    #expect(x.argmax(axis: -1, keepingDimensions: true).shape == [2, 1])
    #expect(cube.argmax(axis: 1).shape == [2, 2])
    #expect(cube.argmax(axis: 1).indices == [2, 2, 2, 2])
}

@Test func reductionGradientsMatchFiniteDifferences() {
    let x = sampleTensor([2, 3, 2], seed: 5)
    for axes in [nil, [0], [1], [2], [0, 2], [-1, 0]] as [[Int]?] {
        #expect(gradientCheckFailure(inputs: [x]) { $0[0].sum(axes: axes) } == nil, "sum \(String(describing: axes))")
        #expect(gradientCheckFailure(inputs: [x]) { $0[0].mean(axes: axes, keepingDimensions: true) } == nil)
        #expect(gradientCheckFailure(inputs: [x]) { $0[0].max(axes: axes) } == nil, "max \(String(describing: axes))")
        #expect(gradientCheckFailure(inputs: [x]) { $0[0].min(axes: axes) } == nil)
        #expect(gradientCheckFailure(inputs: [x]) { $0[0].variance(axes: axes) } == nil)
        #expect(gradientCheckFailure(inputs: [x]) { $0[0].logSumExp(axes: axes) } == nil)
    }
}

@Test func tiedExtremaShareTheGradient() {
    let x = Tensor([3, 1, 3]).requiringGradient()
    x.max().backward()
    #expect(x.grad?.scalars == [0.5, 0, 0.5])
}

@Test func largeReductionsMatchSequentialSums() {
    // Big enough to take the blocked and multi-threaded paths; integers keep the sums exact.
    let rows = 1024, columns = 1100
    let values = (0..<(rows * columns)).map { Float($0 % 7) }
    let x = Tensor(shape: [rows, columns], values: values)
    #expect(x.sum().item == Float(values.reduce(0, +)))
    let bias = x.sum(axes: [0]).scalars
    #expect(bias[0] == Float((0..<rows).map { values[$0 * columns] }.reduce(0, +)))
    #expect(bias[columns - 1] == Float((0..<rows).map { values[$0 * columns + columns - 1] }.reduce(0, +)))
    let perRow = x.sum(axes: [1]).scalars
    #expect(perRow[rows - 1] == Float(values[((rows - 1) * columns)...].reduce(0, +)))
}

@Test func badAxesTrapNamingTheOp() async {
    await #expect(processExitsWith: .failure) { _ = Tensor.zeros([2, 3]).sum(axes: [2]) }
    await #expect(processExitsWith: .failure) { _ = Tensor.zeros([2, 3]).mean(axes: [0, -2]) }
    await #expect(processExitsWith: .failure) { _ = Tensor.zeros([2, 3]).argmax(axis: 5) }
}

@Test func maxAndMinPropagateNaNLikeTorch() {
    for position in [3, 17] {
        var values = (0..<20).map { Float($0) }
        values[position] = .nan
        let x = Tensor(values)
        #expect(x.max().item.isNaN && x.min().item.isNaN, "NaN at \(position)")
        #expect(Tensor(shape: [2, 10], values: values).max(axes: [0]).scalars.filter(\.isNaN).count == 1)
    }
    // Infinities of both signs are not NaN (the vector path's NaN detector must not misfire).
    var values = (0..<16).map { Float($0) }
    values[2] = .infinity
    values[9] = -.infinity
    let infinities = Tensor(values)
    #expect(infinities.max().item == Float.infinity && infinities.min().item == -Float.infinity)
}

@Test func largeGeneralLayoutReductionsSplitAcrossThreadsCorrectly() {
    // [4, 512, 520] reduced over the middle axis: neither last-axis nor leading-rows layout, and
    // over the parallel threshold, so threads reduce private partial outputs.
    let (outer, middle, inner) = (4, 512, 520)
    let values = (0..<(outer * middle * inner)).map { Float(($0 / inner + $0 % 5) % 9) }
    let x = Tensor(shape: [outer, middle, inner], values: values)
    let sums = x.sum(axes: [1])
    let maxima = x.max(axes: [1])
    for (o, column) in [(0, 0), (1, 7), (3, inner - 1)] {
        let lane = (0..<middle).map { values[(o * middle + $0) * inner + column] }
        #expect(sums[o, column] == lane.reduce(0, +))
        #expect(maxima[o, column] == lane.max()!)
    }
    let positions = x.argmax(axis: 1)
    #expect(positions.shape == [outer, inner])
    let lane = (0..<middle).map { values[(2 * middle + $0) * inner + 3] }
    #expect(positions.indices[2 * inner + 3] == lane.firstIndex(of: lane.max()!)!)
}

@Test func emptyTensorsReduceLikeTorch() {
    let empty = Tensor.zeros([0, 3])
    #expect(empty.sum(axes: [0]).scalars == [0, 0, 0])
    #expect(empty.sum().item == 0)
    #expect(empty.mean().item.isNaN)
    #expect(Tensor.zeros([2, 0]).logSumExp(axes: [1]).scalars == [-.infinity, -.infinity])
    #expect(empty.softmax().shape == [0, 3])
    #expect(Tensor.zeros([2, 0]).softmax(axis: 0).shape == [2, 0])
    #expect((empty + Tensor([1, 2, 3])).shape == [0, 3])
}

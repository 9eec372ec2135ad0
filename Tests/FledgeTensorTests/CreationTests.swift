import FledgeTensor
import Testing

@Test func creationOpsFillTheRequestedShape() {
    #expect(Tensor.zeros([2, 3]).scalars == [Float](repeating: 0, count: 6))
    #expect(Tensor.ones([2]).scalars == [1, 1])
    #expect(Tensor.full([2, 2], value: 7).scalars == [7, 7, 7, 7])
    #expect(Tensor.arange(0, 5).scalars == [0, 1, 2, 3, 4])
    #expect(Tensor.arange(1, 2, step: 0.25).scalars == [1, 1.25, 1.5, 1.75])
    #expect(Tensor(scalar: 3).shape == [])
    #expect(Tensor([[1, 2], [3, 4]])[1, 0] == 3)
}

@Test func shapesBroadcastByNumPyRules() {
    #expect(Shape.broadcast([3, 1, 5], [4, 1]) == [3, 4, 5])
    #expect(Shape.broadcast([2, 3], [3]) == [2, 3])
    #expect(Shape.broadcast([2, 3], [2]) == nil)
    #expect(Shape([2, 3, 4]).strides == [12, 4, 1])
}

@Test func parallelLoopsCoverEveryElementOnce() {
    let count = Threading.parallelThreshold * 2 + 3
    var marks = [UInt8](repeating: 0, count: count)
    marks.withUnsafeMutableBufferPointer { buffer in
        let box = UnsafeMutableBufferPointerBox(buffer)
        Threading.parallelFor(count: count) { range in
            for index in range { box.buffer[index] += 1 }
        }
    }
    #expect(marks.allSatisfy { $0 == 1 })
}

/// Lets the test's parallel chunks write disjoint parts of one buffer.
private struct UnsafeMutableBufferPointerBox: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<UInt8>
    init(_ buffer: UnsafeMutableBufferPointer<UInt8>) { self.buffer = buffer }
}

@Test func creatingATensorWithTooFewValuesTraps() async {
    await #expect(processExitsWith: .failure) {
        _ = Tensor(shape: [2, 3], values: [1, 2, 3])
    }
}

import FledgeDistributed
import FledgeNN
import FledgeTensor
import Testing

@Test func bucketsTakeParametersLastToFirstUpToTheCapacity() {
    // 16-byte buckets hold 4 floats: [3] then [2, 1] ... a parameter above the capacity stays alone.
    let layout = GradientBuckets(parameterCounts: [6, 1, 2, 3], capacityBytes: 16)
    #expect(layout.buckets.map { $0.map(\.parameter) } == [[3], [2, 1], [0]])
    #expect(layout.buckets[1].map(\.offset) == [0, 2])
    #expect(layout.bufferCount(ofBucket: 1) == 3 + 2)
    #expect(layout.bufferCount(ofBucket: 2) == 6 + 1)
}

@Test func packThenUnpackRestoresGradientsAndKeepsAbsentOnesAbsent() {
    let parameters = [Parameter(Tensor([1, 2, 3])), Parameter(Tensor([4, 5])), Parameter(Tensor([6]))]
    parameters[0].value.setGradient(Tensor([0.5, -1, 2]))
    parameters[2].value.setGradient(Tensor([7]))
    let layout = GradientBuckets(parameterCounts: [3, 2, 1], capacityBytes: 1 << 20)
    #expect(layout.buckets.count == 1)
    let buffer = UnsafeMutableBufferPointer<Float>.allocate(capacity: layout.bufferCount(ofBucket: 0))
    defer { buffer.deallocate() }
    layout.pack(parameters, bucket: 0, into: buffer)
    // Layout last-to-first: [6-grad | 4,5-grad | 1,2,3-grad | flags].
    #expect(Array(buffer) == [7, 0, 0, 0.5, -1, 2, 1, 0, 1])
    // A second rank with the same gradients: the sum halved is the mean.
    for index in buffer.indices { buffer[index] *= 2 }
    layout.unpack(buffer, bucket: 0, into: parameters, scale: 0.5)
    #expect(parameters[0].grad?.scalars == [0.5, -1, 2])
    #expect(parameters[1].grad == nil)
    #expect(parameters[2].grad?.scalars == [7])
}

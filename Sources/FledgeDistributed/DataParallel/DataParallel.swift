import FledgeNN
import FledgeTensor
import FledgeTrain

/// Data-parallel training over MPI: the `GradientSynchronizer` the `Trainer` calls.
///
/// ```swift
/// let trainer = try Trainer(config: config)
/// trainer.synchronizer = DataParallel(communicator: .world())   // under `mpirun -np N`
/// try trainer.fit()
/// ```
/// Gradients are averaged with one `MPI_Iallreduce` per bucket of about `bucketCapacityBytes`:
/// the buckets are started one after another as they are packed, so packing bucket k+1 overlaps
/// the reduction of bucket k, and all are awaited before the optimizer step. (Overlap with the
/// backward pass itself would need a per-leaf hook in the autodiff tape, which has none yet.)
public final class DataParallel: GradientSynchronizer {
    /// The job's processes.
    public let communicator: MPICommunicator
    /// The target size of one allreduce buffer.
    public let bucketCapacityBytes: Int
    private var layout: GradientBuckets?
    private var buffers: [UnsafeMutableBufferPointer<Float>] = []

    /// Synchronises over `communicator` in buckets of `bucketCapacityBytes` (default 4 MiB).
    public init(communicator: MPICommunicator, bucketCapacityBytes: Int = 4 << 20) {
        self.communicator = communicator
        self.bucketCapacityBytes = bucketCapacityBytes
    }

    deinit { for buffer in buffers { buffer.deallocate() } }

    public var rank: Int { communicator.rank }
    public var worldSize: Int { communicator.size }

    public func sum(_ values: [Double]) -> [Double] { communicator.allReduce(values, .sum) }

    public func averageGradients(of parameters: [Parameter]) {
        guard worldSize > 1 else { return }
        let layout = prepareLayout(for: parameters)
        var pending: [PendingReduction] = []
        for index in layout.buckets.indices {
            layout.pack(parameters, bucket: index, into: buffers[index])
            pending.append(communicator.startSum(buffers[index]))
        }
        let scale = 1 / Float(worldSize)
        for index in layout.buckets.indices {
            pending[index].wait()
            layout.unpack(buffers[index], bucket: index, into: parameters, scale: scale)
        }
    }

    public func broadcastParameters(_ parameters: [Parameter]) {
        guard worldSize > 1 else { return }
        for parameter in parameters {
            parameter.updateInPlace { communicator.broadcast($0, root: 0) }
        }
    }

    public func anyRank(_ flag: Bool) -> Bool { communicator.anyRank(flag) }

    public func abort(message: String) -> Never { communicator.abort(message: message) }

    /// The bucket layout for these parameters, made (with its buffers) on first use.
    private func prepareLayout(for parameters: [Parameter]) -> GradientBuckets {
        let counts = parameters.map(\.shape.count)
        if let layout, layout.parameterCounts == counts { return layout }
        for buffer in buffers { buffer.deallocate() }
        let layout = GradientBuckets(parameterCounts: counts, capacityBytes: bucketCapacityBytes)
        buffers = layout.buckets.indices.map { .allocate(capacity: layout.bufferCount(ofBucket: $0)) }
        self.layout = layout
        return layout
    }
}

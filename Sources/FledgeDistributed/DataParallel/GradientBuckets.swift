import FledgeNN
import FledgeTensor

/// How the gradients of a model's parameters are packed into flat buffers ("buckets") of about
/// `capacity` bytes, so a few large allreduces replace one small allreduce per parameter.
///
/// Parameters are taken last-to-first (the order backward produces their gradients, as
/// PyTorch's DDP does). Each bucket ends with one presence slot per parameter in it, 1 where this
/// rank has a gradient: after the sum, a parameter whose slot is 0 had no gradient on any rank
/// and keeps none, so the optimizer skips it exactly as one process would.
public struct GradientBuckets: Sendable, Equatable {
    /// One parameter's place in a bucket.
    public struct Slot: Sendable, Equatable {
        /// Index into the parameter list.
        public var parameter: Int
        /// First element of its gradient in the bucket.
        public var offset: Int
        /// Elements of its gradient.
        public var count: Int
    }

    /// Each bucket's slots; a bucket's buffer holds its gradients, then one presence flag per slot.
    public let buckets: [[Slot]]
    /// The element counts the layout was made for (one per parameter).
    public let parameterCounts: [Int]

    /// The layout for parameters of these element counts, buckets of at most `capacityBytes`
    /// (a parameter larger than that gets a bucket of its own).
    public init(parameterCounts: [Int], capacityBytes: Int) {
        let capacity = Swift.max(1, capacityBytes / MemoryLayout<Float>.stride)
        var buckets: [[Slot]] = []
        var current: [Slot] = []
        var filled = 0
        for index in parameterCounts.indices.reversed() {
            let count = parameterCounts[index]
            if !current.isEmpty, filled + count > capacity {
                buckets.append(current)
                current = []
                filled = 0
            }
            current.append(Slot(parameter: index, offset: filled, count: count))
            filled += count
        }
        if !current.isEmpty { buckets.append(current) }
        self.buckets = buckets
        self.parameterCounts = parameterCounts
    }

    /// The buffer length of bucket `index`: its gradients and its presence flags.
    public func bufferCount(ofBucket index: Int) -> Int {
        let slots = buckets[index]
        return (slots.last.map { $0.offset + $0.count } ?? 0) + slots.count
    }

    /// Writes bucket `index` of `parameters`' gradients into `buffer` (zeros where absent).
    public func pack(_ parameters: [Parameter], bucket index: Int, into buffer: UnsafeMutableBufferPointer<Float>) {
        let slots = buckets[index]
        let flags = bufferCount(ofBucket: index) - slots.count
        for (position, slot) in slots.enumerated() {
            let target = buffer.baseAddress! + slot.offset
            if let gradient = parameters[slot.parameter].grad {
                gradient.withUnsafeBufferPointer { target.update(from: $0.baseAddress!, count: slot.count) }
                buffer[flags + position] = 1
            } else {
                target.update(repeating: 0, count: slot.count)
                buffer[flags + position] = 0
            }
        }
    }

    /// Sets each parameter of bucket `index` to the summed gradient in `buffer` times `scale`,
    /// or leaves it without a gradient when no rank had one.
    public func unpack(_ buffer: UnsafeMutableBufferPointer<Float>, bucket index: Int, into parameters: [Parameter], scale: Float) {
        let slots = buckets[index]
        let flags = bufferCount(ofBucket: index) - slots.count
        for (position, slot) in slots.enumerated() {
            let parameter = parameters[slot.parameter]
            guard buffer[flags + position] > 0 else {
                parameter.zeroGradient()
                continue
            }
            var gradient = Tensor(uninitializedShape: parameter.shape)
            gradient.withUnsafeMutableBufferPointer { out in
                let source = buffer.baseAddress! + slot.offset
                for element in 0..<slot.count { out[element] = source[element] * scale }
            }
            parameter.value.setGradient(gradient)
        }
    }
}

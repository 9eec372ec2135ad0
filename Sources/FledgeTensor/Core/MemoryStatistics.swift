import Synchronization

/// Counts the bytes held by tensor storages (Float32 and bf16) while enabled: the live total and
/// its high-water mark. Benchmarks use it to measure what the autodiff tape keeps for backward
/// (activations, weight copies) independently of the allocator and the rest of the process.
///
/// Off by default; when off, allocating a storage pays one relaxed atomic load. Counting is
/// process-wide (storages are shared across tasks), so start and read it around one workload;
/// storages made before `start()` are never counted, not even when freed.
public enum MemoryStatistics {
    private static let enabled = Atomic<Bool>(false)
    private static let live = Atomic<Int>(0)
    private static let peak = Atomic<Int>(0)

    /// Starts counting from zero (storages that already exist are not counted).
    public static func start() {
        live.store(0, ordering: .relaxed)
        peak.store(0, ordering: .relaxed)
        enabled.store(true, ordering: .relaxed)
    }

    /// Stops counting.
    public static func stop() { enabled.store(false, ordering: .relaxed) }

    /// Bytes allocated since `start()` that are still held.
    public static var liveBytes: Int { live.load(ordering: .relaxed) }

    /// The largest `liveBytes` since `start()` or `resetPeak()`.
    public static var peakBytes: Int { peak.load(ordering: .relaxed) }

    /// Restarts the high-water mark at the current live total.
    public static func resetPeak() { peak.store(live.load(ordering: .relaxed), ordering: .relaxed) }

    /// Counts a new storage's bytes; returns whether it was counted, so that its `freed` call
    /// matches (a storage made before `start()` is never subtracted).
    @inline(__always)
    static func allocated(_ bytes: Int) -> Bool {
        guard enabled.load(ordering: .relaxed) else { return false }
        let now = live.add(bytes, ordering: .relaxed).newValue
        peak.max(now, ordering: .relaxed)
        return true
    }

    @inline(__always)
    static func freed(_ bytes: Int) {
        live.subtract(bytes, ordering: .relaxed)
    }
}

import FledgeNN
import FledgeTensor
import Foundation

/// What one training step keeps for its backward pass, counted by the engine
/// (`MemoryStatistics`), plus the process's resident-memory high-water mark.
struct MemoryProbe {
    /// Bytes allocated by the forward pass (and loss) still held when backward starts: the tape's
    /// activations, plus in bf16-mixed the bf16 weight copies made after each optimizer step.
    private(set) var tapeBytes = 0

    /// Measures one forward pass: `body` must compute the loss from an already built batch.
    mutating func measureForward(_ body: () -> Tensor) -> Tensor {
        let before = MemoryStatistics.liveBytes
        let loss = body()
        tapeBytes = Swift.max(tapeBytes, MemoryStatistics.liveBytes - before)
        return loss
    }

    /// The JSON fields describing memory for `model` trained at `precision`.
    func report(model: some Module, precision: Precision) -> [String: Any] {
        let weights = model.namedModules.compactMap { $0.module as? Linear }.map { $0.weight.shape.count }.reduce(0, +)
        // bf16 weight copies are made in the forward pass (tapeBytes counts them); the Float32 tape
        // instead references the Float32 weights themselves.
        let weightCopies = precision == .bfloat16Mixed ? 2 * weights : 0
        let referenced = precision == .float32 ? 4 * weights : 0
        return [
            "tape_bytes": tapeBytes,
            "activation_bytes": tapeBytes - weightCopies,
            "weight_copy_bytes": weightCopies,
            "fp32_weights_on_tape_bytes": referenced,
            "stored_for_backward_bytes": tapeBytes + referenced,
            "peak_tensor_bytes": MemoryStatistics.peakBytes,
            "vm_hwm_kb": Self.residentHighWaterMarkKB() ?? -1,
        ]
    }

    /// `VmHWM` from /proc/self/status (peak resident set size), nil where there is no /proc.
    static func residentHighWaterMarkKB() -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            return Int(line.split(separator: " ", omittingEmptySubsequences: true)[1])
        }
        return nil
    }
}

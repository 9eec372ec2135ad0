import Foundation

/// Saves checkpoints as the config's `training.checkpoint` section says (Lightning's
/// `ModelCheckpoint`, Hugging Face's `save_strategy`).
///
/// Two sets are kept apart: the **best** checkpoints (`best-<step>`, the `saveTopK` best by the
/// monitored value; -1 keeps all) and the **rolling** ones (`checkpoint-<step>`, written every
/// `saveSteps` steps or every `checkpointInterval` epochs; the newest `saveTotalLimit` are kept).
/// With `saveLast` a rolling checkpoint is also written at each epoch end and when training
/// stops, so `--resume last` always has the latest state. Writes happen at batch or epoch end,
/// after every callback has seen the validation, so a checkpoint holds their updated states.
/// Put this callback last.
public final class ModelCheckpoint: Callback {
    /// When checkpoints are written.
    public let strategy: SaveStrategy
    /// Steps between rolling checkpoints (strategy steps).
    public let saveSteps: Int
    /// Best checkpoints kept (-1: all, 0: none).
    public let saveTopK: Int
    /// Rolling checkpoints kept (nil: all).
    public let saveTotalLimit: Int?
    /// Epochs between rolling checkpoints (strategy epoch).
    public let checkpointInterval: Int
    /// Also write a rolling checkpoint at each epoch end and when training stops.
    public let saveLast: Bool
    /// Save model weights only (smaller; not resumable).
    public let weightsOnly: Bool

    /// The best checkpoints kept, best first, with their monitored values.
    public private(set) var best: [(name: String, value: Double)] = []
    /// The rolling checkpoints kept, oldest first.
    public private(set) var rolling: [String] = []
    private var lastSavedStep: Int?
    private var pendingBest: Double?

    /// Creates the callback. `trackBest` keeps the single best checkpoint even when the strategy
    /// is not `best` (for `load_best_model_at_end`).
    public init(strategy: SaveStrategy = .best, saveSteps: Int = 500, saveTopK: Int = 1, saveTotalLimit: Int? = nil,
                checkpointInterval: Int = 1, saveLast: Bool = true, weightsOnly: Bool = false, trackBest: Bool = false) {
        precondition(saveSteps > 0 && checkpointInterval > 0,
                     "ModelCheckpoint: save_steps \(saveSteps) and checkpoint_interval \(checkpointInterval) must be positive")
        self.strategy = strategy
        self.saveSteps = saveSteps
        self.saveTopK = strategy == .best ? saveTopK : (trackBest ? 1 : 0)
        self.saveTotalLimit = saveTotalLimit
        self.checkpointInterval = checkpointInterval
        self.saveLast = saveLast
        self.weightsOnly = weightsOnly
    }

    public func onValidationEnd(_ trainer: Trainer, metrics: [String: Double]) {
        guard let value = metrics[trainer.state.monitor], value.isFinite, saveTopK != 0 else { return }
        let mode = trainer.state.monitorMode
        if saveTopK < 0 || best.count < saveTopK || mode.isImprovement(value, over: best.last?.value) {
            pendingBest = value
        }
    }

    public func onTrainBatchEnd(_ trainer: Trainer) {
        let state = trainer.state
        guard state.optimizerStepped, trainer.canCheckpoint else { return }
        saveBestIfPending(trainer)
        // Training that stops inside an epoch gets its last checkpoint here; at an epoch's last
        // batch the epoch-end hook saves it after the epoch's validation.
        let stoppingInsideEpoch = (state.shouldStop || state.globalStep >= state.maxSteps)
            && state.batchInEpoch < state.batchesPerEpoch
        if (strategy == .steps && state.globalStep % saveSteps == 0) || (saveLast && stoppingInsideEpoch) {
            saveRolling(trainer)
        }
    }

    public func onTrainEpochEnd(_ trainer: Trainer) {
        guard trainer.canCheckpoint else { return }
        saveBestIfPending(trainer)
        if (strategy == .epoch && (trainer.state.epoch + 1) % checkpointInterval == 0) || saveLast {
            saveRolling(trainer)
        }
    }

    private func saveBestIfPending(_ trainer: Trainer) {
        guard let value = pendingBest else { return }
        pendingBest = nil
        let name = "best-\(trainer.state.globalStep)"
        best.removeAll { $0.name == name }
        let mode = trainer.state.monitorMode
        best.append((name, value))
        // Stable: among equal values the earlier checkpoint stays ahead.
        best = best.enumerated().sorted { lhs, rhs in
            if lhs.element.value == rhs.element.value { return lhs.offset < rhs.offset }
            return mode == .min ? lhs.element.value < rhs.element.value : lhs.element.value > rhs.element.value
        }.map(\.element)
        var dropped: [String] = []
        if saveTopK > 0, best.count > saveTopK {
            dropped = best[saveTopK...].map(\.name)
            best.removeLast(best.count - saveTopK)
        }
        let directory = trainer.runDirectory?.checkpointsDirectory
        trainer.state.bestCheckpoint = best.first.flatMap { directory?.appendingPathComponent($0.name).path }
        if best.contains(where: { $0.name == name }) { save(trainer, name: name) }
        remove(dropped.filter { $0 != name }, in: trainer)
    }

    private func saveRolling(_ trainer: Trainer) {
        let name = "checkpoint-\(trainer.state.globalStep)"
        guard !rolling.contains(name) else { return }
        rolling.append(name)
        var dropped: [String] = []
        if let limit = saveTotalLimit, limit >= 0, rolling.count > limit {
            dropped = Array(rolling.prefix(rolling.count - Swift.max(limit, 1)))
            rolling.removeFirst(dropped.count)
        }
        save(trainer, name: name)
        remove(dropped, in: trainer)
    }

    private func save(_ trainer: Trainer, name: String) {
        do {
            try trainer.saveCheckpoint(named: name, weightsOnly: weightsOnly)
            lastSavedStep = trainer.state.globalStep
        } catch {
            // A failed save must not kill a long run; say so and keep training.
            FileHandle.standardError.write(Data("warning: \(error)\n".utf8))
        }
    }

    private func remove(_ names: [String], in trainer: Trainer) {
        guard let directory = trainer.runDirectory?.checkpointsDirectory else { return }
        for name in names { try? FileManager.default.removeItem(at: directory.appendingPathComponent(name)) }
    }

    public var stateKey: String? { "model_checkpoint" }

    public func stateDict() -> [String: CallbackStateValue] {
        var result: [String: CallbackStateValue] = [
            "best": .string(best.map { "\($0.name)=\($0.value)" }.joined(separator: ";")),
            "rolling": .string(rolling.joined(separator: ";")),
        ]
        if let lastSavedStep { result["last_saved_step"] = .number(Double(lastSavedStep)) }
        return result
    }

    public func loadState(_ state: [String: CallbackStateValue]) throws {
        best = (state["best"]?.string ?? "").split(separator: ";").compactMap { item in
            let parts = item.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, let value = Double(parts[1]) else { return nil }
            return (String(parts[0]), value)
        }
        rolling = (state["rolling"]?.string ?? "").split(separator: ";").map(String.init)
        lastSavedStep = state["last_saved_step"]?.number.map { Int($0) }
        pendingBest = nil
    }
}

import FledgeOptim
import FledgeTensor
import Foundation

/// One value a callback keeps in a checkpoint: a number or a string.
public enum CallbackStateValue: Codable, Equatable, Sendable {
    case number(Double)
    case string(String)

    /// The value as a number, or nil for a string.
    public var number: Double? { if case .number(let value) = self { value } else { nil } }
    /// The value as a string, or nil for a number.
    public var string: String? { if case .string(let value) = self { value } else { nil } }

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else {
            self = .string(try container.decode(String.self))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .number(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        }
    }
}

/// The contents of a checkpoint's `trainer_state.json`: everything besides the tensors that a
/// resumed run needs to continue bit for bit.
public struct CheckpointState: Codable, Equatable, Sendable {
    /// The layout version this code writes; readers refuse other versions with a clear message.
    public static let currentFormatVersion = 1

    /// The layout version of the file.
    public var formatVersion: Int = CheckpointState.currentFormatVersion
    /// Optimizer steps taken.
    public var globalStep: Int
    /// The epoch in progress (0-based).
    public var epoch: Int
    /// Batches of `epoch` already consumed; the resumed run starts the data loader here.
    public var batchInEpoch: Int
    /// True once `epoch`'s end-of-epoch work (validation, per-epoch schedule) has been done.
    public var epochFinished: Bool
    /// The scheduler's state, or nil when the run has no scheduler.
    public var scheduler: LRSchedulerState?
    /// Generator states by owner: `dropout:<module path>` for each dropout layer.
    public var generators: [String: SeededGenerator]
    /// The best value of the monitored metric so far.
    public var bestMetric: Double?
    /// The name of the monitored metric (`val_loss`, `val_accuracy`, ...).
    public var monitor: String?
    /// The checkpoint directory holding the best model so far.
    public var bestCheckpoint: String?
    /// Running sums of the epoch's training loss, so the epoch mean survives a resume.
    public var epochLossSum: Double
    /// Batches counted in `epochLossSum`.
    public var epochLossCount: Int
    /// Each stateful callback's state, by its `stateKey`.
    public var callbacks: [String: [String: CallbackStateValue]]
    /// True when only the model weights were saved (no optimizer; not resumable).
    public var weightsOnly: Bool
    /// What the data order depends on (`rows=…, batch_size=…, seed=…, batches=…`); a resumed run
    /// with a different order would not continue the same run, so it is refused.
    public var dataOrder: String?

    /// Creates a state from its parts.
    public init(
        globalStep: Int, epoch: Int, batchInEpoch: Int, epochFinished: Bool = false,
        scheduler: LRSchedulerState? = nil, generators: [String: SeededGenerator] = [:],
        bestMetric: Double? = nil, monitor: String? = nil, bestCheckpoint: String? = nil,
        epochLossSum: Double = 0, epochLossCount: Int = 0,
        callbacks: [String: [String: CallbackStateValue]] = [:], weightsOnly: Bool = false, dataOrder: String? = nil
    ) {
        self.globalStep = globalStep
        self.epoch = epoch
        self.batchInEpoch = batchInEpoch
        self.epochFinished = epochFinished
        self.scheduler = scheduler
        self.generators = generators
        self.bestMetric = bestMetric
        self.monitor = monitor
        self.bestCheckpoint = bestCheckpoint
        self.epochLossSum = epochLossSum
        self.epochLossCount = epochLossCount
        self.callbacks = callbacks
        self.weightsOnly = weightsOnly
        self.dataOrder = dataOrder
    }

    /// JSON with sorted keys; non-finite numbers (a diverged metric) are written as strings.
    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return encoder
    }

    /// The decoder matching `encoder()`.
    static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return decoder
    }
}

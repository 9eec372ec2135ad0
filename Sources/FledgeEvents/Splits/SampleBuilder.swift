import FledgeTensor

/// Samples of one split with their targets, and what was skipped.
public struct LabeledSamples: Sendable {
    /// The split.
    public var split: TargetContext.Split
    /// Entity and split point per sample.
    public var samples: [SplitSample]
    /// The target per sample (empty for prediction).
    public var targets: [Target]
    /// The end of each sample's target window.
    public var targetEnds: [Int64]
    /// Entities with no event before their split point (nothing to predict from).
    public var skippedWithoutHistory = 0
    /// Samples whose target function returned nil.
    public var skippedByTarget = 0
}

/// Draws split points and computes targets: the one place that cuts an entity's events into
/// history `[data_start, split)` and future `[split, target_end)`.
public struct SampleBuilder: Sendable {
    /// The store.
    public let store: EventStore
    /// The split dates.
    public let splits: TemporalSplits
    /// The target function.
    public let target: TargetFunction
    /// The seed of the training split points (entity `e` uses stream `e`, so results do not
    /// depend on the order or number of threads).
    public let seed: UInt64

    /// Creates a builder.
    public init(store: EventStore, splits: TemporalSplits, target: @escaping TargetFunction, seed: UInt64) {
        self.store = store
        self.splits = splits
        self.target = target
        self.seed = seed
    }

    /// The samples of `split`: for training, up to `maximum_splitpoints_per_entity` drawn points per
    /// entity; for validation and test, every entity at the fixed split point.
    /// - Throws: `EventsError.predictionOnly` for train/validation without `validation_start_date`,
    ///   what the target function throws.
    public func samples(_ split: TargetContext.Split) throws -> LabeledSamples {
        var result = LabeledSamples(split: split, samples: [], targets: [], targetEnds: [])
        switch split {
        case .train:
            guard splits.trainingMaxSplit != nil else { throw EventsError.predictionOnly }
            let generator = SeededGenerator(seed: seed)
            for entity in 0..<store.entityCount {
                var random = generator.derived(stream: UInt64(entity))
                let rows = store.offsets[entity]..<store.offsets[entity + 1]
                var candidates = splits.candidateDays(eventTimes: store.timestamps[rows])
                candidates.shuffle(using: &random)
                if candidates.isEmpty { result.skippedWithoutHistory += 1 }
                // `random` tries the first K drawn days; `valid` keeps drawing until K targets exist.
                let tried = splits.strategy == .random ? candidates.prefix(splits.maximumSplitPoints) : candidates[...]
                var kept = 0
                for day in tried where kept < splits.maximumSplitPoints {
                    let end = splits.trainingTargetEnd(split: day)
                    if try label(entity: entity, split: day, targetEnd: end, kind: .train, into: &result) { kept += 1 }
                }
            }
        case .validation, .test:
            guard let (point, end) = splits.window(split) else {
                if split == .validation { throw EventsError.predictionOnly }
                throw EventsError.invalidSetup("data_params.test_start_date is not set; set it to evaluate on a test split")
            }
            for entity in 0..<store.entityCount {
                _ = try label(entity: entity, split: point, targetEnd: end, kind: split, into: &result)
            }
        case .predict:
            throw EventsError.invalidSetup("SampleBuilder.samples(.predict): use predictionSamples(at:)")
        }
        return result
    }

    /// One sample per entity with history in `[dataStart, date)` (no targets), for prediction;
    /// `entities` limits it to some entities.
    public static func predictionSamples(store: EventStore, dataStart: Int64, at date: Int64,
                                         entities: [Int]? = nil) -> LabeledSamples {
        var result = LabeledSamples(split: .predict, samples: [], targets: [], targetEnds: [])
        for entity in entities ?? Array(0..<store.entityCount) {
            if store.firstRow(ofEntity: entity, atOrAfter: dataStart) < store.firstRow(ofEntity: entity, atOrAfter: date) {
                result.samples.append(SplitSample(entity: entity, splitTimestamp: date))
                result.targetEnds.append(date)
            } else {
                result.skippedWithoutHistory += 1
            }
        }
        return result
    }

    /// The history and future of an entity around a split point, exactly as targets and features see them.
    public func windows(entity: Int, split: Int64, targetEnd: Int64) -> (history: Events, future: Events) {
        let all = store.events(ofEntity: entity, splitTimestamp: split)
        return (all.within(from: splits.dataStart, until: split), all.within(from: split, until: targetEnd))
    }

    /// Computes one target; appends the sample when it has history and a target. Returns whether it did.
    private func label(entity: Int, split point: Int64, targetEnd: Int64, kind: TargetContext.Split,
                       into result: inout LabeledSamples) throws -> Bool {
        let (history, future) = windows(entity: entity, split: point, targetEnd: targetEnd)
        guard !history.isEmpty else {
            if kind != .train { result.skippedWithoutHistory += 1 }
            return false
        }
        let context = TargetContext(split: kind, splitTimestamp: point, targetEnd: targetEnd,
                                    entityID: store.entityIDs[entity], entity: entity)
        guard let value = try target(history, future, Attributes(store: store, entity: entity), context) else {
            result.skippedByTarget += 1
            return false
        }
        result.samples.append(SplitSample(entity: entity, splitTimestamp: point))
        result.targets.append(value)
        result.targetEnds.append(targetEnd)
        return true
    }
}

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
    /// Entities left out of training by `training_entity_fraction`.
    public var leftOutByFraction = 0
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
                guard Self.keepsTrainingEntity(store.entityIDs[entity], fraction: splits.trainingEntityFraction, seed: seed) else {
                    result.leftOutByFraction += 1
                    continue
                }
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

    /// Whether the entity `id` keeps its training samples under `training_entity_fraction`: a
    /// stable hash (FNV-1a of the seed and the id's UTF-8 bytes, then a SplitMix64 finaliser)
    /// mapped to [0, 1) falls below `fraction`. Depends on nothing but the id and the seed, so
    /// every run, model and tool with the same seed keeps the same entities, and a smaller
    /// fraction keeps a subset of a larger one's.
    public static func keepsTrainingEntity(_ id: String, fraction: Double, seed: UInt64) -> Bool {
        guard fraction < 1 else { return true }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for shift in stride(from: 0, to: 64, by: 8) { hash = (hash ^ ((seed >> UInt64(shift)) & 0xff)) &* 0x100_0000_01b3 }
        for byte in id.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        hash = (hash ^ (hash >> 30)) &* 0xbf58_476d_1ce4_e5b9
        hash = (hash ^ (hash >> 27)) &* 0x94d0_49bb_1331_11eb
        hash ^= hash >> 31
        return Double(hash >> 11) / Double(UInt64(1) << 53) < fraction
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

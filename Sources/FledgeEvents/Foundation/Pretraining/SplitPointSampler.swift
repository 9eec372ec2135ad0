import FledgeTensor

/// The samples of one pretraining epoch (or of validation): entity and split point, and the end
/// of each sample's target window, with what was left out.
public struct PretrainingSamples: Sendable, Equatable {
    /// Entity and split point per sample, in entity then time order.
    public var samples: [SplitSample]
    /// The end of each sample's target window (exclusive).
    public var targetEnds: [Int64]
    /// Entities with no usable gap (too few events before training_max_split_date, or no item
    /// event within the window after any gap); for validation: entities without history.
    public var entitiesWithoutSamples = 0
    /// Gaps (or validation windows) skipped because no item event follows within the window.
    public var skippedWithoutItems = 0
}

/// Draws the split points of self-supervised pretraining: every gap between two consecutive
/// events of an entity is a candidate; each epoch takes up to `maximum_splitpoints_per_entity`
/// of them per entity, and a split time uniformly inside each chosen gap.
///
/// With events at t_i < t_(i+1), the split point s falls in (t_i, min(t_(i+1), training_max_split)],
/// so the history `[data_start, s)` ends with event i and the target window `[s, s + N days)`
/// starts with event i + 1; since s ≤ training_max_split_date = validation_start_date − 1 day − N,
/// every target window ends before validation starts (`TemporalSplits`). A gap is a candidate
/// only when an item event follows within N days of t_i, so every split time inside it has a
/// non-empty target sketch; gaps without one are counted in `skippedWithoutItems`. The candidates
/// of an entity do not depend on the epoch, so every epoch has the same number of samples.
/// Draws are seeded per (seed, epoch, entity): the same on any number of threads.
public struct SplitPointSampler: Sendable {
    /// The store.
    public let store: EventStore
    /// The dates (data start, training max split, validation window, N).
    public let splits: TemporalSplits
    /// The seed of the draws.
    public let seed: UInt64
    /// Per entity, the candidate gaps: the row of the event before the gap.
    private let candidates: [[Int]]
    /// Per entity: gaps left out for want of an item event in the window.
    private let skippedGaps: Int
    /// Whether each row is an item event (an item the representation knows).
    private let isItemEvent: [Bool]

    /// Finds the candidate gaps of every entity; `isItemEvent[row]` says whether a row is an item
    /// event (see `BehaviouralRepresentation`).
    /// - Throws: `EventsError.predictionOnly` without validation_start_date.
    public init(store: EventStore, splits: TemporalSplits, isItemEvent: [Bool], seed: UInt64) throws {
        precondition(isItemEvent.count == store.eventCount, "SplitPointSampler: one isItemEvent flag per event")
        guard let maxSplit = splits.trainingMaxSplit else { throw EventsError.predictionOnly }
        self.store = store
        self.splits = splits
        self.seed = seed
        self.isItemEvent = isItemEvent
        let times = store.timestamps
        var candidates: [[Int]] = []
        candidates.reserveCapacity(store.entityCount)
        var skipped = 0
        for entity in 0..<store.entityCount {
            let first = store.firstRow(ofEntity: entity, atOrAfter: splits.dataStart)
            let end = store.offsets[entity + 1]
            var gaps: [Int] = []
            // Walking backwards keeps the time of the next item event at or after each row.
            var nextItemTime = Int64.max
            var row = end - 1
            while row >= first {
                if row + 1 < end, times[row] < times[row + 1], times[row] < maxSplit {
                    if nextItemTime != Int64.max && nextItemTime - times[row] <= splits.horizon {
                        gaps.append(row)
                    } else {
                        skipped += 1
                    }
                }
                if isItemEvent[row] { nextItemTime = times[row] }
                row -= 1
            }
            candidates.append(gaps.reversed())
        }
        self.candidates = candidates
        skippedGaps = skipped
    }

    /// How many candidate gaps entity `entity` has.
    public func candidateCount(ofEntity entity: Int) -> Int { candidates[entity].count }

    /// The number of samples of every training epoch.
    public var samplesPerEpoch: Int { candidates.reduce(0) { $0 + min($1.count, splits.maximumSplitPoints) } }

    /// The training samples of `epoch` (0-based): up to `maximum_splitpoints_per_entity` gaps per
    /// entity drawn without replacement, a uniform split time inside each.
    public func trainingSamples(epoch: Int) -> PretrainingSamples {
        var result = PretrainingSamples(samples: [], targetEnds: [], skippedWithoutItems: skippedGaps)
        let maxSplit = splits.trainingMaxSplit!
        let epochGenerator = SeededGenerator(seed: seed).derived(stream: UInt64(epoch))
        let times = store.timestamps
        for entity in 0..<store.entityCount {
            let gaps = candidates[entity]
            guard !gaps.isEmpty else {
                result.entitiesWithoutSamples += 1
                continue
            }
            var random = epochGenerator.derived(stream: UInt64(entity))
            var chosen = gaps
            if chosen.count > splits.maximumSplitPoints {
                chosen.shuffle(using: &random)
                chosen = Array(chosen.prefix(splits.maximumSplitPoints)).sorted()
            }
            for row in chosen {
                let low = times[row] + 1, high = min(times[row + 1], maxSplit)
                let split = Int64.random(in: low...high, using: &random)
                result.samples.append(SplitSample(entity: entity, splitTimestamp: split))
                result.targetEnds.append(splits.trainingTargetEnd(split: split))
            }
        }
        return result
    }

    /// The validation samples: every entity with history before validation_start_date and an item
    /// event in `[validation_start, + N days)`.
    public func validationSamples() -> PretrainingSamples {
        let (point, end) = splits.window(.validation)!
        let withHistory = SampleBuilder.predictionSamples(store: store, dataStart: splits.dataStart, at: point)
        var result = PretrainingSamples(samples: [], targetEnds: [], entitiesWithoutSamples: withHistory.skippedWithoutHistory)
        for sample in withHistory.samples {
            let rows = store.firstRow(ofEntity: sample.entity, atOrAfter: point)..<store.firstRow(ofEntity: sample.entity, atOrAfter: end)
            if rows.contains(where: { isItemEvent[$0] }) {
                result.samples.append(sample)
                result.targetEnds.append(end)
            } else {
                result.skippedWithoutItems += 1
            }
        }
        return result
    }
}

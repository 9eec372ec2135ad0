import FledgeTensor

/// The temporal split of the seed, resolved to timestamps, and the split points of each split.
///
/// With N = `check_target_for_next_N_days` (all windows are half-open, `[start, end)`):
/// - training split points t are drawn per entity between `data_start_date` and
///   `training_max_split_date` = `validation_start_date` − 1 day − N days (recommendation:
///   `validation_start_date`, with the target window cut at `validation_start_date`), up to
///   `maximum_splitpoints_per_entity`; input = history `[data_start, t)`, target `[t, t + N)`;
/// - validation: input `[data_start, validation_start)`, target `[validation_start, + N)`;
/// - test: input `[data_start, test_start)`, target `[test_start, test_end_date or + N)`;
/// - prediction at a date D: input `[data_start, D)`, no target.
/// So every training target window ends before validation starts, and no split's input
/// window contains its own target events. Split points fall on midnight UTC.
public struct TemporalSplits: Sendable, Equatable {
    /// The first day of history.
    public let dataStart: Int64
    /// The validation split point (nil: prediction only).
    public let validationStart: Int64?
    /// The test split point.
    public let testStart: Int64?
    /// The end of the test target window.
    public let testEnd: Int64?
    /// The target window length in seconds.
    public let horizon: Int64
    /// The most training split points per entity.
    public let maximumSplitPoints: Int
    /// How training split points are drawn.
    public let strategy: SamplingStrategy
    /// Whether the task is recommendation (which moves `trainingMaxSplit`).
    public let isRecommendation: Bool
    /// The share of entities whose training samples are kept (`training_entity_fraction`).
    public let trainingEntityFraction: Double

    static let day: Int64 = 86_400

    /// Resolves the dates of `params`; `firstEvent` stands in for a missing `data_start_date`.
    /// - Throws: `ConfigError`-style `EventsError.invalidSetup` naming the keys when dates are
    ///   missing, unparseable or in the wrong order.
    public init(params: EventDataParams, isRecommendation: Bool, firstEvent: Int64?) throws {
        let parser = try TimestampParser(format: "iso8601")
        func date(_ text: String?, _ key: String) throws -> Int64? {
            guard let text else { return nil }
            guard let value = parser.parse(text) else {
                throw EventsError.invalidSetup("data_params.\(key): '\(text)' is not a date; write it as 2024-05-01")
            }
            return value
        }
        guard params.checkTargetForNextNDays >= 1 else {
            throw EventsError.invalidSetup("data_params.check_target_for_next_N_days is \(params.checkTargetForNextNDays); it must be at least 1")
        }
        guard params.maximumSplitpointsPerEntity >= 1 else {
            throw EventsError.invalidSetup("data_params.maximum_splitpoints_per_entity is \(params.maximumSplitpointsPerEntity); it must be at least 1")
        }
        let validation = try date(params.validationStartDate, "validation_start_date")
        let test = try date(params.testStartDate, "test_start_date")
        let testEnd = try date(params.testEndDate, "test_end_date")
        guard validation != nil || test != nil else {
            throw EventsError.invalidSetup("data_params: set validation_start_date (to train) or test_start_date (at least one is required)")
        }
        let start = try date(params.dataStartDate, "data_start_date") ?? firstEvent.map { $0 - ($0 % Self.day + Self.day) % Self.day } ?? 0
        horizon = Int64(params.checkTargetForNextNDays) * Self.day
        func order(_ earlier: Int64?, _ later: Int64?, _ first: String, _ second: String, _ gap: Int64 = 1) throws {
            guard let earlier, let later, later < earlier + gap else { return }
            let needed = gap > 1 ? " + check_target_for_next_N_days (\(params.checkTargetForNextNDays))" : ""
            throw EventsError.invalidSetup("data_params: \(second) (\(TimestampParser.dayText(later))) must be after \(first) (\(TimestampParser.dayText(earlier)))\(needed); dates must be in the order data_start_date < validation_start_date < test_start_date < test_end_date")
        }
        try order(start, validation, "data_start_date", "validation_start_date")
        try order(start, test, "data_start_date", "test_start_date")
        try order(validation, test, "validation_start_date", "test_start_date", horizon)
        try order(test, testEnd, "test_start_date", "test_end_date")
        if testEnd != nil && test == nil {
            throw EventsError.invalidSetup("data_params.test_end_date is set without test_start_date; set both or neither")
        }
        dataStart = start
        validationStart = validation
        testStart = test
        self.testEnd = testEnd
        maximumSplitPoints = params.maximumSplitpointsPerEntity
        strategy = params.targetSamplingStrategy
        self.isRecommendation = isRecommendation
        trainingEntityFraction = params.trainingEntityFraction
        if let trainingMax = trainingMaxSplit, trainingMax <= dataStart {
            throw EventsError.invalidSetup("data_params: training_max_split_date = validation_start_date - 1 day - check_target_for_next_N_days is \(TimestampParser.dayText(trainingMax)), not after data_start_date \(TimestampParser.dayText(dataStart)); move validation_start_date later or shorten check_target_for_next_N_days")
        }
    }

    /// The latest training split point, or nil without validation (prediction only).
    public var trainingMaxSplit: Int64? {
        guard let validationStart else { return nil }
        return isRecommendation ? validationStart : validationStart - Self.day - horizon
    }

    /// The target window of a training split point at `split`.
    public func trainingTargetEnd(split: Int64) -> Int64 {
        let end = split + horizon
        if isRecommendation, let validationStart { return min(end, validationStart) }
        return end
    }

    /// The fixed split point and target end of the validation or test split (nil when not configured).
    public func window(_ split: TargetContext.Split) -> (split: Int64, targetEnd: Int64)? {
        switch split {
        case .validation: return validationStart.map { ($0, $0 + horizon) }
        case .test: return testStart.map { ($0, testEnd ?? $0 + horizon) }
        case .train, .predict: return nil
        }
    }

    /// Candidate training split days for an entity whose first and last events are at `first` /
    /// `last`: midnights after the first event, up to `trainingMaxSplit`. `valid` keeps only the
    /// midnights that follow an event day (so the history just changed).
    func candidateDays(eventTimes: ArraySlice<Int64>) -> [Int64] {
        guard let maxSplit = trainingMaxSplit, let first = eventTimes.first else { return [] }
        let low = Self.midnightAfter(max(first, dataStart - 1))
        let high = maxSplit - ((maxSplit % Self.day) + Self.day) % Self.day
        guard low <= high else { return [] }
        switch strategy {
        case .random:
            return Array(stride(from: low, through: high, by: Int(Self.day)))
        case .valid:
            var days: [Int64] = []
            for time in eventTimes {
                let day = Self.midnightAfter(time)
                if day > high { break }
                if day >= low && days.last != day { days.append(day) }
            }
            return days
        }
    }

    /// The first midnight strictly after `time`.
    static func midnightAfter(_ time: Int64) -> Int64 {
        time - ((time % day) + day) % day + day
    }
}

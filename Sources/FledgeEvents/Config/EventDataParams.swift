import FledgeTrain

/// `data_params:` — the temporal split and the features, with the seed's names.
///
/// ```yaml
/// data_params:
///   data_start_date: 2024-01-01
///   validation_start_date: 2024-05-01
///   test_start_date: 2024-06-01
///   check_target_for_next_N_days: 30
///   maximum_splitpoints_per_entity: 5
///   target_sampling_strategy: random     # or valid
///   timebased_encoding: fourier          # or two_hot, none
///   use_recency_sketches: true
/// ```
/// Dates are ISO 8601 (`2024-05-01`, midnight UTC). See `TemporalSplits` for what each split sees.
public struct EventDataParams: ConfigSection {
    /// Events before this date are dropped (and counted); history starts here. Default: the first event.
    public var dataStartDate: String?
    /// The validation split point; required to train (without it only prediction is possible).
    public var validationStartDate: String?
    /// The test split point.
    public var testStartDate: String?
    /// The end of the test target window (exclusive); default test_start_date + N days.
    public var testEndDate: String?
    /// The target window length N in days. Default 30.
    public var checkTargetForNextNDays = 30
    /// How many training split points are drawn per entity. Default 5.
    public var maximumSplitpointsPerEntity = 5
    /// `random`: split days drawn uniformly; `valid`: drawn among days that follow an event of the
    /// entity, keeping only those whose target is not nil. Default `random`.
    public var targetSamplingStrategy: SamplingStrategy = .random
    /// How the split date is encoded: `fourier`, `two_hot` or `none`. Default `fourier`.
    public var timebasedEncoding: TimeEncoding = .fourier
    /// Adds exponentially time-decayed sketches of item ids (several decay rates). Default `false`.
    public var useRecencySketches = false
    /// The history windows (days) counts and sums are taken over; the whole history is always added. Default `[7, 30, 90]`.
    public var windowDays: [Int] = [7, 30, 90]
    /// Buckets of each hashed id sketch. Default 32.
    public var sketchWidth = 32
    /// Half-lives in days of the recency sketches. Default `[7, 30]`.
    public var recencyHalfLivesDays: [Double] = [7, 30]
    /// Text columns with at most this many values are categorical, more make ids. Default 64.
    public var maxCategories = 64
    /// Clips every feature to the range it had on the training samples before standardising, so a
    /// value training never saw (a split date later in the year, a longer history) is not
    /// extrapolated by the network. Default `true`.
    public var clipFeaturesToTrainingRange = true
    /// How features become network inputs: `standard` (standardised, clipped per
    /// `clip_features_to_training_range`) or `piecewise_linear` (one input per bin between training
    /// quantiles, `FeatureScaler`). Default `standard`.
    public var numericEncoding: NumericEncoding = .standard
    /// Quantile bins per feature of the `piecewise_linear` encoding (at least 2). Default 16.
    public var piecewiseLinearBins = 16
    /// Why a foundation model's config (pretraining, fine-tuning) refuses `numeric_encoding` other
    /// than `standard`: its inputs keep the standardisation fitted at pretraining.
    static let foundationEncodingMessage = "must be standard for a foundation model (its inputs keep the standardisation fitted at pretraining; piecewise_linear is for fledge train's feature network); remove the key"
    /// The share of entities whose training samples are kept, in (0, 1]: an entity is kept when a
    /// stable hash of its id and `experiment.seed` falls below it, so the same seed keeps the same
    /// entities in every run and every model (fine-tuned, from scratch, LightGBM). Validation and
    /// test are untouched. Default 1.0 (all).
    public var trainingEntityFraction = 1.0
    /// Adds, for a recommendation task, each scored item's count among the history's counted events
    /// (plain and decayed at `recency_half_lives_days` when `use_recency_sketches` is on):
    /// `FeatureLayout.ItemHistory`. Null (default): on when the task scores at most
    /// `itemHistoryAutomaticLimit` (1,000) items, since the features grow with the item count.
    public var itemHistoryFeatures: Bool?
    /// Up to this many scored items, `item_history_features` is on by default.
    public static let itemHistoryAutomaticLimit = 1_000
    /// Adds to each item's score a term shared by all items: learned weights on that item's
    /// history features (its count in the entity's history, plain and decayed), so what the network
    /// learns about repeat purchases holds for every item (`ItemHistoryNetwork`). A recommendation
    /// task with item history features and `numeric_encoding: standard` only. Default `false`.
    public var itemHistoryTerm = false
    /// Splits every PostgreSQL source's query into this many chunks, replacing the sources'
    /// `num_query_chunks`. Default null (each source's own).
    public var numQueryChunks: Int?
    /// The pretrained foundation checkpoint whose features fine-tuning uses (what `fledge finetune
    /// --foundation` gives; the flag wins). Other commands ignore it. Default null.
    public var featuresPath: String?

    /// Parameters with every default (no dates).
    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case dataStartDate = "data_start_date"
        case validationStartDate = "validation_start_date"
        case testStartDate = "test_start_date"
        case testEndDate = "test_end_date"
        case checkTargetForNextNDays = "check_target_for_next_N_days"
        case maximumSplitpointsPerEntity = "maximum_splitpoints_per_entity"
        case targetSamplingStrategy = "target_sampling_strategy"
        case timebasedEncoding = "timebased_encoding"
        case useRecencySketches = "use_recency_sketches"
        case windowDays = "window_days"
        case sketchWidth = "sketch_width"
        case recencyHalfLivesDays = "recency_half_lives_days"
        case maxCategories = "max_categories"
        case clipFeaturesToTrainingRange = "clip_features_to_training_range"
        case numericEncoding = "numeric_encoding"
        case piecewiseLinearBins = "piecewise_linear_bins"
        case trainingEntityFraction = "training_entity_fraction"
        case numQueryChunks = "num_query_chunks"
        case itemHistoryFeatures = "item_history_features"
        case itemHistoryTerm = "item_history_term"
        case featuresPath = "features_path"
    }

    public static let keyNames = CodingKeys.allCases.map(\.stringValue)

    public init(from decoder: Decoder) throws {
        try decoder.checkKeys(of: Self.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init()
        dataStartDate = try Self.date(c, .dataStartDate)
        validationStartDate = try Self.date(c, .validationStartDate)
        testStartDate = try Self.date(c, .testStartDate)
        testEndDate = try Self.date(c, .testEndDate)
        checkTargetForNextNDays = try c.value(.checkTargetForNextNDays, or: checkTargetForNextNDays)
        maximumSplitpointsPerEntity = try c.value(.maximumSplitpointsPerEntity, or: maximumSplitpointsPerEntity)
        targetSamplingStrategy = try c.value(.targetSamplingStrategy, or: targetSamplingStrategy)
        timebasedEncoding = try c.value(.timebasedEncoding, or: timebasedEncoding)
        useRecencySketches = try c.value(.useRecencySketches, or: useRecencySketches)
        windowDays = try c.value(.windowDays, or: windowDays)
        sketchWidth = try c.value(.sketchWidth, or: sketchWidth)
        recencyHalfLivesDays = try c.value(.recencyHalfLivesDays, or: recencyHalfLivesDays)
        maxCategories = try c.value(.maxCategories, or: maxCategories)
        clipFeaturesToTrainingRange = try c.value(.clipFeaturesToTrainingRange, or: clipFeaturesToTrainingRange)
        numericEncoding = try c.value(.numericEncoding, or: numericEncoding)
        piecewiseLinearBins = try c.value(.piecewiseLinearBins, or: piecewiseLinearBins)
        guard piecewiseLinearBins >= 2 else {
            throw ConfigIssue.invalidValue(at: c.codingPath + [CodingKeys.piecewiseLinearBins],
                                           "must be at least 2, got \(piecewiseLinearBins); 16 is a good start (numeric_encoding: piecewise_linear uses it)")
        }
        trainingEntityFraction = try c.value(.trainingEntityFraction, or: trainingEntityFraction)
        guard trainingEntityFraction > 0 && trainingEntityFraction <= 1 else {
            throw ConfigIssue.invalidValue(at: c.codingPath + [CodingKeys.trainingEntityFraction],
                                           "\(trainingEntityFraction) is not in (0, 1]; write e.g. 0.1 to keep a tenth of the training entities")
        }
        numQueryChunks = try c.decodeIfPresent(Int.self, forKey: .numQueryChunks)
        if let numQueryChunks, numQueryChunks < 1 {
            throw ConfigIssue.invalidValue(at: c.codingPath + [CodingKeys.numQueryChunks], "must be at least 1, got \(numQueryChunks)")
        }
        itemHistoryFeatures = try c.decodeIfPresent(Bool.self, forKey: .itemHistoryFeatures)
        itemHistoryTerm = try c.value(.itemHistoryTerm, or: itemHistoryTerm)
        featuresPath = try c.decodeIfPresent(String.self, forKey: .featuresPath)
    }

    /// Throws, naming the key under `path` (the `data_params` section), when a setting only `fledge
    /// train`'s feature network has is set: a foundation model's inputs keep the standardisation
    /// fitted at pretraining, and its network is the pretrained one.
    func checkUsableByFoundationModel(at path: [any CodingKey]) throws {
        guard numericEncoding == .standard else {
            throw ConfigIssue.invalidValue(at: path + [CodingKeys.numericEncoding], Self.foundationEncodingMessage)
        }
        guard !itemHistoryTerm else {
            throw ConfigIssue.invalidValue(at: path + [CodingKeys.itemHistoryTerm],
                                           "is for fledge train's feature network, not a foundation model (its network is the pretrained one); remove the key")
        }
    }

    /// A date key read as text (YAML may hand a date as a timestamp-looking string), checked to parse.
    private static func date(_ c: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys) throws -> String? {
        guard let text = try c.decodeIfPresent(String.self, forKey: key) else { return nil }
        guard (try TimestampParser(format: "iso8601")).parse(text) != nil else {
            throw ConfigIssue.invalidValue(at: c.codingPath + [key], "'\(text)' is not a date; write it as 2024-05-01 (ISO 8601)")
        }
        return text
    }
}

/// How training split points are drawn.
public enum SamplingStrategy: String, ConfigOption {
    /// Uniformly over the allowed days.
    case random
    /// Among days that follow one of the entity's events, keeping those with a non-nil target.
    case valid
}

/// How features become network inputs (`FeatureScaler`).
public enum NumericEncoding: String, ConfigOption {
    /// Standardised with the training mean and deviation.
    case standard
    /// One input per bin between training quantiles: 0 below, 1 above, linear inside.
    case piecewiseLinear = "piecewise_linear"
}

/// How the split date becomes features.
public enum TimeEncoding: String, ConfigOption {
    /// sin/cos of the day of week and of the day of year.
    case fourier
    /// The day of week and the month as two-hot vectors (weights on the two nearest bins).
    case twoHot = "two_hot"
    /// No time features.
    case none
}

/// Which features an events model computes, with the vocabularies they depend on, by value (not
/// by store code) so a saved model computes the same columns on new data.
///
/// Built from a store and `data_params` with `FeatureLayout(store:params:)`; saved with the model
/// as JSON. See `FeatureExtractor` for the values.
public struct FeatureLayout: Codable, Sendable, Equatable {
    /// History windows in days (the whole history is always added).
    public var windowDays: [Int]
    /// Decimal event columns summed per window.
    public var decimalColumns: [String]
    /// Categorical event columns and their values (one count and one recency per value).
    public var categoricalColumns: [NamedVocabulary]
    /// Id event columns hashed into sketches.
    public var idColumns: [String]
    /// Buckets per id sketch.
    public var sketchWidth: Int
    /// Half-lives (days) of the time-decayed sketches; empty when `use_recency_sketches` is off.
    public var recencyHalfLives: [Double]
    /// How the split date is encoded.
    public var timeEncoding: TimeEncoding
    /// Decimal entity attributes (normalised with the store's statistics).
    public var attributeDecimals: [NamedNormalization]
    /// Categorical entity attributes (one-hot).
    public var attributeCategoricals: [NamedVocabulary]
    /// Timestamp entity attributes (as log days before the split point).
    public var attributeTimestamps: [String]

    /// A column name with its values, in feature order.
    public struct NamedVocabulary: Codable, Sendable, Equatable {
        public var name: String
        public var values: [String]
    }

    /// A column name with its normalisation.
    public struct NamedNormalization: Codable, Sendable, Equatable {
        public var name: String
        public var normalization: Normalization
    }

    /// The layout for a store's columns under `params`.
    public init(store: EventStore, params: EventDataParams) {
        windowDays = params.windowDays
        decimalColumns = []
        categoricalColumns = []
        idColumns = []
        for column in store.columns {
            switch column.values {
            case .decimal: decimalColumns.append(column.name)
            case .categorical(_, let vocabulary): categoricalColumns.append(NamedVocabulary(name: column.name, values: vocabulary))
            case .id: idColumns.append(column.name)
            case .timestamp: break
            }
        }
        sketchWidth = params.sketchWidth
        recencyHalfLives = params.useRecencySketches ? params.recencyHalfLivesDays : []
        timeEncoding = params.timebasedEncoding
        attributeDecimals = []
        attributeCategoricals = []
        attributeTimestamps = []
        for column in store.attributes?.columns ?? [] {
            switch column.values {
            case .decimal(_, let normalization):
                attributeDecimals.append(NamedNormalization(name: column.name, normalization: normalization))
            case .categorical(_, let vocabulary): attributeCategoricals.append(NamedVocabulary(name: column.name, values: vocabulary))
            case .timestamp: attributeTimestamps.append(column.name)
            case .id: break
            }
        }
    }

    /// Every feature's name, in column order.
    public var names: [String] {
        var names: [String] = []
        let windows = windowDays.map { "\($0)d" } + ["all"]
        for window in windows { names.append("count_\(window)") }
        for column in decimalColumns { for window in windows { names.append("sum_\(column)_\(window)") } }
        names += ["recency_days", "tenure_days"]
        let recent = windowDays.dropFirst().first ?? windowDays.first ?? 30
        for column in categoricalColumns {
            for value in column.values {
                names += ["count_\(column.name)=\(value)_all", "count_\(column.name)=\(value)_\(recent)d",
                          "recency_\(column.name)=\(value)"]
                for halfLife in recencyHalfLives { names.append("decayed_\(column.name)=\(value)_h\(Self.text(halfLife))") }
            }
        }
        for column in idColumns {
            for bucket in 0..<sketchWidth { names.append("sketch_\(column)_\(bucket)") }
            for halfLife in recencyHalfLives {
                for bucket in 0..<sketchWidth { names.append("decayed_sketch_\(column)_\(bucket)_h\(Self.text(halfLife))") }
            }
        }
        switch timeEncoding {
        case .fourier: names += ["dow_sin", "dow_cos", "doy_sin", "doy_cos", "dom_sin", "dom_cos"]
        case .twoHot: names += (0..<7).map { "dow_\($0)" } + (1...12).map { "month_\($0)" }
        case .none: break
        }
        for column in attributeDecimals { names += ["attr_\(column.name)", "attr_\(column.name)_missing"] }
        for column in attributeCategoricals { names += column.values.map { "attr_\(column.name)=\($0)" } }
        for column in attributeTimestamps { names.append("attr_\(column)_days_before") }
        return names
    }

    /// The number of features.
    public var count: Int { names.count }

    private static func text(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}

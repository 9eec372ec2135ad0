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
    /// Exact per-item history counts in a recommendation task's item space (nil: none; see
    /// `ItemHistory` and `withItemHistory(of:params:)`).
    public var itemHistory: ItemHistory?

    /// For each item a recommendation task scores: how often the entity's history has it among
    /// the task's counted events (e.g. purchases), as `log(1 + count)`, and the same count decayed
    /// at each of `recencyHalfLives`. The hashed id sketches mix many items in one bucket (480
    /// products in 32 buckets on the generator's shop); these say exactly which items an entity
    /// took and how recently, which repeat purchases and personal tastes need.
    public struct ItemHistory: Codable, Sendable, Equatable {
        /// The event column holding item ids.
        public var column: String
        /// The items, in the task's output order.
        public var items: [String]
        /// When set with `events`, only events whose value in this column is one of `events` count.
        public var eventColumn: String?
        /// The counted event kinds (nil or empty: every event).
        public var events: [String]?

        /// A description of per-item history features.
        public init(column: String, items: [String], eventColumn: String? = nil, events: [String]? = nil) {
            self.column = column
            self.items = items
            self.eventColumn = eventColumn
            self.events = events
        }
    }

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

    /// This layout with the item history features of `task` when `params.itemHistoryFeatures` asks
    /// for them (default: for recommendation tasks scoring at most
    /// `EventDataParams.itemHistoryAutomaticLimit` items); otherwise unchanged.
    public func withItemHistory(of task: any EventTask, params: EventDataParams) -> FeatureLayout {
        guard let recommendation = task as? RecommendationTask,
              params.itemHistoryFeatures ?? (recommendation.outputNames.count <= EventDataParams.itemHistoryAutomaticLimit)
        else { return self }
        var layout = self
        layout.itemHistory = ItemHistory(column: recommendation.itemColumn, items: recommendation.outputNames,
                                         eventColumn: recommendation.countedEventColumn, events: recommendation.countedEvents)
        return layout
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
        if let itemHistory {
            names += itemHistory.items.map { "item_\(itemHistory.column)=\($0)_all" }
            for halfLife in recencyHalfLives {
                names += itemHistory.items.map { "decayed_item_\(itemHistory.column)=\($0)_h\(Self.text(halfLife))" }
            }
        }
        return names
    }

    /// The number of features.
    public var count: Int { names.count }

    /// The item history features' blocks of one feature per item (the count, then one per recency
    /// half-life); they are the layout's last `items × blocks` features, block-major (`names`).
    /// 0 without item history.
    public var itemHistoryBlocks: Int { itemHistory == nil ? 0 : 1 + recencyHalfLives.count }

    private static func text(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}

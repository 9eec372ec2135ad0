import FledgeTrain

/// `target:` — a declarative target for CLI users (Swift users pass a `TargetFunction`).
///
/// ```yaml
/// target:
///   type: churn                 # churn | propensity | favourite_category | spend | next_items
///   event_column: event         # the column naming what kind of event a row is
///   events: [purchase]          # the kinds that count (default: every event)
/// ```
/// - `churn` (binary): no counted event in the target window;
/// - `propensity` (multilabel): for each of `categories` (values of `category_column`), whether a
///   counted event of it happens;
/// - `favourite_category` (multiclass): the most frequent `category_column` value among the
///   counted events (entities without any are skipped);
/// - `spend` (regression): the sum of `value_column` over the counted events, or their number
///   without `value_column`; `log_target: true` predicts `log(1 + x)`;
/// - `next_items` (recommendation): the `item_column` values of the counted events, scored over
///   `targets_to_include` (default: every item seen), `top_k` in predictions.
public struct TargetConfig: ConfigSection {
    /// Which target.
    public var type: DeclarativeTarget.Kind = .churn
    /// The column holding the event kind.
    public var eventColumn: String?
    /// The event kinds that count; null = all events.
    public var events: [String]?
    /// The column of categories (propensity, favourite_category).
    public var categoryColumn: String?
    /// The categories (propensity labels, favourite classes); default: every value of the column.
    public var categories: [String]?
    /// The decimal column summed by `spend`.
    public var valueColumn: String?
    /// Predict `log(1 + x)` for `spend`. Default `false`.
    public var logTarget = false
    /// The item column of `next_items`.
    public var itemColumn: String?
    /// The items scored (`next_items`); default every value of `item_column`.
    public var targetsToInclude: [String]?
    /// How many items a prediction lists. Default 10.
    public var topK = 10

    /// A target with every default (churn on any event).
    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case type
        case eventColumn = "event_column"
        case events
        case categoryColumn = "category_column"
        case categories
        case valueColumn = "value_column"
        case logTarget = "log_target"
        case itemColumn = "item_column"
        case targetsToInclude = "targets_to_include"
        case topK = "top_k"
    }

    public static let keyNames = CodingKeys.allCases.map(\.stringValue)

    public init(from decoder: Decoder) throws {
        try decoder.checkKeys(of: Self.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init()
        type = try c.value(.type, or: type)
        eventColumn = try c.decodeIfPresent(String.self, forKey: .eventColumn)
        events = try c.decodeIfPresent([String].self, forKey: .events)
        categoryColumn = try c.decodeIfPresent(String.self, forKey: .categoryColumn)
        categories = try c.decodeIfPresent([String].self, forKey: .categories)
        valueColumn = try c.decodeIfPresent(String.self, forKey: .valueColumn)
        logTarget = try c.value(.logTarget, or: logTarget)
        itemColumn = try c.decodeIfPresent(String.self, forKey: .itemColumn)
        targetsToInclude = try c.decodeIfPresent([String].self, forKey: .targetsToInclude)
        topK = try c.value(.topK, or: topK)
        if events != nil && eventColumn == nil {
            throw ConfigIssue(kind: .missingKey, keyPath: keyPathString(decoder.codingPath + [CodingKeys.eventColumn]),
                              message: "target.event_column is required when target.events is given (the column naming each event's kind)")
        }
        let needs: [(DeclarativeTarget.Kind, CodingKeys, String?)] = [
            (.propensity, .categoryColumn, categoryColumn), (.favouriteCategory, .categoryColumn, categoryColumn),
            (.nextItems, .itemColumn, itemColumn),
        ]
        for (kind, key, value) in needs where type == kind && value == nil {
            let path = keyPathString(decoder.codingPath + [key])
            throw ConfigIssue(kind: .missingKey, keyPath: path, message: "\(path) is required for target.type \(kind.rawValue)")
        }
        guard topK >= 1 else {
            throw ConfigIssue.invalidValue(at: decoder.codingPath + [CodingKeys.topK], "must be at least 1, got \(topK)")
        }
    }
}

/// A target computed from one entity at one split point; returning nil skips the sample
/// (e.g. an entity without history, or an incomplete window).
///
/// `history` holds the events before the split point (from `data_start_date`), `future` those
/// in the target window (`check_target_for_next_N_days`, or up to `test_end_date`). Throwing
/// (an unknown column) stops the run with the error.
public typealias TargetFunction = @Sendable (_ history: Events, _ future: Events, _ attributes: Attributes,
                                             _ context: TargetContext) throws -> Target?

/// What a target function returns; its case must fit the task.
public enum Target: Sendable, Equatable {
    /// A yes/no label (binary classification).
    case binary(Bool)
    /// A class index into the task's class names (multiclass).
    case classIndex(Int)
    /// A class by name (multiclass); a name the task does not list skips the sample.
    case className(String)
    /// One 0/1 label per task label name (multilabel).
    case labels([Bool])
    /// A number (regression).
    case value(Double)
    /// Several numbers (multi-output regression).
    case values([Double])
    /// The items (values of the task's item column) the entity interacts with (recommendation);
    /// items outside the task's item list are ignored.
    case items([String])
}

/// Where and why a target is being computed.
public struct TargetContext: Sendable {
    /// Which split the sample belongs to.
    public enum Split: String, Sendable, Codable {
        case train, validation, test, predict
    }

    /// The split.
    public let split: Split
    /// The split point (seconds since 1970): history is before it, the target window starts at it.
    public let splitTimestamp: Int64
    /// The end of the target window (exclusive).
    public let targetEnd: Int64
    /// The entity's id.
    public let entityID: String
    /// The entity's index in the store.
    public let entity: Int

    /// Creates a context.
    public init(split: Split, splitTimestamp: Int64, targetEnd: Int64, entityID: String, entity: Int) {
        self.split = split
        self.splitTimestamp = splitTimestamp
        self.targetEnd = targetEnd
        self.entityID = entityID
        self.entity = entity
    }

    /// The target window's length in days.
    public var horizonDays: Double { Double(targetEnd - splitTimestamp) / 86_400 }
}

/// The entity's main-entity attributes (empty when the config has no such source).
public struct Attributes: Sendable {
    let store: EventStore
    /// The entity's index in the store.
    public let entity: Int

    /// Creates the attributes view of one entity.
    public init(store: EventStore, entity: Int) {
        self.store = store
        self.entity = entity
    }

    /// The entity's id.
    public var entityID: String { store.entityIDs[entity] }

    /// A decimal (or timestamp) attribute, nil when missing.
    public func number(_ column: String) throws -> Double? { try require(column).number(at: entity) }

    /// A categorical or id attribute, nil when missing.
    public func text(_ column: String) throws -> String? { try require(column).text(at: entity) }

    private func require(_ name: String) throws -> StoredColumn {
        guard let column = store.attributes?.column(named: name) else {
            throw EventsError.unknownColumn(source: "target function (main_entity_attribute)", column: name,
                                            available: store.attributes?.columns.map(\.name) ?? [])
        }
        return column
    }
}

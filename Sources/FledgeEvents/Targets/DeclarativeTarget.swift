import Foundation
import FledgeTrain

/// The YAML targets (`TargetConfig`) as tasks with target functions, resolved against a store.
public enum DeclarativeTarget {
    /// The declarative target kinds.
    public enum Kind: String, ConfigOption {
        case churn, propensity, spend
        case favouriteCategory = "favourite_category"
        case nextItems = "next_items"
    }

    /// The task `config` describes on `store`'s columns.
    /// - Throws: `EventsError.unknownColumn` for a column the events do not have.
    public static func task(_ config: TargetConfig, store: EventStore) throws -> any EventTask {
        let context = "target (config)"
        if let column = config.eventColumn { _ = try store.requireColumn(column, context: context) }
        let filter = config.eventColumn.map { column in (column, Set(config.events ?? [])) }
        /// The events of the window that count.
        @Sendable func counted(_ events: Events) throws -> Events {
            guard let (column, kinds) = filter, !kinds.isEmpty else { return events }
            return try events.filter(column, in: kinds)
        }
        switch config.type {
        case .churn:
            return BinaryClassificationTask { _, future, _, _ in .binary(try counted(future).isEmpty) }
        case .propensity:
            let column = config.categoryColumn!
            let labels = try config.categories ?? store.requireColumn(column, context: context).vocabulary
            return MultilabelClassificationTask(labels: labels) { _, future, _, _ in
                .labels(try counted(future).groupBy(column).exists(labels))
            }
        case .favouriteCategory:
            let column = config.categoryColumn!
            let classes = try config.categories ?? store.requireColumn(column, context: context).vocabulary
            return MulticlassClassificationTask(classes: classes) { _, future, _, _ in
                let counts = try counted(future).groupBy(column).count(classes)
                guard let best = counts.indices.max(by: { counts[$0] < counts[$1] }), counts[best] > 0 else { return nil }
                return .classIndex(best)
            }
        case .spend:
            if let column = config.valueColumn {
                guard try store.requireColumn(column, context: context).type == .decimal else {
                    throw EventsError.invalidSetup("target.value_column \"\(column)\" is not a decimal column; override its type with column_type_overrides: {\(column): decimal}")
                }
            }
            let log = config.logTarget
            let valueColumn = config.valueColumn
            return RegressionTask(outputs: [valueColumn.map { "spend_\($0)" } ?? "event_count"]) { _, future, _, _ in
                let window = try counted(future)
                let total = try valueColumn.map { try window.sum($0) } ?? Double(window.count)
                return .value(log ? (total < 0 ? -(-total).log1p : total.log1p) : total)
            }
        case .nextItems:
            let column = config.itemColumn!
            let items = try config.targetsToInclude ?? store.requireColumn(column, context: context).vocabulary
            let included = Set(items)
            return RecommendationTask(itemColumn: column, items: items, topK: config.topK, countedEventColumn: config.eventColumn,
                                      countedEvents: config.events) { _, future, _, _ in
                let seen = try counted(future).groupBy(column).groups.filter(included.contains)
                return seen.isEmpty ? nil : .items(seen)
            }
        }
    }
}

extension Double {
    /// log(1 + x).
    var log1p: Double { Foundation.log1p(self) }
}

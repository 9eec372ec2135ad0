import FledgeEvents
import Foundation
import Testing

/// A next-items target on the clickstream whose item events are purchases and carts only.
private func nextItems(store: EventStore) throws -> any EventTask {
    var target = TargetConfig()
    target.type = .nextItems
    target.itemColumn = "event"
    target.eventColumn = "event"
    target.events = ["purchase", "add_to_cart"]
    return try DeclarativeTarget.task(target, store: store)
}

@Suite struct ItemHistoryFeatureTests {
    @Test func itemHistoryCountsExactlyTheCountedItemEventsBeforeTheSplit() throws {
        let store = try EventStore.load([clickstreamSource()])
        var params = clickstreamParams()
        params.useRecencySketches = true
        let task = try nextItems(store: store)
        let layout = FeatureLayout(store: store, params: params).withItemHistory(of: task, params: params)
        let history = try #require(layout.itemHistory)
        #expect(history.items == task.outputNames && history.events == ["purchase", "add_to_cart"])
        let names = layout.names
        let first = try #require(names.firstIndex(of: "item_event=\(history.items[0])_all"))
        #expect(names.count == first + history.items.count * 3)
        #expect(names[first + history.items.count] == "decayed_item_event=\(history.items[0])_h7")

        let dataStart = day("2024-01-01"), split = day("2024-04-15")
        let extractor = FeatureExtractor(layout: layout, store: store, dataStart: dataStart)
        var checked = 0
        for entity in 0..<store.entityCount {
            let events = store.events(ofEntity: entity, splitTimestamp: split).within(from: dataStart, until: split)
            let counted = try events.filter("event", in: ["purchase", "add_to_cart"])
            let counts = try counted.groupBy("event").count(history.items)
            let row = extractor.features(SplitSample(entity: entity, splitTimestamp: split))
            for (item, count) in counts.enumerated() {
                #expect(abs(row[first + item] - log1pf(Float(count))) < 1e-6)
                let decayed = try counted.filter("event", equals: history.items[item]).sum { event in
                    exp2(-Double(split - event.timestamp) / 86_400 / 30)
                }
                #expect(abs(Double(row[first + 2 * history.items.count + item]) - decayed) < 1e-4 * max(1, decayed))
            }
            // Items that are never purchases or carts have no counted event.
            let view = try #require(history.items.firstIndex(of: "product_view"))
            #expect(row[first + view] == 0)
            if counts.contains(where: { $0 > 0 }) { checked += 1 }
        }
        #expect(checked > 100)
    }

    @Test func itemHistoryIsOnByDefaultOnlyForSmallRecommendationTasks() throws {
        let store = try EventStore.load([clickstreamSource()])
        var params = clickstreamParams()
        let base = FeatureLayout(store: store, params: params)
        #expect(base.withItemHistory(of: try nextItems(store: store), params: params).itemHistory != nil)
        var churn = TargetConfig()
        churn.type = .churn
        #expect(base.withItemHistory(of: try DeclarativeTarget.task(churn, store: store), params: params) == base)
        params.itemHistoryFeatures = false
        #expect(base.withItemHistory(of: try nextItems(store: store), params: params) == base)
        let many = RecommendationTask(itemColumn: "event", items: (0...EventDataParams.itemHistoryAutomaticLimit).map { "item\($0)" }) { _, _, _, _ in nil }
        #expect(base.withItemHistory(of: many, params: clickstreamParams()) == base)
        params.itemHistoryFeatures = true
        #expect(base.withItemHistory(of: many, params: params).itemHistory?.items.count == EventDataParams.itemHistoryAutomaticLimit + 1)
        // Without use_recency_sketches: the plain counts only.
        #expect(base.withItemHistory(of: try nextItems(store: store), params: params).count == base.count + 19)
    }
}

import FledgeEvents
import Foundation
import Synchronization
import Testing

/// The clickstream's data parameters used by the examples.
func clickstreamParams() -> EventDataParams {
    var params = EventDataParams()
    params.dataStartDate = "2024-01-01"
    params.validationStartDate = "2024-05-01"
    params.testStartDate = "2024-06-01"
    params.checkTargetForNextNDays = 28
    params.maximumSplitpointsPerEntity = 4
    return params
}

/// Every declarative target on the clickstream.
func clickstreamTargets() -> [TargetConfig] {
    var churn = TargetConfig()
    churn.type = .churn
    var propensity = TargetConfig()
    propensity.type = .propensity
    propensity.categoryColumn = "event"
    propensity.categories = ["purchase", "add_to_cart"]
    var favourite = TargetConfig()
    favourite.type = .favouriteCategory
    favourite.categoryColumn = "platform"
    var spend = TargetConfig()
    spend.type = .spend
    spend.eventColumn = "event"
    spend.events = ["purchase"]
    var items = TargetConfig()
    items.type = .nextItems
    items.itemColumn = "event"
    return [churn, propensity, favourite, spend, items]
}

/// What a spy target function saw for one sample.
struct Seen: Sendable {
    let split: TargetContext.Split
    let splitTimestamp: Int64
    let targetEnd: Int64
    let history: [Int64]
    let future: [Int64]
}

@Suite struct SplitLeakageTests {
    @Test(arguments: [SamplingStrategy.random, .valid])
    func noTargetEventReachesAnInputWindowOnAnySplitOrTask(strategy: SamplingStrategy) throws {
        let store = try EventStore.load([clickstreamSource()])
        var params = clickstreamParams()
        params.targetSamplingStrategy = strategy
        let validation = day("2024-05-01"), test = day("2024-06-01"), dayLength: Int64 = 86_400
        for config in clickstreamTargets() {
            let task = try DeclarativeTarget.task(config, store: store)
            let isRecommendation = task.kind == .recommendation
            let splits = try TemporalSplits(params: params, isRecommendation: isRecommendation, firstEvent: nil)
            let seen = Mutex([Seen]())
            let spy: TargetFunction = { history, future, attributes, context in
                seen.withLock {
                    $0.append(Seen(split: context.split, splitTimestamp: context.splitTimestamp, targetEnd: context.targetEnd,
                                   history: history.timestamps, future: future.timestamps))
                }
                return try task.target(history, future, attributes, context)
            }
            let builder = SampleBuilder(store: store, splits: splits, target: spy, seed: 7)
            let train = try builder.samples(.train)
            _ = try builder.samples(.validation)
            _ = try builder.samples(.test)
            let all = seen.withLock { $0 }
            #expect(!train.samples.isEmpty && all.count > 600, "\(config.type)")
            for sample in all {
                // Input strictly before the split point, target from it on, inside its window.
                #expect(sample.history.allSatisfy { $0 >= day("2024-01-01") && $0 < sample.splitTimestamp })
                #expect(sample.future.allSatisfy { $0 >= sample.splitTimestamp && $0 < sample.targetEnd })
                switch sample.split {
                case .train:
                    // Training targets end before validation starts (1 day of margin unless recommendation).
                    #expect(sample.targetEnd <= (isRecommendation ? validation : validation - dayLength))
                    #expect(sample.splitTimestamp % dayLength == 0)
                case .validation:
                    #expect(sample.splitTimestamp == validation && sample.targetEnd == validation + 28 * dayLength)
                    #expect(sample.targetEnd <= test)
                case .test:
                    #expect(sample.splitTimestamp == test && sample.targetEnd == test + 28 * dayLength)
                case .predict:
                    Issue.record("no prediction samples here")
                }
            }
            let perEntity = Dictionary(grouping: train.samples, by: \.entity)
            #expect(perEntity.values.allSatisfy { $0.count <= 4 })
        }
    }

    @Test func featuresAreTheSameWhenEverythingAfterTheSplitIsRemoved() throws {
        let source = clickstreamSource()
        let table = try CSVEventTableReader().read(source)
        let store = try EventStore.build(events: table, source: source)
        var params = clickstreamParams()
        params.useRecencySketches = true
        // Every feature kind, the item history of a next-items task included.
        let nextItems = try DeclarativeTarget.task(clickstreamTargets().last!, store: store)
        let layout = FeatureLayout(store: store, params: params).withItemHistory(of: nextItems, params: params)
        #expect(layout.itemHistory != nil)
        let split = day("2024-04-15")
        guard case .timestamp(let times)? = table.column(named: "timestamp") else { return }
        // The same events with everything at or after the split point removed.
        let keep = times.indices.filter { times[$0] < split }
        let truncated = EventTable(source: table.source, columnNames: table.columnNames, columns: table.columns.map { column in
            switch column {
            case .decimal(let values): .decimal(keep.map { values[$0] })
            case .text(let codes, let values): .text(codes: keep.map { codes[$0] }, values: values)
            case .timestamp(let values): .timestamp(keep.map { values[$0] })
            }
        }, rowCount: keep.count)
        let past = try EventStore.build(events: truncated, source: source)
        let full = FeatureExtractor(layout: layout, store: store, dataStart: day("2024-01-01"))
        let cut = FeatureExtractor(layout: layout, store: past, dataStart: day("2024-01-01"))
        var compared = 0
        for entity in 0..<past.entityCount {
            let id = past.entityIDs[entity]
            let a = full.features(SplitSample(entity: store.entityIndex(of: id)!, splitTimestamp: split))
            let b = cut.features(SplitSample(entity: entity, splitTimestamp: split))
            #expect(a == b, "entity \(id)")
            compared += 1
        }
        #expect(compared > 300)
    }

    @Test func datesInTheWrongOrderAreClearErrors() throws {
        var params = clickstreamParams()
        params.testStartDate = "2024-05-15"
        let error = #expect(throws: EventsError.self) {
            try TemporalSplits(params: params, isRecommendation: false, firstEvent: nil)
        }
        #expect(error?.description.contains("test_start_date (2024-05-15) must be after validation_start_date (2024-05-01) + check_target_for_next_N_days (28)") == true)
        params = clickstreamParams()
        params.validationStartDate = nil
        params.testStartDate = nil
        #expect(throws: EventsError.self) { try TemporalSplits(params: params, isRecommendation: false, firstEvent: nil) }
        params.dataStartDate = "2024-05-01"
        params.validationStartDate = "2024-05-10"
        let tooEarly = #expect(throws: EventsError.self) {
            try TemporalSplits(params: params, isRecommendation: false, firstEvent: nil)
        }
        #expect(tooEarly?.description.contains("training_max_split_date") == true)
    }

    @Test func withoutValidationDateOnlyPredictionIsPossible() throws {
        let store = try EventStore.load([clickstreamSource()])
        var params = clickstreamParams()
        params.validationStartDate = nil
        let splits = try TemporalSplits(params: params, isRecommendation: false, firstEvent: nil)
        let builder = SampleBuilder(store: store, splits: splits, target: { _, _, _, _ in .binary(true) }, seed: 0)
        #expect(throws: EventsError.predictionOnly) { try builder.samples(.train) }
        #expect(try builder.samples(.test).samples.count > 400)
    }

    @Test func unknownColumnInATargetFunctionNamesTheColumns() throws {
        let store = try EventStore.load([clickstreamSource()])
        let splits = try TemporalSplits(params: clickstreamParams(), isRecommendation: false, firstEvent: nil)
        let builder = SampleBuilder(store: store, splits: splits, target: { _, future, _, _ in
            .value(try future.sum("price"))
        }, seed: 0)
        let error = #expect(throws: EventsError.self) { try builder.samples(.validation) }
        #expect(error?.description.hasPrefix("target function: no column named \"price\"; the available columns are: event, platform") == true)
    }
}

import FledgeEvents
import Testing

/// Split points between events: which gaps are candidates, where the split falls, what is skipped.
struct SplitPointSamplerTests {
    static let hour: Int64 = 3_600, dayLength: Int64 = 86_400

    /// One entity with events (offset from 2024-01-01 in hours) and whether each is an item event.
    func sampler(hours: [Int64], items: [Bool], maximum: Int = 10, validation: String = "2024-03-01") throws -> (SplitPointSampler, TemporalSplits) {
        let start = day("2024-01-01")
        let times = hours.map { start + $0 * Self.hour }
        let store = EventStore(entityColumn: "user", entityIDs: ["u"], offsets: [0, times.count], timestamps: times,
                               columns: [StoredColumn(name: "item", values: .id(codes: items.map { $0 ? 0 : -1 }, vocabulary: ["a"]))])
        var params = EventDataParams()
        params.dataStartDate = "2024-01-01"
        params.validationStartDate = validation
        params.checkTargetForNextNDays = 7
        params.maximumSplitpointsPerEntity = maximum
        let splits = try TemporalSplits(params: params, isRecommendation: false, firstEvent: times.first)
        return (try SplitPointSampler(store: store, splits: splits, isItemEvent: items, seed: 9), splits)
    }

    @Test func everyGapWithAnItemEventAheadIsACandidateAndTheSplitFallsInsideIt() throws {
        // Gaps: 0→5 (an item event at 5), 5→5 (a tie: no gap), 5→30 (an item event at 30),
        // 30→400 (the next item event, at 400, is 15 days away: more than N = 7, skipped),
        // 400→401 (no item event after it: skipped).
        let hours: [Int64] = [0, 5, 5, 30, 400, 401]
        let items = [true, true, false, true, true, false]
        let (sampler, splits) = try sampler(hours: hours, items: items)
        #expect(sampler.candidateCount(ofEntity: 0) == 2)
        let drawn = sampler.trainingSamples(epoch: 0)
        #expect(drawn.skippedWithoutItems == 2)
        let start = day("2024-01-01")
        let splitHours = drawn.samples.map { Double($0.splitTimestamp - start) / Double(Self.hour) }
        #expect(splitHours.count == 2)
        #expect(splitHours[0] > 0 && splitHours[0] <= 5)
        #expect(splitHours[1] > 5 && splitHours[1] <= 30)
        #expect(zip(drawn.samples, drawn.targetEnds).allSatisfy { $0.splitTimestamp + splits.horizon == $1 })
    }

    @Test func splitPointsStopAtTheTrainingMaxSplitDate() throws {
        // Validation on Jan 20 with N = 7: the last split point is Jan 12 (Jan 20 − 1 day − 7 days).
        let hours = (0..<40).map { Int64($0) * 12 }
        let (sampler, splits) = try sampler(hours: hours, items: hours.map { _ in true }, validation: "2024-01-20")
        let maxSplit = try #require(splits.trainingMaxSplit)
        #expect(maxSplit == day("2024-01-12"))
        let drawn = sampler.trainingSamples(epoch: 0)
        #expect(!drawn.samples.isEmpty && drawn.samples.allSatisfy { $0.splitTimestamp <= maxSplit })
        #expect(drawn.targetEnds.allSatisfy { $0 <= day("2024-01-19") })
    }

    @Test func eachEpochDrawsAtMostTheMaximumPerEntityReproducibly() throws {
        let hours = (0..<30).map { Int64($0) * 20 }
        let (sampler, _) = try sampler(hours: hours, items: hours.map { _ in true }, maximum: 3)
        let first = sampler.trainingSamples(epoch: 0), second = sampler.trainingSamples(epoch: 1)
        #expect(first.samples.count == 3 && second.samples.count == 3)
        #expect(first.samples != second.samples)
        #expect(first == sampler.trainingSamples(epoch: 0))
        #expect(first.samples.map(\.splitTimestamp) == first.samples.map(\.splitTimestamp).sorted())
    }

    @Test func validationKeepsEntitiesWithHistoryAndItemEventsInTheWindow() throws {
        let hours: [Int64] = [0, 24 * 61, 24 * 70]     // Jan 1, Mar 2 (in the window), Mar 11 (after it)
        let (withItem, _) = try sampler(hours: hours, items: [true, true, false])
        #expect(withItem.validationSamples().samples == [SplitSample(entity: 0, splitTimestamp: day("2024-03-01"))])
        let (without, _) = try sampler(hours: hours, items: [true, false, true])
        let validation = without.validationSamples()
        #expect(validation.samples.isEmpty && validation.skippedWithoutItems == 1)
    }
}

import FledgeEvents
import FledgeTrain
import Foundation
import Testing

@Suite struct TrainingEntityFractionTests {
    @Test func aFractionKeepsAStableSeededSubsetOfTrainingEntitiesAndLeavesEvaluationAlone() throws {
        let store = try EventStore.load([clickstreamSource()])
        let churn = try DeclarativeTarget.task(clickstreamTargets()[0], store: store)
        func samples(_ fraction: Double, seed: UInt64 = 0) throws -> [TargetContext.Split: LabeledSamples] {
            var params = clickstreamParams()
            params.trainingEntityFraction = fraction
            let splits = try TemporalSplits(params: params, isRecommendation: false, firstEvent: nil)
            let builder = SampleBuilder(store: store, splits: splits, target: churn.target, seed: seed)
            return [.train: try builder.samples(.train), .validation: try builder.samples(.validation),
                    .test: try builder.samples(.test)]
        }
        let all = try samples(1.0), third = try samples(0.3), tenth = try samples(0.1)
        func entities(_ labeled: LabeledSamples) -> Set<Int> { Set(labeled.samples.map(\.entity)) }
        let allEntities = entities(all[.train]!), thirdEntities = entities(third[.train]!)
        let share = Double(thirdEntities.count) / Double(allEntities.count)
        #expect(share > 0.22 && share < 0.38, "kept \(share) of the training entities")
        #expect(thirdEntities.isSubset(of: allEntities))
        #expect(entities(tenth[.train]!).isSubset(of: thirdEntities))
        #expect(third[.train]!.leftOutByFraction + thirdEntities.count <= store.entityCount)
        #expect(third[.train]!.leftOutByFraction > 0)
        // A kept entity keeps exactly the split points and targets it has with every entity.
        let kept = all[.train]!.samples.indices.filter { thirdEntities.contains(all[.train]!.samples[$0].entity) }
        #expect(kept.map { all[.train]!.samples[$0] } == third[.train]!.samples)
        // Validation and test are untouched.
        for split in [TargetContext.Split.validation, .test] {
            #expect(third[split]!.samples == all[split]!.samples)
            #expect(third[split]!.leftOutByFraction == 0)
        }
        // The subset depends on the seed and the id only: rebuilding gives the same entities, another seed others.
        #expect(entities(try samples(0.3)[.train]!) == thirdEntities)
        #expect(entities(try samples(0.3, seed: 1)[.train]!) != thirdEntities)
        #expect(SampleBuilder.keepsTrainingEntity("user_0001", fraction: 1.0, seed: 5))
    }

    @Test func fledgeTrainConfigsTakeTheFraction() throws {
        let config = try EventsConfig.load(path: "Examples/configs/events-churn.yaml",
                                           overrides: ["data_params.training_entity_fraction=0.5"])
        #expect(config.dataParams.trainingEntityFraction == 0.5)
        #expect(throws: ConfigError.self) {
            try EventsConfig.load(path: "Examples/configs/events-churn.yaml", overrides: ["data_params.training_entity_fraction=1.5"])
        }
    }
}

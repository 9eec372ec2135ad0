import Foundation
import Testing
@testable import FledgeTrain

/// A training config stored as JSON (events.json, a foundation checkpoint's foundation.json) must
/// read back with the same batch limits: JSON writes the fraction 1.0 as 1, which is a count.
@Test func batchLimitsSurviveAJSONRoundTrip() throws {
    var training = TrainingConfig()
    training.limitValBatches = .count(1)
    training.overfitBatches = .fraction(0.25)
    let json = try JSONEncoder().encode(training)
    let decoded = try JSONDecoder().decode(TrainingConfig.self, from: json)
    #expect(decoded.limitTrainBatches == .all)
    #expect(decoded.limitValBatches == .count(1))
    #expect(decoded.overfitBatches == .fraction(0.25))
    #expect(decoded == training)
    // YAML keeps writing plain numbers.
    let yaml = FledgeConfig(task: .binary, trainPath: "x.csv", labelColumn: "y").resolvedYAML()
    #expect(yaml.contains("limit_train_batches: 1.0"), "\(yaml)")
}

import FledgeNN
import FledgeTestSupport
import Testing
@testable import FledgeTrain

@Test func gradientCheckpointingKeyBuildsACheckpointedMLPThatTrains() throws {
    let yaml = minimalYAML + "\n  layers: [8, 8, 8, 8]\n  gradient_checkpointing: true\n"
    let loaded = try FledgeConfig.load(yaml: yaml, source: "config.yaml")
    #expect(loaded.model.gradientCheckpointing)
    #expect(loaded.resolvedYAML().contains("gradient_checkpointing: true"))
    #expect(loadError(minimalYAML + "\n  gradient_checkpointing: maybe\n")?.keyPath == "model.gradient_checkpointing")

    let config = fixtureConfig("iris", task: .multiclass) {
        $0.model.layers = [16, 16, 16, 16]
        $0.model.gradientCheckpointing = true
        $0.training.epochs = 20
        $0.training.checkpoint.saveStrategy = .no
    }
    let trainer = try Trainer(config: config)
    #expect((trainer.model as? MLP)?.gradientCheckpointing == true)
    let result = try trainer.fit()
    #expect((result.validationMetrics["val_accuracy"] ?? 0) >= 0.8)
}

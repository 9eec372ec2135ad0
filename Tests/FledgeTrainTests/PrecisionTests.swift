import FledgeNN
import FledgeTensor
import FledgeTestSupport
import Testing
@testable import FledgeTrain

@Test func precisionAcceptsLightningsValuesAsNumbersOrStrings() throws {
    let cases: [(String, Precision)] = [("32", .float32), ("\"32\"", .float32), ("32-true", .float32),
                                        ("bf16", .bfloat16Mixed), ("bf16-mixed", .bfloat16Mixed)]
    for (value, expected) in cases {
        let config = try FledgeConfig.load(yaml: minimalYAML + "\ntraining:\n  precision: \(value)\n", source: "config.yaml")
        #expect(config.training.precision == expected, "precision: \(value)")
    }
    #expect(try FledgeConfig.load(yaml: minimalYAML, source: "config.yaml").training.precision == .float32)
    let overridden = try FledgeConfig.load(yaml: minimalYAML, source: "config.yaml", overrides: ["training.precision=bf16-mixed"])
    #expect(overridden.training.precision == .bfloat16Mixed)
    #expect(overridden.resolvedYAML().contains("precision: bf16-mixed"))
}

@Test func precisionsThatCannotRunOnCPUNameTheKeyAndTheOptions() throws {
    for value in ["16", "16-mixed", "\"16-true\"", "64", "bf16-true", "tf32"] {
        let error = try #require(loadError(minimalYAML + "\ntraining:\n  precision: \(value)\n"), "precision: \(value)")
        #expect(error.kind == .invalidValue)
        #expect(error.keyPath == "training.precision")
        #expect(error.description.hasPrefix("config.yaml:7:"))
        #expect(error.message.contains("32-true or bf16-mixed"), "\(error.message)")
    }
    let half = try #require(loadError(minimalYAML + "\ntraining:\n  precision: 16-mixed\n"))
    #expect(half.message.contains("float16"))
}

@Test func trainerAppliesThePrecisionToTheModel() throws {
    let config = fixtureConfig("digits", task: .multiclass) {
        $0.training.epochs = 1
        $0.training.precision = .bfloat16Mixed
    }
    let trainer = try Trainer(config: config)
    let linears = trainer.model.namedModules.compactMap { $0.module as? Linear }
    #expect(!linears.isEmpty && linears.allSatisfy { $0.precision == .bfloat16Mixed })
}

@Test func bfloat16MixedTrainingOnDigitsMatchesFloat32() throws {
    var accuracies: [Precision: Double] = [:]
    for precision in [Precision.float32, .bfloat16Mixed] {
        let config = fixtureConfig("digits", task: .multiclass) {
            $0.model.layers = [64]
            $0.training.epochs = 8
            $0.training.precision = precision
            $0.training.checkpoint.saveStrategy = .no
        }
        let result = try Trainer(config: config).fit()
        accuracies[precision] = try #require(result.validationMetrics["val_accuracy"])
    }
    // 10-class handwritten digits: both learn it; the validation split (~270 rows) is too small to
    // resolve the 0.5-point target, which `fledge-bench mlp --precision bf16-mixed` checks on 20k rows.
    #expect(accuracies[.float32]! >= 0.9)
    #expect(accuracies[.bfloat16Mixed]! >= 0.9)
    #expect(abs(accuracies[.float32]! - accuracies[.bfloat16Mixed]!) <= 0.03, "\(accuracies)")
}

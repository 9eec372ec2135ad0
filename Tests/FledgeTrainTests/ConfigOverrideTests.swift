import Testing
@testable import FledgeTrain

@Test func overridesSetScalarsListsAndNestedKeys() throws {
    let config = try FledgeConfig.load(yaml: minimalYAML, overrides: [
        "training.learning_rate=3e-4", "model.layers=[64, 32]", "training.scheduler.type=one_cycle",
        "training.early_stopping.patience=2", "experiment.name=my run", "data.id_column=id",
        "training.limit_train_batches=0.5",
    ])
    #expect(config.training.learningRate == 3e-4)
    #expect(config.model.layers == [64, 32])
    #expect(config.training.scheduler?.type == .oneCycle)
    #expect(config.training.earlyStopping?.patience == 2)
    #expect(config.experiment.name == "my run")
    #expect(config.data.idColumn == "id")
    #expect(config.training.limitTrainBatches == .fraction(0.5))
}

@Test func anOverrideReplacesTheFileValueAndItsAlias() throws {
    let yaml = minimalYAML + "\ntraining:\n  num_train_epochs: 10\n  early_stopping: null\n"
    let config = try FledgeConfig.load(yaml: yaml, overrides: ["training.epochs=3", "training.early_stopping.patience=1"])
    #expect(config.training.epochs == 3)
    #expect(config.training.earlyStopping?.patience == 1)
    let aliased = try FledgeConfig.load(yaml: yaml, overrides: ["training.num_train_epochs=4"])
    #expect(aliased.training.epochs == 4)
}

@Test func anUnknownOverridePathGetsTheSameSuggestion() throws {
    let error = try #require(loadError(minimalYAML, overrides: ["training.learnin_rate=3e-4"]))
    #expect(error.description
        == "--set training.learnin_rate=3e-4: training.learnin_rate is not a known key; did you mean training.learning_rate?")
    let section = try #require(loadError(minimalYAML, overrides: ["trainig.epochs=3"]))
    #expect(section.description == "--set trainig.epochs=3: trainig is not a known key; did you mean training?")
    let nested = try #require(loadError(minimalYAML, overrides: ["training.scheduler.warmup=3"]))
    #expect(nested.message == "training.scheduler.warmup is not a known key; did you mean training.scheduler.warmup_steps?")
}

@Test func overrideValuesAreTypeChecked() throws {
    let error = try #require(loadError(minimalYAML, overrides: ["training.epochs=many"]))
    #expect(error.description == "--set training.epochs=many: training.epochs: expected an integer, got 'many'")
    let malformed = try #require(loadError(minimalYAML, overrides: ["training.epochs"]))
    #expect(malformed.kind == .malformedOverride)
}

@Test func resolvedYAMLRoundTripsThroughLoad() throws {
    for task in TaskKind.allCases {
        let config = try FledgeConfig.load(yaml: FledgeConfig.template(task: task),
                                           overrides: ["training.limit_val_batches=3", "experiment.run_id=007",
                                                       "data.column_types={a: categorical}"])
        let yaml = config.resolvedYAML()
        let reloaded = try FledgeConfig.load(yaml: yaml, source: "resolved.yaml")
        #expect(reloaded == config.resolved())
        #expect(reloaded.resolvedYAML() == yaml)
    }
}

@Test func resolvedYAMLWritesEveryKey() throws {
    let yaml = try FledgeConfig.load(yaml: minimalYAML, overrides: ["training.early_stopping.patience=1", "training.scheduler.type=step", "training.scheduler.step_size=2"]).resolvedYAML()
    // The tune section is written only when the config has one (`tune: null` otherwise).
    for path in FledgeConfig.keyPaths(prefix: "") where !path.hasPrefix("tune.") {
        let key = path.split(separator: ".").last!
        #expect(yaml.contains("\(key):"), "missing \(path)")
    }
    #expect(yaml.contains("eval_batch_size: 32"))
    #expect(yaml.contains("metric_mode: min"))
    #expect(yaml.contains("loss: bce_with_logits"))
}

@Test func tuneSectionRoundTripsAndNamesBadKeys() throws {
    let yaml = minimalYAML + """

        tune:
          n_trials: 3
          params:
            training.learning_rate: {type: float, low: 1.0e-4, high: 0.1, log: true}
            model.layers: {type: categorical, choices: [[64], [128, 64]]}
        """
    let config = try FledgeConfig.load(yaml: yaml)
    #expect(config.tune?.params["model.layers"]?.choices == [.list([.int(64)]), .list([.int(128), .int(64)])])
    let reloaded = try FledgeConfig.load(yaml: config.resolvedYAML())
    #expect(reloaded.tune == config.tune)
    #expect(throws: ConfigError.self) { try FledgeConfig.load(yaml: yaml, overrides: ["tune.n_trail=3"]) }
    do {
        _ = try FledgeConfig.load(yaml: yaml, overrides: ["tune.sampler.typ=tpe"])
    } catch let error as ConfigError {
        #expect(error.message.contains("tune.sampler.typ is not a known key; did you mean tune.sampler.type?"), "\(error)")
    }
}

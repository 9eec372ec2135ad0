import Testing
@testable import FledgeTrain

@Test func unknownKeysAreReportedAtEveryLevelWithASuggestion() throws {
    let cases: [(yaml: String, expected: String)] = [
        (minimalYAML + "\ntrainin:\n  epochs: 3\n", "config.yaml:6:1: trainin is not a known key; did you mean training?"),
        (minimalYAML + "\ntraining:\n  learnin_rate: 0.1\n",
         "config.yaml:7:3: training.learnin_rate is not a known key; did you mean training.learning_rate?"),
        ("experiment:\n  sed: 3\n" + minimalYAML, "config.yaml:2:3: experiment.sed is not a known key; did you mean experiment.seed?"),
        (minimalYAML.replacingOccurrences(of: "  label_column: y", with: "  label_colum: y"),
         "config.yaml:3:3: data.label_colum is not a known key; did you mean data.label_column?"),
        (minimalYAML + "\n  layer: [4]\n", "config.yaml:6:3: model.layer is not a known key; did you mean model.layers?"),
        (minimalYAML + "\ntraining:\n  early_stopping:\n    patiense: 2\n",
         "config.yaml:8:5: training.early_stopping.patiense is not a known key; did you mean training.early_stopping.patience?"),
        (minimalYAML + "\ntraining:\n  checkpoint:\n    save_top: 2\n",
         "config.yaml:8:5: training.checkpoint.save_top is not a known key; did you mean training.checkpoint.save_top_k?"),
        (minimalYAML + "\ntraining:\n  scheduler:\n    warmup_ration: 0.1\n",
         "config.yaml:8:5: training.scheduler.warmup_ration is not a known key; did you mean training.scheduler.warmup_ratio?"),
    ]
    for (yaml, expected) in cases {
        let error = try #require(loadError(yaml))
        #expect(error.description == expected)
        if case .unknownKey(let suggestion) = error.kind { #expect(suggestion != nil) } else { Issue.record("\(error.kind)") }
    }
}

@Test func aKeyInTheWrongSectionPointsToItsSection() throws {
    let error = try #require(loadError(minimalYAML + "\nlearning_rate: 0.1\n"))
    #expect(error.description == "config.yaml:6:1: learning_rate is not a known key; did you mean training.learning_rate?")
}

@Test func aFarOffKeyListsTheValidOnes() throws {
    let error = try #require(loadError(minimalYAML + "\nexperiment:\n  zzzzzzzz: 1\n"))
    #expect(error.kind == .unknownKey(suggestion: nil))
    #expect(error.message.hasPrefix("experiment.zzzzzzzz is not a known key; valid keys in experiment: name, seed,"))
}

@Test func typeErrorsNameThePathTheExpectedTypeAndTheValue() throws {
    let cases: [(String, String)] = [
        (minimalYAML + "\ntraining:\n  epochs: ten\n", "config.yaml:7:11: training.epochs: expected an integer, got 'ten'"),
        (minimalYAML + "\ntraining:\n  learning_rate: fast\n",
         "config.yaml:7:18: training.learning_rate: expected a number, got 'fast'"),
        (minimalYAML + "\ntraining:\n  shuffle: maybe\n", "config.yaml:7:12: training.shuffle: expected true or false, got 'maybe'"),
        (minimalYAML + "\n  layers: [64, wide]\n", "config.yaml:6:16: model.layers[1]: expected an integer, got 'wide'"),
        (minimalYAML + "\n  layers: 64\n", "config.yaml:6:11: model.layers: expected a list, e.g. [a, b], got '64'"),
        (minimalYAML + "\ntraining: 5\n", "config.yaml:6:11: training: expected a mapping (key: value lines), got '5'"),
    ]
    for (yaml, expected) in cases {
        let error = try #require(loadError(yaml))
        #expect(error.description == expected)
    }
}

@Test func invalidChoicesListTheValidOnes() throws {
    let optimizer = try #require(loadError(minimalYAML + "\ntraining:\n  optimizer: adamx\n"))
    #expect(optimizer.description
        == "config.yaml:7:14: training.optimizer: 'adamx' is not one of sgd, momentum, adam, adamw, rmsprop, adagrad")
    let activation = try #require(loadError(minimalYAML + "\n  activation: swish\n"))
    #expect(activation.description.hasPrefix("config.yaml:6:15: model.activation: 'swish' is not one of relu, leaky_relu"))
    let task = try #require(loadError(minimalYAML.replacingOccurrences(of: "task: binary", with: "task: ranking")))
    #expect(task.description
        == "config.yaml:5:9: model.task: 'ranking' is not one of binary, multiclass, multilabel, regression")
}

@Test func semanticErrorsPointAtTheKey() throws {
    let cases: [(String, String)] = [
        (minimalYAML + "\n  validation_split: 0.5\n  test_size: 0.5\n".replacingOccurrences(of: "\n  v", with: "\n  v"),
         ""),
        (minimalYAML + "\ntraining:\n  batch_size: 0\n", "config.yaml:7:15: training.batch_size is 0; it must be positive"),
        (minimalYAML.replacingOccurrences(of: "  label_column: y\n", with: ""),
         "config.yaml:1:1: data.label_column is required (the column to predict)"),
        (minimalYAML + "\ntraining:\n  eval_strategy: steps\n",
         "config.yaml:7:18: training.eval_strategy is steps, so training.eval_steps must be a positive number of steps"),
        (minimalYAML + "\ntraining:\n  loss: mse\n",
         "config.yaml:7:9: training.loss mse does not fit a binary task; use one of bce_with_logits"),
        (minimalYAML + "\ntraining:\n  scheduler:\n    type: cosine_warmup\n    warmup_steps: 3\n    warmup_ratio: 0.1\n",
         "config.yaml:10:19: training.scheduler.warmup_steps and training.scheduler.warmup_ratio are both given; keep one"),
    ]
    for (yaml, expected) in cases.dropFirst() {
        let error = try #require(loadError(yaml))
        #expect(error.description == expected)
    }
    let split = """
        data:
          train_path: t.csv
          label_column: y
          validation_split: 0.5
          test_size: 0.5
        model:
          task: binary
        """
    #expect(loadError(split)?.description
        == "config.yaml:5:14: data.validation_split + data.test_size is 1.0; it must be below 1 to leave training rows")
}

@Test func aMissingTaskIsRequired() throws {
    let error = try #require(loadError("data:\n  label_column: y\n"))
    #expect(error.kind == .missingKey)
    #expect(error.message == "model.task is required; use one of binary, multiclass, multilabel, regression")
}

@Test func syntaxErrorsAndMissingFilesAreLocated() throws {
    let syntax = try #require(loadError("model:\n  task: [binary\n"))
    #expect(syntax.kind == .syntax)
    #expect(syntax.location?.hasPrefix("config.yaml:") == true)
    let tab = try #require(loadError("data:\n\tlabel_column: y\n"))
    #expect(tab.description.hasPrefix("config.yaml:2:1: not valid YAML:") && tab.description.hasSuffix("use spaces)"))
    #expect(throws: ConfigError.self) { try FledgeConfig.load(path: "/nonexistent/config.yaml") }
    do {
        _ = try FledgeConfig.load(path: "/nonexistent/config.yaml")
    } catch let error as ConfigError {
        #expect(error.description.hasPrefix("/nonexistent/config.yaml: no such file"))
    }
}

@Test func dataOptionsUseFledgeDataTypesWithTheSameErrors() throws {
    let yaml = minimalYAML.replacingOccurrences(of: "  label_column: y",
                                                with: "  label_column: y\n  column_types: {zip: Categorical, when: date}")
    #expect(try FledgeConfig.load(yaml: yaml).data.columnTypes == ["zip": .categorical, "when": .date])
    let config = try FledgeConfig.load(yaml: yaml, overrides: [
        "data.missing_values=fail", "data.categorical_encoding=embedding", "data.column_types={zip: categorical}"])
    #expect(config.data.columnTypes == ["zip": .categorical])
    #expect(config.data.missingValues == .fail && config.data.categoricalEncoding == .embedding)
    let error = try #require(loadError(minimalYAML, overrides: ["data.column_types={zip: text}"]))
    #expect(error.description == "--set data.column_types={zip: text}: data.column_types.zip: 'text' is not one of "
        + "numeric, categorical, boolean, date")
    let policy = try #require(loadError(minimalYAML.replacingOccurrences(of: "  label_column: y", with: "  label_column: y\n  missing_values: drop")))
    #expect(policy.description == "config.yaml:4:19: data.missing_values: 'drop' is not one of impute, fail")
}

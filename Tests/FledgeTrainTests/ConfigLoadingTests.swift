import Testing
@testable import FledgeTrain

/// A minimal valid file body; tests append or replace lines.
let minimalYAML = """
data:
  train_path: train.csv
  label_column: y
model:
  task: binary
"""

/// The `ConfigError` thrown by loading `yaml` with `overrides`, or nil if it loads.
func loadError(_ yaml: String, overrides: [String] = []) -> ConfigError? {
    do {
        _ = try FledgeConfig.load(yaml: yaml, source: "config.yaml", overrides: overrides)
        return nil
    } catch let error as ConfigError {
        return error
    } catch {
        Issue.record("unexpected error type: \(error)")
        return nil
    }
}

@Test(arguments: TaskKind.allCases)
func everyTemplateLoads(task: TaskKind) throws {
    let config = try FledgeConfig.load(yaml: FledgeConfig.template(task: task), source: "template.yaml")
    #expect(config.model.task == task)
    #expect(config.training.optimizer == .adamw)
    #expect(config.training.scheduler?.type == .cosineWarmup)
    #expect(config.training.loss == task.defaultLoss)
}

@Test func defaultsApplyToAbsentKeys() throws {
    let config = try FledgeConfig.load(yaml: minimalYAML)
    #expect(config.training == TrainingConfig())
    #expect(config.experiment == ExperimentConfig())
    #expect(config.data.trainPath == "train.csv")
    #expect(config.data.labelColumnNames == ["y"])
}

@Test func bothSpellingsOfEveryAliasWork() throws {
    let pairs: [(String, String, (TrainingConfig) -> String)] = [
        ("epochs: 7", "num_train_epochs: 7", { "\($0.epochs)" }),
        ("batch_size: 16", "train_batch_size: 16", { "\($0.batchSize)" }),
        ("metric_to_monitor: val_f1", "metric_for_best_model: val_f1", { $0.metricToMonitor }),
    ]
    for (canonical, alias, read) in pairs {
        let a = try FledgeConfig.load(yaml: minimalYAML + "\ntraining:\n  \(canonical)\n")
        let b = try FledgeConfig.load(yaml: minimalYAML + "\ntraining:\n  \(alias)\n")
        #expect(read(a.training) == read(b.training))
        #expect(a == b)
    }
}

@Test func givingBothSpellingsIsAnError() throws {
    let error = try #require(loadError(minimalYAML + "\ntraining:\n  epochs: 3\n  num_train_epochs: 4\n"))
    #expect(error.kind == .duplicateKey)
    #expect(error.description == "config.yaml:8:3: training.num_train_epochs: 'epochs' and 'num_train_epochs' are two "
        + "spellings of one key; keep only one")
}

@Test func aKeyGivenTwiceIsAnError() throws {
    let error = try #require(loadError(minimalYAML + "\ntraining:\n  epochs: 3\n  epochs: 4\n"))
    #expect(error.kind == .duplicateKey)
    #expect(error.description == "config.yaml:8:3: training.epochs is given twice; keep only one")
}

@Test func l2RegularizationAndWeightDecayStayDistinct() throws {
    let config = try FledgeConfig.load(yaml: minimalYAML + "\ntraining:\n  l2_regularization: 0.001\n  weight_decay: 0.05\n")
    #expect(config.training.l2Regularization == 0.001)
    #expect(config.training.weightDecay == 0.05)
}

@Test func batchLimitsTakeCountsOrFractions() throws {
    let config = try FledgeConfig.load(
        yaml: minimalYAML + "\ntraining:\n  limit_train_batches: 10\n  limit_val_batches: 0.25\n  overfit_batches: 1.0\n")
    #expect(config.training.limitTrainBatches == .count(10))
    #expect(config.training.limitValBatches == .fraction(0.25))
    #expect(config.training.overfitBatches == .fraction(1))
    #expect(BatchLimit.fraction(0.25).batches(outOf: 10) == 2)
    #expect(BatchLimit.fraction(0.01).batches(outOf: 10) == 1)
    #expect(BatchLimit.count(50).batches(outOf: 10) == 10)
    let error = try #require(loadError(minimalYAML + "\ntraining:\n  limit_val_batches: some\n"))
    #expect(error.description == "config.yaml:7:22: training.limit_val_batches: expected an integer (batches) or a "
        + "fraction such as 0.25, got 'some'")
}

@Test func scientificNotationAndEnumSpellingsDecode() throws {
    let config = try FledgeConfig.load(yaml: minimalYAML + """

        training:
          learning_rate: 3e-4
          optimizer: AdamW
          scheduler:
            type: cosine-warmup
        """)
    #expect(config.training.learningRate == 3e-4)
    #expect(config.training.optimizer == .adamw)
    #expect(config.training.scheduler?.type == .cosineWarmup)
}

/// The template with every commented-out `key: value` line switched on.
private func uncommented(_ template: String) -> String {
    template.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
        let indent = line.prefix { $0 == " " }
        let rest = line.dropFirst(indent.count)
        guard !indent.isEmpty, rest.hasPrefix("# "), let colon = rest.firstIndex(of: ":"),
              rest.dropFirst(2)[..<colon].allSatisfy({ $0.isLowercase || $0 == "_" }) else { return String(line) }
        return String(indent) + rest.dropFirst(2)
    }.joined(separator: "\n")
}

@Test(arguments: TaskKind.allCases)
func theTemplatesCommentedOutKeysAreValidToo(task: TaskKind) throws {
    let template = FledgeConfig.template(task: task)
    let full = uncommented(template)
    #expect(full != template)
    let config = try FledgeConfig.load(yaml: full, source: "template.yaml")
    #expect(config.experiment.runId == "first-try")
    #expect(config.training.gradientClipVal == 1.0)
    #expect(config.data.columnTypes == ["zip_code": .categorical])
}

@Test func sectionShorthandsExpandToDefaults() throws {
    let on = try FledgeConfig.load(yaml: minimalYAML + "\ntraining:\n  early_stopping: true\n  scheduler: cosine\n")
    #expect(on.training.earlyStopping == EarlyStoppingConfig())
    #expect(on.training.scheduler?.type == .cosine)
    let off = try FledgeConfig.load(yaml: minimalYAML + "\ntraining:\n  early_stopping: false\n")
    #expect(off.training.earlyStopping == nil)
    let error = try #require(loadError(minimalYAML + "\ntraining:\n  scheduler: cosin\n"))
    #expect(error.description.hasPrefix("config.yaml:7:14: training.scheduler: 'cosin' is not one of constant, step,"))
}

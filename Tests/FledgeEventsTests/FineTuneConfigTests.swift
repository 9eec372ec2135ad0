import FledgeEvents
import FledgeTrain
import Foundation
import Testing

/// A hand-made "pretraining" config: the churn example, as a foundation checkpoint would store it.
private func pretrainingConfig() throws -> EventsConfig {
    var base = try EventsConfig.load(path: "Examples/configs/events-churn.yaml", overrides: ["experiment.run_id=pretrain-1"])
    base.target = nil
    base.dataParams.numericEncoding = .standard  // what a pretraining config can hold (PretrainConfig refuses others)
    base.dataParams.testEndDate = "2024-06-20"
    base.training.earlyStopping?.minDelta = 0.01
    return base
}

private func fineTuneError(_ yaml: String, overrides: [String] = []) throws -> ConfigError? {
    do {
        _ = try FineTuneConfig.load(yaml: yaml, base: try pretrainingConfig(), overrides: overrides)
        return nil
    } catch let error as ConfigError {
        return error
    }
}

@Suite struct FineTuneConfigTests {
    @Test func sectionsOverrideThePretrainingConfigKeyByKey() throws {
        let base = try pretrainingConfig()
        let yaml = """
            target: {type: propensity, category_column: event, categories: [purchase, product_view]}
            data_params:
              check_target_for_next_N_days: 14
              training_entity_fraction: 0.3
              test_end_date: null
            training:
              learning_rate: 3.0e-4
              early_stopping: {patience: 2}
            fine_tuning: {warm_start_steps: 25}
            experiment: {name: propensity-finetune}
            """
        let config = try FineTuneConfig.load(yaml: yaml, base: base)
        let events = config.events
        #expect(events.target?.type == .propensity)
        #expect(events.model.task == .multilabel)
        // Overridden keys.
        #expect(events.dataParams.checkTargetForNextNDays == 14)
        #expect(events.dataParams.trainingEntityFraction == 0.3)
        #expect(events.dataParams.testEndDate == nil)
        #expect(events.training.learningRate == 3e-4)
        #expect(events.training.earlyStopping?.patience == 2)
        #expect(events.experiment.name == "propensity-finetune")
        #expect(config.fineTuning.warmStartSteps == 25)
        // Inherited keys, including the sibling of an overridden nested key.
        #expect(events.dataSources == base.dataSources)
        #expect(events.dataParams.validationStartDate == "2024-05-01")
        #expect(events.dataParams.maximumSplitpointsPerEntity == 8)
        #expect(events.dataParams.useRecencySketches)
        #expect(events.training.epochs == 30)
        #expect(events.training.optimizer == .adamw)
        #expect(events.training.earlyStopping?.minDelta == 0.01)
        #expect(events.experiment.seed == 0)
        // Not inherited: the pretraining run's id, loss and metrics.
        #expect(events.experiment.runId == nil)
        #expect(events.training.metrics == nil)
    }

    @Test func monadTrainingFieldsAreAcceptedUnderTheirFledgeKeys() throws {
        let yaml = """
            target: {type: churn}
            training:
              epochs: 3
              devices: 1
              accelerator: cpu
              precision: 32
              limit_train_batches: 0.5
              limit_val_batches: 2
              loss: bce_with_logits
              metrics: [auroc]
              metric_to_monitor: val_auroc
              metric_monitoring_mode: max
              gradient_clip_val: 1.0
            experiment: {experiment_dir: /tmp/finetune-runs}
            """
        let config = try FineTuneConfig.load(yaml: yaml, base: try pretrainingConfig(),
                                             overrides: ["fine_tuning.warm_start_steps=7", "target.top_k=3"])
        let training = config.events.training
        #expect(training.epochs == 3 && training.devices == 1 && training.accelerator == .cpu)
        #expect(training.limitTrainBatches == .fraction(0.5) && training.limitValBatches == .count(2))
        #expect(training.loss == .bceWithLogits && training.metrics == ["auroc"])
        #expect(training.metricToMonitor == "val_auroc" && training.metricMode == .max)
        #expect(training.gradientClipVal == 1.0)
        #expect(config.events.experiment.experimentDir == "/tmp/finetune-runs")
        #expect(config.fineTuning.warmStartSteps == 7)
        #expect(config.events.target?.topK == 3)

        let gpu = try #require(try fineTuneError("target: {type: churn}\ntraining: {accelerator: gpu}"))
        #expect(gpu.keyPath == "training.accelerator")
        #expect(gpu.message.contains("Fledge trains on the CPU"), "\(gpu)")
    }

    @Test func loadingConfigOverridesOneSourceAndRejectsDatasourceCfg() throws {
        let yaml = "target: {type: churn}\nloading_config:\n  clicks: {path: other.csv, delimiter: ';'}\n"
        let config = try FineTuneConfig.load(yaml: yaml, base: try pretrainingConfig())
        let source = try #require(config.events.dataSources.first)
        #expect(source.path == "other.csv" && source.delimiter == ";")
        #expect(source.mainEntityColumn == "user_id" && source.disallowedColumns == ["session_id"])

        let replaced = try #require(try fineTuneError("target: {type: churn}\nloading_config:\n  clicks:\n    datasource_cfg: {path: x.csv}\n"))
        #expect(replaced.keyPath == "loading_config.clicks.datasource_cfg")
        #expect(replaced.message.contains("cannot be replaced"), "\(replaced)")
        #expect(replaced.description.contains("finetune.yaml:"), "\(replaced)")

        let unknown = try #require(try fineTuneError("target: {type: churn}\nloading_config:\n  views: {path: x.csv}\n"))
        #expect(unknown.message.contains("no data source is named \"views\"") && unknown.message.contains("clicks"), "\(unknown)")
        let badKey = try #require(try fineTuneError("target: {type: churn}\nloading_config:\n  clicks: {pth: x.csv}\n"))
        #expect(badKey.keyPath == "loading_config.clicks.pth")
    }

    @Test func badFineTuningValuesAreLocatedErrors() throws {
        let valid = try #require(try fineTuneError("target: {type: churn}\ndata_params: {target_sampling_strategy: valid}\n"))
        #expect(valid.keyPath == "data_params.target_sampling_strategy")
        #expect(valid.message.contains("must be random"), "\(valid)")
        #expect(valid.description.hasPrefix("finetune.yaml:2:"), "\(valid)")
        let encoding = try #require(try fineTuneError("target: {type: churn}\ndata_params: {numeric_encoding: piecewise_linear}\n"))
        #expect(encoding.keyPath == "data_params.numeric_encoding")
        #expect(encoding.message.contains("must be standard for a foundation model"), "\(encoding)")
        let term = try #require(try fineTuneError("target: {type: next_items, item_column: event}\ndata_params: {item_history_term: true}\n"))
        #expect(term.keyPath == "data_params.item_history_term")
        #expect(term.message.contains("not a foundation model"), "\(term)")

        let model = try #require(try fineTuneError("target: {type: churn}\nmodel: {layers: [8]}\n"))
        #expect(model.keyPath == "model")
        let negative = try #require(try fineTuneError("target: {type: churn}\nfine_tuning: {warm_start_steps: -1}\n"))
        #expect(negative.keyPath == "fine_tuning.warm_start_steps")
        let rate = try #require(try fineTuneError("target: {type: churn}\nfine_tuning: {backbone_learning_rate_multiplier: 0}\n"))
        #expect(rate.keyPath == "fine_tuning.backbone_learning_rate_multiplier")
        #expect(rate.message.contains("above 0") && rate.message.contains("warm_start_steps"), "\(rate)")
        let l2sp = try #require(try fineTuneError("target: {type: churn}\nfine_tuning: {l2sp_strength: -0.1}\n"))
        #expect(l2sp.keyPath == "fine_tuning.l2sp_strength")
        let fraction = try #require(try fineTuneError("target: {type: churn}\ndata_params: {training_entity_fraction: 0}\n"))
        #expect(fraction.keyPath == "data_params.training_entity_fraction")
        let typed = try #require(try fineTuneError("target: {type: churn}\ntraining: {epochs: many}\n"))
        #expect(typed.description.hasPrefix("finetune.yaml:2:"), "\(typed)")
    }

    @Test func exampleFineTuneConfigsLoadOverThePretrainingExample() throws {
        let base = try PretrainConfig.load(path: "Examples/configs/foundation-pretrain.yaml").eventsConfig
        for (name, kind) in [("churn", DeclarativeTarget.Kind.churn), ("propensity", .propensity), ("spend", .spend),
                             ("next-items", .nextItems)] {
            let config = try FineTuneConfig.load(path: "Examples/configs/foundation-finetune-\(name).yaml", base: base)
            #expect(config.events.target?.type == kind, "\(name)")
            #expect(config.events.dataSources == base.dataSources && config.events.dataParams == base.dataParams, "\(name)")
            #expect(config.fineTuning.warmStartSteps == 10, "\(name)")
        }
    }
}

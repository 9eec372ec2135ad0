extension FledgeConfig {
    /// A commented configuration for `task`, the file `fledge init --task <task>` prints: the keys
    /// a first run needs with sensible values, and the common optional ones commented out.
    /// It loads without error (column and file names are placeholders to edit).
    public static func template(task: TaskKind) -> String {
        let facts = TemplateFacts(task: task)
        return """
        # Fledge training configuration (\(task.rawValue)).
        # Train with: fledge train config.yaml   (override any key: --set training.learning_rate=3e-4)
        # Every key not written here takes its documented default; see the resolved
        # config.yaml in the run folder for the full list.

        experiment:
          name: my-\(task.rawValue)-experiment
          seed: 42                    # weights, dropout, shuffling and splits all derive from it
          experiment_dir: runs        # each run writes runs/<run_id>/
          # run_id: first-try         # default: a timestamp

        data:
          train_path: data/train.csv  # CSV with a header row
          # validation_path: data/val.csv   # default: hold out validation_split of train_path
          # test_path: data/test.csv        # default: hold out test_size of train_path
        \(facts.labelLines)
          # id_column: id             # kept out of the features, written next to predictions
          # drop_columns: [notes]
          # column_types: {zip_code: categorical}   # numeric | categorical | boolean | date
          missing_values: impute      # impute (mean / mode) | fail
          categorical_encoding: one_hot   # one_hot | embedding
          standardize: true           # statistics from the training split only
          validation_split: 0.15      # 70/15/15 split; 0.2 + 0.2 gives 60/20/20
          test_size: 0.15
          stratify: \(task.isClassification ? "true " : "false")             # keep class proportions in every split

        model:
          task: \(task.rawValue)\(String(repeating: " ", count: max(1, 20 - task.rawValue.count)))# binary | multiclass | multilabel | regression
          type: mlp
          layers: [128, 64]           # hidden widths
          activation: relu            # relu | leaky_relu | gelu | gelu_tanh | tanh | sigmoid | softplus
          dropout: 0.1
          normalization: none         # none | batch | layer
          # gradient_checkpointing: false   # true: recompute activations in backward (deep MLPs, less memory)

        training:
          epochs: 30                  # or num_train_epochs
          batch_size: 32              # or train_batch_size
          learning_rate: 0.001
          optimizer: adamw            # sgd | momentum | adam | adamw | rmsprop | adagrad
          weight_decay: 0.01          # decoupled (AdamW-style) decay
          # l2_regularization: 0.0    # L2 penalty added to the gradients instead
          loss: \(task.defaultLoss.rawValue)\(String(repeating: " ", count: max(1, 20 - task.defaultLoss.rawValue.count)))# \(task.acceptedLosses.map(\.rawValue).joined(separator: " | "))
          metrics: [\(facts.metrics)]
          metric_to_monitor: val_loss   # or metric_for_best_model
          eval_strategy: epoch        # epoch | steps (with eval_steps) | no
          load_best_model_at_end: true
          # gradient_clip_val: 1.0
          # gradient_accumulation_steps: 1
          precision: 32-true          # 32-true | bf16-mixed (bf16 GEMMs, half the activation memory)
          early_stopping:
            patience: 5               # validation checks without improvement
            min_delta: 0.0
            # start_from_step: 0      # checks within the first N steps are not judged (a warm-up)
          checkpoint:
            save_strategy: best       # best | steps | epoch | no
            save_top_k: 1
            save_last: true
          scheduler:
            type: cosine_warmup       # constant | step | multistep | exponential | cosine | linear_warmup | cosine_warmup | one_cycle | reduce_on_plateau
            warmup_ratio: 0.05

        # seeds:                      # train several seeds, keep the best (docs/experiments.md)
        #   max_seeds: 3
        #   min_convergent_seeds: 2   # stop once this many reached the threshold
        #   convergent_score_threshold: 0.9   # on training.metric_to_monitor (or convergent_metric)

        """
    }
}

/// The parts of the template that differ between tasks.
private struct TemplateFacts {
    let labelLines: String
    let metrics: String

    init(task: TaskKind) {
        switch task {
        case .binary:
            labelLines = "  label_column: label         # two values (0/1, yes/no, ...)"
            metrics = "accuracy, f1, auroc"
        case .multiclass:
            labelLines = "  label_column: label         # one class name or number per row"
            metrics = "accuracy, f1_macro"
        case .multilabel:
            labelLines = "  label_columns: [label_a, label_b, label_c]   # one 0/1 column per label"
            metrics = "f1_micro, f1_macro"
        case .regression:
            labelLines = "  label_column: target        # a number per row"
            metrics = "rmse, mae, r2"
        }
    }
}

import ArgumentParser
import FledgeEvents
import FledgeTensor
import Foundation

/// `fledge-bench foundation`: how long a foundation model takes end to end on about `--events`
/// generated shop events (issue 7: "completes in minutes on 2 cores"). The shop is written as CSV
/// (as `fledge generate-events` does) and read back through the pretraining config, so every stage
/// is what `fledge pretrain` runs: load, representation fit (Cleora + EMDE), input sketches and
/// features, then `--epochs` epochs of pretraining, then fine-tuning for churn from the checkpoint. One JSON line per stage, with events/s
/// (the store's events over the stage's seconds) and the foreign load of the shared machine.
struct FoundationBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "foundation",
                                                    abstract: "Time each stage of a foundation model (load, representation, inputs, pretraining, fine-tuning) on generated shop events.")

    @Option(help: "About this many events: customers are chosen to give it.") var events = 1_000_000
    @Option(help: "Pretraining epochs (each redraws the split points).") var epochs = 2
    @Option(help: "foundation.hidden_layers, comma separated.") var hidden = "512,512"
    @Option(help: "data_params.maximum_splitpoints_per_entity") var splitPoints = 8
    @Option(help: "Fine-tuning epochs (churn).") var finetuneEpochs = 2
    @Option(help: "Where the generated CSV files go (kept; regenerated when missing).") var work = "runs/foundation-bench"

    func run() throws {
        // Events per customer of the shop's default setting, from a small population.
        var config = ShopGeneratorConfig(customers: 500, days: 365, startDate: "2023-01-01", seed: 7)
        let probe = try ShopEventGenerator(config: config).eventStore().eventCount
        config.customers = max(1, Int((Double(events) / Double(max(probe, 1)) * 500).rounded()))
        let directory = URL(fileURLWithPath: work).appendingPathComponent("shop-\(config.customers)")
        let generateWatch = Stopwatch()
        let generated = try ShopEventGenerator(config: config).write(to: directory)
        printJSONLine(["benchmark": "foundation_generate", "customers": config.customers, "events": generated.events,
                       "seconds": rounded(generateWatch.elapsed, 3), "foreign_cores": rounded(generateWatch.foreignCores, 2)])

        // Pretraining in a function of its own, so its inputs are freed before fine-tuning builds
        // its own, as when `fledge pretrain` and `fledge finetune` run one after the other.
        let (checkpoint, eventCount) = try pretrain(directory: directory)
        let threads = Threading.threadCount

        // Fine-tuning for churn from the checkpoint just written (Examples/configs/foundation-finetune-churn.yaml).
        let loadWatch = Stopwatch()
        let foundation = try FoundationModel.load(from: checkpoint)
        let finetuneConfig = try FineTuneConfig.load(yaml: Self.finetuneYAML(epochs: finetuneEpochs),
                                                     base: foundation.description.config.eventsConfig,
                                                     source: "fledge-bench foundation")
        let tuner = try FoundationFineTuner(foundation: foundation, config: finetuneConfig, progress: nil)
        let tunePrepareSeconds = loadWatch.elapsed
        let tuneRows = tuner.trainer.data.train.count
        let tuneWatch = Stopwatch()
        let tuned = try tuner.fit()
        let tuneSeconds = tuneWatch.elapsed
        let test = try tuner.evaluate(.test)
        var tuneLine: [String: Any] = ["benchmark": "foundation_finetune", "task": "churn", "events": eventCount, "epochs": tuned.epochs,
                       "steps": tuned.globalStep, "train_samples": tuneRows,
                       "prepare_seconds": rounded(tunePrepareSeconds, 3),
                       "prepare_events_per_s": rounded(Double(eventCount) / tunePrepareSeconds, 0),
                       "seconds": rounded(tuneSeconds, 3), "events_per_s": rounded(Double(eventCount) / tuneSeconds, 0),
                       "samples_per_s": rounded(Double(tuneRows * tuned.epochs) / tuneSeconds, 0),
                       "threads": threads, "foreign_cores": rounded(loadWatch.foreignCores, 2)]
        for (name, value) in tuned.validationMetrics { tuneLine["validation_" + name] = Self.number(value) }
        for (name, value) in test { tuneLine["test_" + name] = Self.number(value) }
        printJSONLine(tuneLine)
        let total = generateWatch.elapsed
        printJSONLine(["benchmark": "foundation_total", "events": eventCount, "seconds": rounded(total, 3),
                       "stages": "generate+load+representation+inputs+pretrain+finetune",
                       "events_per_s": rounded(Double(eventCount) / total, 0), "foreign_cores": rounded(generateWatch.foreignCores, 2)])
    }

    /// Reads the generated files, fits the representation, builds the inputs and pretrains (one JSON
    /// line per stage); returns the checkpoint.
    private func pretrain(directory: URL) throws -> (checkpoint: URL, eventCount: Int) {
        let yaml = Self.pretrainYAML(data: directory.path, work: work, epochs: epochs, hidden: hidden, splitPoints: splitPoints)
        let pretrainConfig = try PretrainConfig.load(yaml: yaml, source: "fledge-bench foundation")
        let prepareWatch = Stopwatch()
        let pretrainer = try FoundationPretrainer(config: pretrainConfig, progress: nil)
        let prepared = pretrainer.timings
        let eventCount = pretrainer.store.eventCount
        let threads = Threading.threadCount
        printJSONLine(["benchmark": "foundation_load", "events": eventCount, "entities": pretrainer.store.entityCount,
                       "seconds": rounded(prepared.load, 3), "events_per_s": rounded(Double(eventCount) / prepared.load, 0),
                       "threads": threads, "foreign_cores": rounded(prepareWatch.foreignCores, 2)])
        let representation = pretrainer.representation
        printJSONLine(["benchmark": "foundation_representation", "events": eventCount,
                       "fitted_events": representation.fittedEvents, "items": representation.items.count,
                       "seconds": rounded(prepared.representation, 3),
                       "events_per_s": rounded(Double(eventCount) / prepared.representation, 0),
                       "fitted_events_per_s": rounded(Double(representation.fittedEvents) / prepared.representation, 0),
                       "threads": threads])
        let trainSamples = pretrainer.trainingSamples.samples.count, validationSamples = pretrainer.validationSamples.samples.count
        printJSONLine(["benchmark": "foundation_inputs", "events": eventCount, "train_samples": trainSamples,
                       "validation_samples": validationSamples, "input_width": pretrainer.network.inputSize,
                       "seconds": rounded(prepared.firstInputs, 3), "events_per_s": rounded(Double(eventCount) / prepared.firstInputs, 0),
                       "samples_per_s": rounded(Double(trainSamples + validationSamples) / prepared.firstInputs, 0), "threads": threads])

        let fitWatch = Stopwatch()
        let result = try pretrainer.fit()
        let fitSeconds = fitWatch.elapsed
        var line: [String: Any] = ["benchmark": "foundation_pretrain", "events": eventCount, "epochs": result.training.epochs,
                                   "steps": result.training.globalStep, "hidden_layers": hidden, "samples_per_epoch": trainSamples,
                                   "seconds": rounded(fitSeconds, 3), "training_seconds": rounded(result.timings.training, 3),
                                   "resampled_inputs_seconds": rounded(result.timings.resampledInputs, 3),
                                   "events_per_s": rounded(Double(eventCount) / fitSeconds, 0),
                                   "events_per_s_per_epoch": rounded(Double(eventCount) * Double(result.training.epochs) / fitSeconds, 0),
                                   "samples_per_s": rounded(Double(trainSamples * result.training.epochs) / fitSeconds, 0),
                                   "baseline_val_loss": Self.number(result.baselineLoss),
                                   "threads": threads, "foreign_cores": rounded(fitWatch.foreignCores, 2)]
        for (name, value) in result.training.validationMetrics { line[name] = Self.number(value) }
        printJSONLine(line)
        guard let checkpoint = result.checkpoint else { throw ValidationError("pretraining wrote no checkpoint") }
        return (checkpoint, eventCount)
    }

    /// A metric for JSON: rounded, or null when not finite (JSONSerialization rejects NaN).
    static func number(_ value: Double) -> Any { value.isFinite ? rounded(value, 4) : NSNull() }

    /// Examples/configs/foundation-finetune-churn.yaml's settings, except a 50-step warm start (the example's is 10):
    /// the speed figures in docs/foundation.md#speed were measured with 50.
    static func finetuneYAML(epochs: Int) -> String {
        """
        experiment: {name: foundation-bench-churn}
        target: {type: churn}
        training: {epochs: \(epochs), learning_rate: 3.0e-4, metrics: [auroc]}
        fine_tuning: {warm_start_steps: 50}
        """
    }

    /// Examples/configs/foundation-pretrain.yaml's settings on the generated files.
    static func pretrainYAML(data: String, work: String, epochs: Int, hidden: String, splitPoints: Int) -> String {
        """
        experiment: {name: foundation-bench, seed: 0, experiment_dir: \(work)/runs}
        data_sources:
          - {type: event, name: events, path: \(data)/events.csv, main_entity_column: customer_id, date_column: timestamp,
             date_format: "yyyy-MM-dd HH:mm:ss", column_type_overrides: {product_id: id}}
          - {type: main_entity_attribute, name: customers, path: \(data)/customers.csv, main_entity_column: customer_id}
          - {type: attribute, name: products, path: \(data)/products.csv, join_key: product_id, disallowed_columns: [category]}
        data_params:
          data_start_date: 2023-01-01
          validation_start_date: 2023-11-01
          test_start_date: 2023-12-01
          check_target_for_next_N_days: 30
          maximum_splitpoints_per_entity: \(splitPoints)
          timebased_encoding: fourier
          use_recency_sketches: true
        representation: {item_column: product_id, embedding_dimension: 64, cleora_iterations: 4, sketch_partitions: 16,
                         sketch_buckets: 64, half_lives_days: [7, 30, 180]}
        foundation: {hidden_layers: [\(hidden)], dropout: 0.1, normalization: layer, top_k: 10}
        training: {epochs: \(epochs), batch_size: 256, optimizer: adamw, learning_rate: 1.0e-3, weight_decay: 0.01,
                   metric_to_monitor: val_loss}
        """
    }
}

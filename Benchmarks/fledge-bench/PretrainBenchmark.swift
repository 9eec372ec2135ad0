import ArgumentParser
import FledgeEvents
import FledgeTensor
import FledgeTrain
import Foundation

/// `fledge-bench pretrain`: foundation-model pretraining end to end on the synthetic shop
/// (written as CSV, then read as `fledge pretrain` reads it): load, representation, inputs,
/// training; events/s per stage, the validation sketch loss against the mean-sketch baseline and
/// recall@10. Prints one JSON line.
struct PretrainBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "pretrain",
                                                    abstract: "Measure foundation-model pretraining (events/s per stage) on the synthetic shop.")

    @Option(help: "Customers simulated.") var customers = 5_000
    @Option(help: "Days simulated from 2023-01-01 (validation starts 61 days before the end).") var days = 365
    @Option(help: "Generator seed.") var seed: UInt64 = 7
    @Option(help: "Epochs.") var epochs = 3
    @Option(help: "foundation.hidden_layers, comma-separated.") var hidden = "512,512"
    @Option(help: "representation.sketch_partitions") var partitions = 16
    @Option(help: "representation.sketch_buckets") var buckets = 64
    @Option(help: "data_params.maximum_splitpoints_per_entity") var splitsPerEntity = 8
    @Option(help: "training.batch_size") var batchSize = 256
    @Option(help: "A folder for the generated CSV files and the run (default: a temporary folder, removed).") var work: String?

    func run() throws {
        let folder = URL(fileURLWithPath: work ?? FileManager.default.temporaryDirectory
            .appendingPathComponent("fledge-bench-pretrain-\(UUID().uuidString)").path)
        defer { if work == nil { try? FileManager.default.removeItem(at: folder) } }
        let shop = folder.appendingPathComponent("shop")
        let generateWatch = Stopwatch()
        let summary = try ShopEventGenerator(config: ShopGeneratorConfig(customers: customers, days: days, seed: seed))
            .write(to: shop)
        let generateSeconds = generateWatch.elapsed
        let end = try TimestampParser(format: "iso8601").parse("2023-01-01")! + Int64(days) * 86_400
        let validation = TimestampParser.dayText(end - 61 * 86_400)
        let config = try PretrainConfig.load(yaml: """
            experiment: {name: bench-pretrain, seed: 0, experiment_dir: \(folder.appendingPathComponent("runs").path)}
            data_sources:
              - {type: event, path: \(shop.appendingPathComponent("events.csv").path), main_entity_column: customer_id,
                 date_column: timestamp, date_format: "yyyy-MM-dd HH:mm:ss", column_type_overrides: {product_id: id}}
              - {type: main_entity_attribute, path: \(shop.appendingPathComponent("customers.csv").path), main_entity_column: customer_id}
            data_params: {data_start_date: 2023-01-01, validation_start_date: \(validation), check_target_for_next_N_days: 30,
                          maximum_splitpoints_per_entity: \(splitsPerEntity), use_recency_sketches: true}
            representation: {item_column: product_id, sketch_partitions: \(partitions), sketch_buckets: \(buckets)}
            foundation: {hidden_layers: [\(hidden)], dropout: 0.1}
            training: {epochs: \(epochs), batch_size: \(batchSize), optimizer: adamw, learning_rate: 1.0e-3, weight_decay: 0.01,
                       checkpoint: {save_strategy: "no"}}
            """, source: "bench-pretrain.yaml")
        let watch = Stopwatch()
        let pretrainer = try FoundationPretrainer(config: config, progress: nil)
        let result = try pretrainer.fit()
        let seconds = watch.elapsed
        let t = result.timings
        let events = Double(pretrainer.store.eventCount)
        let samples = Double(result.samplesPerEpoch * result.training.epochs)
        var line: [String: Any] = [
            "benchmark": "pretrain", "customers": customers, "events": summary.events, "generate_seconds": rounded(generateSeconds, 2),
            "items": pretrainer.representation.items.count, "input_width": pretrainer.network.inputSize,
            "hidden_layers": pretrainer.network.hiddenLayers, "output_width": pretrainer.network.outputSize,
            "parameters": pretrainer.network.parameterCount, "samples_per_epoch": result.samplesPerEpoch,
            "validation_samples": pretrainer.validationSamples.samples.count, "epochs": result.training.epochs,
            "threads": Threading.threadCount, "seconds": rounded(seconds, 2),
            "load_seconds": rounded(t.load, 2), "representation_seconds": rounded(t.representation, 2),
            "first_inputs_seconds": rounded(t.firstInputs, 2), "redrawn_inputs_seconds": rounded(t.resampledInputs, 2),
            "training_seconds": rounded(t.training, 2),
            "load_events_per_s": rounded(events / t.load, 0), "representation_events_per_s": rounded(events / t.representation, 0),
            "input_samples_per_s": rounded(samples / max(t.firstInputs + t.resampledInputs, 1e-9), 0),
            "training_samples_per_s": rounded(samples / t.training, 0),
            "events_per_s_overall": rounded(events / t.total, 0),
            "val_baseline_loss": rounded(result.baselineLoss, 4), "foreign_cores": rounded(watch.foreignCores, 2),
        ]
        for (name, value) in result.training.validationMetrics { line[name] = rounded(value, 4) }
        printJSONLine(line)
    }
}

import FledgeEvents
import Foundation

/// A tiny generated shop (200 customers, 240 days from 2023-01-01, 40 products) shared by the
/// foundation tests, and a pretraining config over it that trains in seconds in debug builds.
enum TinyShop {
    /// The folder with events.csv, customers.csv and products.csv (generated once per test process).
    static let directory: URL = {
        let url = URL(fileURLWithPath: temporaryPath("tiny-shop"))
        var config = ShopGeneratorConfig(customers: 200, days: 240, startDate: "2023-01-01", seed: 5)
        config.categories = 4
        config.productsPerCategory = 10
        _ = try! ShopEventGenerator(config: config).write(to: url)
        return url
    }()

    static let validationStart = "2023-07-15"

    /// The pretraining YAML over `events` (default: the generated events.csv).
    static func yaml(events: String? = nil, experimentDirectory: String, epochs: Int = 4) -> String {
        """
        experiment: {name: tiny-foundation, seed: 1, experiment_dir: \(experimentDirectory), run_id: tiny}
        data_sources:
          - {type: event, path: \(events ?? directory.appendingPathComponent("events.csv").path), main_entity_column: customer_id,
             date_column: timestamp, date_format: "yyyy-MM-dd HH:mm:ss", column_type_overrides: {product_id: id}}
        data_params: {data_start_date: 2023-01-01, validation_start_date: \(validationStart), check_target_for_next_N_days: 30,
                      maximum_splitpoints_per_entity: 4, window_days: [30]}
        representation: {item_column: product_id, embedding_dimension: 8, cleora_iterations: 3, sketch_partitions: 4,
                         sketch_buckets: 8, half_lives_days: [7, 60]}
        foundation: {hidden_layers: [32], dropout: 0.0, top_k: 5}
        training: {epochs: \(epochs), batch_size: 64, learning_rate: 3.0e-3, optimizer: adamw}
        """
    }

    static func config(events: String? = nil, experimentDirectory: String, epochs: Int = 4) throws -> PretrainConfig {
        try PretrainConfig.load(yaml: yaml(events: events, experimentDirectory: experimentDirectory, epochs: epochs))
    }
}

import Foundation
import Testing

/// A tiny generated shop (120 customers over 240 days) and a pretraining config over it: the data
/// the foundation-model CLI tests (`fledge pretrain`, `fledge finetune`) start from.
enum TinyShop {
    /// Generates the shop into `<directory>/shop` with `fledge generate-events`; returns that folder.
    static func generate(in directory: TemporaryDirectory) throws -> String {
        let shop = directory.path("shop")
        let generate = try FledgeProcess.run(["generate-events", "--customers", "120", "--days", "240", "--categories", "3",
                                              "--products-per-category", "8", "--seed", "3", "--out", shop])
        #expect(generate.status == 0, "\(generate.stderr)")
        return shop
    }

    /// Writes `<directory>/pretrain.yaml` (run `<directory>/runs/tiny`, source named `events`,
    /// validation from 2023-07-15) for the shop in `shop`; returns its path.
    static func writePretrainConfig(in directory: TemporaryDirectory, shop: String, epochs: Int,
                                    testStartDate: String? = nil) throws -> String {
        let config = directory.path("pretrain.yaml")
        let testStart = testStartDate.map { "test_start_date: \($0), " } ?? ""
        try """
            experiment: {name: tiny, seed: 0, experiment_dir: \(directory.path("runs")), run_id: tiny}
            data_sources:
              - {type: event, name: events, path: \(shop)/events.csv, main_entity_column: customer_id, date_column: timestamp,
                 date_format: "yyyy-MM-dd HH:mm:ss", column_type_overrides: {product_id: id}}
            data_params: {data_start_date: 2023-01-01, validation_start_date: 2023-07-15, \(testStart)
                          check_target_for_next_N_days: 30, maximum_splitpoints_per_entity: 3}
            representation: {item_column: product_id, embedding_dimension: 8, sketch_partitions: 4, sketch_buckets: 8,
                             half_lives_days: [7, 60]}
            foundation: {hidden_layers: [16], dropout: 0.0, top_k: 5}
            training: {epochs: \(epochs), batch_size: 64}
            """.write(toFile: config, atomically: true, encoding: .utf8)
        return config
    }
}

import Foundation
import Testing

/// `fledge pretrain` on a tiny generated shop, as a user runs it.
@Suite struct PretrainCommandTests {
    @Test func pretrainPrintsSamplesLossesAndTheCheckpoint() throws {
        let directory = try TemporaryDirectory()
        let shop = directory.path("shop")
        let generate = try FledgeProcess.run(["generate-events", "--customers", "120", "--days", "240", "--categories", "3",
                                              "--products-per-category", "8", "--seed", "3", "--out", shop])
        #expect(generate.status == 0, "\(generate.stderr)")
        let config = directory.path("pretrain.yaml")
        try """
            experiment: {name: tiny, seed: 0, experiment_dir: \(directory.path("runs")), run_id: tiny}
            data_sources:
              - {type: event, path: \(shop)/events.csv, main_entity_column: customer_id, date_column: timestamp,
                 date_format: "yyyy-MM-dd HH:mm:ss", column_type_overrides: {product_id: id}}
            data_params: {data_start_date: 2023-01-01, validation_start_date: 2023-07-15, check_target_for_next_N_days: 30,
                          maximum_splitpoints_per_entity: 3}
            representation: {item_column: product_id, embedding_dimension: 8, sketch_partitions: 4, sketch_buckets: 8,
                             half_lives_days: [7, 60]}
            foundation: {hidden_layers: [16], dropout: 0.0, top_k: 5}
            training: {epochs: 2, batch_size: 64}
            """.write(toFile: config, atomically: true, encoding: .utf8)

        let output = try FledgeProcess.run(["pretrain", config, "--quiet"])
        #expect(output.status == 0, "\(output.stderr)")
        let lines = output.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("loaded ") == true && lines[0].contains(" entities from \(shop)/events.csv"))
        #expect(lines.contains { $0.hasPrefix("representation: ") && $0.contains("items of product_id") })
        #expect(lines.contains { $0.hasPrefix("train: ") && $0.contains("samples per epoch") })
        #expect(lines.contains { $0.hasPrefix("validation: ") && $0.contains("(split 2023-07-15, target until 2023-08-14)") })
        #expect(lines.contains { $0.hasPrefix("pretrained ") && $0.contains("2 epochs") && $0.contains("events/s") })
        #expect(lines.contains { $0.hasPrefix("validation: ") && $0.contains("val_loss") && $0.contains("val_recall@5") })
        #expect(lines.contains { $0.hasPrefix("baseline (mean training sketch): val_loss ") })
        let checkpoint = directory.path("runs/tiny/foundation")
        #expect(lines.last == "checkpoint: \(checkpoint)")
        #expect(FileManager.default.fileExists(atPath: checkpoint + "/foundation.json"))
        #expect(FileManager.default.fileExists(atPath: checkpoint + "/model.safetensors"))
        // The checkpoint is the model: no FledgeTrain bundle; predicting from it says to fine-tune first.
        #expect(!FileManager.default.fileExists(atPath: directory.path("runs/tiny/model")))
        let predict = try FledgeProcess.run(["predict", directory.path("runs/tiny"), "--prediction-date", "2023-08-01",
                                             "--out", directory.path("predictions.tsv")])
        #expect(predict.status == 1 && predict.stderrLines.count == 1 && predict.stderr.contains("fledge finetune"), "\(predict.stderr)")

        let typo = try FledgeProcess.run(["pretrain", config, "--set", "foundation.hiden_layers=[8]"])
        #expect(typo.status == 1)
        #expect(typo.stderrLines.count == 1 && typo.stderr.contains("did you mean foundation.hidden_layers?"), "\(typo.stderr)")
    }
}

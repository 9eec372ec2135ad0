import Foundation
import Testing

/// `fledge pretrain` on a tiny generated shop, as a user runs it.
@Suite struct PretrainCommandTests {
    @Test func pretrainPrintsSamplesLossesAndTheCheckpoint() throws {
        let directory = try TemporaryDirectory()
        let shop = try TinyShop.generate(in: directory)
        let config = try TinyShop.writePretrainConfig(in: directory, shop: shop, epochs: 2)

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

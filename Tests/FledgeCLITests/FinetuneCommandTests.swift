import Foundation
import Testing

/// `fledge pretrain`, then `fledge finetune` (from the backbone and from scratch), `fledge predict`
/// and `fledge test` on the fine-tuned run, as a user runs them.
@Suite struct FinetuneCommandTests {
    @Test func finetunePrintsTheRunAndItsBundlePredictsAndTests() throws {
        let directory = try TemporaryDirectory()
        let shop = try TinyShop.generate(in: directory)
        let pretrainConfig = try TinyShop.writePretrainConfig(in: directory, shop: shop, epochs: 1, testStartDate: "2023-08-15")
        let pretrain = try FledgeProcess.run(["pretrain", pretrainConfig, "--quiet"])
        #expect(pretrain.status == 0, "\(pretrain.stderr)")

        let config = directory.path("finetune.yaml")
        try """
            experiment: {name: churn, run_id: churn}
            target: {type: churn, event_column: event_type, events: [purchase]}
            training: {epochs: 2, metrics: [auroc]}
            fine_tuning: {warm_start_steps: 3}
            loading_config: {events: {delimiter: ","}}
            """.write(toFile: config, atomically: true, encoding: .utf8)
        let output = try FledgeProcess.run(["finetune", config, "--foundation", directory.path("runs/tiny"), "--quiet"])
        #expect(output.status == 0, "\(output.stderr)")
        let lines = output.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first?.contains("from the pretrained backbone") == true, "\(output.stdout)")
        #expect(lines.contains { $0.hasPrefix("validation: ") && $0.contains("(split 2023-07-15") })
        let run = directory.path("runs/churn")
        #expect(lines.contains("run: \(run)"))
        #expect(lines.contains { $0.hasPrefix("test: ") && $0.contains("auroc") })

        let predictions = directory.path("churn.tsv")
        let predict = try FledgeProcess.run(["predict", run, "--prediction-date", "2023-08-25", "--out", predictions])
        #expect(predict.status == 0, "\(predict.stderr)")
        let tsv = try String(contentsOfFile: predictions, encoding: .utf8).split(separator: "\n")
        #expect(tsv.first == "entity_id\tprobability\tlabel" && tsv.count > 50)
        let test = try FledgeProcess.run(["test", run])
        #expect(test.status == 0 && test.stdout.contains("auroc"), "\(test.stdout)\(test.stderr)")

        let scratch = try FledgeProcess.run(["finetune", config, "--foundation", directory.path("runs/tiny/foundation"),
                                             "--from-scratch", "--set", "experiment.run_id=scratch", "--quiet"])
        #expect(scratch.status == 0, "\(scratch.stderr)")
        #expect(scratch.stdout.contains("from scratch"))

        let bad = try FledgeProcess.run(["finetune", config, "--foundation", directory.path("runs/tiny"),
                                         "--set", "loading_config.events.datasource_cfg={path: x.csv}"])
        #expect(bad.status == 1)
        #expect(bad.stderrLines.count == 1 && bad.stderr.contains("loading_config.events.datasource_cfg"), "\(bad.stderr)")
        let missing = try FledgeProcess.run(["finetune", config])
        #expect(missing.status == 1 && missing.stderr.contains("--foundation"), "\(missing.stderr)")
    }
}

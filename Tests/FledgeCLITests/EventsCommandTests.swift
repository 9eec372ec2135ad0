import Foundation
import Testing

/// `fledge train` on an events config, then `fledge test` and `fledge predict --prediction-date`.
@Suite struct EventsCommandTests {
    @Test func trainTestAndPredictAnEventsModel() throws {
        let directory = try TemporaryDirectory()
        let train = try FledgeProcess.run([
            "train", "Examples/configs/events-churn.yaml", "--quiet", "--set", "training.epochs=2",
            "--set", "experiment.experiment_dir=\(directory.path("runs"))", "--set", "experiment.run_id=churn",
        ])
        #expect(train.status == 0, "\(train.stderr)")
        #expect(train.stdout.contains("loaded 31106 events of 600 entities"))
        #expect(train.stdout.contains("validation: 535 samples (split 2024-05-01, target until 2024-05-29)"))
        #expect(train.stdout.contains("test: accuracy"))
        let run = directory.path("runs/churn")

        let test = try FledgeProcess.run(["test", run, "--out", directory.path("test.json")])
        #expect(test.status == 0, "\(test.stderr)")
        #expect(test.stdout.hasPrefix("test: "))
        #expect(test.stdout.contains("auroc"))

        let out = directory.path("churn.tsv")
        let predict = try FledgeProcess.run(["predict", run, "--prediction-date", "2024-07-01", "--threshold", "0.3",
                                             "--out", out])
        #expect(predict.status == 0, "\(predict.stderr)")
        #expect(predict.stdout == "wrote 600 predictions to \(out)\n")
        let lines = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n")
        #expect(lines.first == "entity_id\tprobability\tlabel")
        #expect(lines.count == 601)

        let some = try FledgeProcess.run(["predict", run, "--prediction-date", "2024-07-01", "--out", out,
                                          "--entity-ids", "user_0003", "nobody"])
        #expect(some.status == 1)
        #expect(some.stderr == "error: --entity-ids: \"nobody\" has no events in Examples/Data/shop_clickstream_synthetic.csv (column user_id)\n")
    }

    @Test func badEventInputIsOneClearLine() throws {
        let directory = try TemporaryDirectory()
        let data = directory.path("events.csv")
        try "user_id,timestamp,event\nu1,2024-01-05 10:00:00,view\nu2,05/01/2024,view\n"
            .write(toFile: data, atomically: true, encoding: .utf8)
        let config = directory.path("events.yaml")
        try """
            data_sources:
              - {type: event, path: \(data), main_entity_column: user_id, date_column: timestamp, date_format: "yyyy-MM-dd HH:mm:ss"}
            data_params: {data_start_date: 2024-01-01, validation_start_date: 2024-03-01}
            target: {type: churn}
            """.write(toFile: config, atomically: true, encoding: .utf8)
        let output = try FledgeProcess.run(["train", config])
        #expect(output.status == 1)
        #expect(output.stderr == "error: \(data):3:2: \"05/01/2024\" in date column \"timestamp\" does not match date_format \"yyyy-MM-dd HH:mm:ss\"; fix the value or set date_format (iso8601, a pattern such as yyyy-MM-dd HH:mm:ss, unix or unix_ms)\n")

        let unknown = try FledgeProcess.run(["train", config, "--set", "target.typo=1"])
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("target.typo is not a known key"))
    }
}

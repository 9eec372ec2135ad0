import FledgeTestSupport
import FledgeTrain
import Foundation

/// Small configs on the real datasets in `Tests/Fixtures/data`, writing into fresh temporary folders.
enum ExperimentFixtures {
    /// A fresh empty directory (removed when the test process exits).
    static func scratchDirectory() -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("fledge-tune-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// The path of a real dataset.
    static func dataPath(_ name: String) -> String {
        fixturesDirectory.appendingPathComponent("data/\(name).csv").path
    }

    /// A tiny, quick config (one hidden layer of 8, a few epochs) on `dataset`, writing to `directory`.
    static func config(_ dataset: String = "breast_cancer", task: TaskKind = .binary,
                       directory: URL, epochs: Int = 2, overrides: [String] = []) throws -> FledgeConfig {
        let yaml = """
            experiment:
              name: test
              seed: 3
              experiment_dir: \(directory.path)
              run_id: exp
            data:
              train_path: \(dataPath(dataset))
              label_column: target
            model:
              task: \(task.rawValue)
              layers: [8]
              dropout: 0.0
            training:
              epochs: \(epochs)
              batch_size: 64
              learning_rate: 0.01
              checkpoint:
                save_strategy: no
                save_last: false
            """
        return try FledgeConfig.load(yaml: yaml, overrides: overrides)
    }
}

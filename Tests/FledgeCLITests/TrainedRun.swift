import Foundation

/// One small training run of the binary example, shared by the tests that evaluate and predict
/// (training once keeps the suite fast). It lives in a temporary experiment directory.
enum TrainedRun {
    /// Overrides that keep the example run tiny: a few epochs, no early stop surprises.
    static let smallRun = ["--set", "training.epochs=3", "--quiet"]

    /// Batches per epoch of the binary example: 70% of 569 rows (the stratified split keeps 397) in 32s.
    static let batchesPerEpoch = 13

    /// The experiment directory holding the run (several tests read it concurrently, so it is
    /// removed only when the test process exits).
    static let experimentDirectory: URL = FileManager.default.temporaryDirectory
        .appendingPathComponent("fledge-cli-run-\(UUID().uuidString)")

    /// The outcome of `fledge train Examples/configs/binary.yaml` into ``experimentDirectory``.
    static let result: Result<(run: URL, output: FledgeOutput), any Error> = Result {
        // Removed when the test process exits, after every test that reads it has finished.
        atexit { try? FileManager.default.removeItem(at: TrainedRun.experimentDirectory) }
        let output = try FledgeProcess.run(
            ["train", "Examples/configs/binary.yaml",
             "--set", "experiment.experiment_dir=\(experimentDirectory.path)",
             "--set", "experiment.run_id=shared"] + smallRun
        )
        return (experimentDirectory.appendingPathComponent("shared"), output)
    }

    /// The run directory, or a thrown error if training failed.
    static func runDirectory() throws -> URL {
        let (run, output) = try result.get()
        guard output.status == 0 else {
            throw TrainingFailed(output: output)
        }
        return run
    }

    struct TrainingFailed: Error, CustomStringConvertible {
        let output: FledgeOutput
        var description: String { "fledge train exited \(output.status): \(output.stderr)" }
    }
}

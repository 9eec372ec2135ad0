import FledgeNN
import FledgeTensor
import Foundation
import Testing

/// `fledge train` data-parallel over MPI on loopback: 2 ranks train the same weights as one
/// process, checkpoints cross between the two, and a failing rank ends the job.
///
/// Tolerance: the ranks' gradients are summed in another order than one process sums the
/// rows of a batch (two half-batch GEMMs plus one addition), which changes float32 rounding,
/// about 1e-7 relative per step; Adam carries that over the steps. The weights must agree to
/// 1e-5 absolute (they are of order 0.1–1; the measured gap after 39 steps is ~1e-8).
@Suite(.enabled(if: MPIRun.isAvailable, "mpirun is not installed (apt install openmpi-bin; scripts/setup.sh does): data-parallel tests skipped"))
struct DataParallelTests {
    static let tolerance: Float = 1e-5

    /// The binary example without dropout (each rank draws its own dropout masks) and without
    /// restoring the best model, checkpointed every epoch (13 steps: 397 rows in 32s, the last
    /// batch of 13 rows splits 6/7 over the ranks, which exercises the uneven weighting).
    static func arguments(_ directory: String, run: String, epochs: Int, extra: [String] = []) -> [String] {
        ["train", "Examples/configs/binary.yaml", "--quiet",
         "--set", "experiment.experiment_dir=\(directory)", "--set", "experiment.run_id=\(run)",
         "--set", "model.dropout=0", "--set", "training.load_best_model_at_end=false",
         "--set", "training.checkpoint.save_strategy=epoch", "--set", "training.epochs=\(epochs)"] + extra
    }

    /// One process, 3 epochs: the weights every other run is compared with.
    static let reference: Result<[String: Tensor], any Error> = Result {
        let directory = try TemporaryDirectory()
        let output = try FledgeProcess.run(arguments(directory.url.path, run: "single", epochs: 3))
        guard output.status == 0 else { throw TrainedRun.TrainingFailed(output: output) }
        return try weights(directory.url.path, run: "single")
    }

    static func weights(_ directory: String, run: String) throws -> [String: Tensor] {
        try SafeTensors.read(from: URL(fileURLWithPath: directory).appendingPathComponent("\(run)/model/model.safetensors"))
    }

    static func largestDifference(_ a: [String: Tensor], _ b: [String: Tensor]) -> Float {
        #expect(a.keys.sorted() == b.keys.sorted())
        var largest: Float = 0
        for (key, tensor) in a {
            guard let other = b[key], other.shape == tensor.shape else { return .infinity }
            for (x, y) in zip(tensor.scalars, other.scalars) { largest = Swift.max(largest, abs(x - y)) }
        }
        return largest
    }

    @Test func twoRanksTrainTheSameWeightsAsOneProcessAndOnlyRankZeroWrites() throws {
        let directory = try TemporaryDirectory()
        // strategy: ddp with devices: 2 starts `mpirun -np 2` itself.
        let (output, timedOut) = try MPIRun.runFledge(Self.arguments(directory.url.path, run: "ddp", epochs: 3,
            extra: ["--set", "training.strategy=ddp", "--set", "training.devices=2"]))
        #expect(!timedOut)
        #expect(output.status == 0, "\(output.stderr)")
        let difference = Self.largestDifference(try Self.weights(directory.url.path, run: "ddp"), try Self.reference.get())
        #expect(difference <= Self.tolerance, "largest weight difference \(difference)")
        // Rank 0 alone printed the summary and wrote the run.
        #expect(output.stdout.components(separatedBy: "run: ").count == 2, "\(output.stdout)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.url.path) == ["ddp"])
        let steps = try String(contentsOfFile: directory.path("ddp/metrics.jsonl"), encoding: .utf8)
        #expect(steps.contains("\"step\":39"))
    }

    @Test func checkpointsCrossBetweenDistributedAndSingleProcessRuns() throws {
        let directory = try TemporaryDirectory(), path = directory.url.path
        let reference = try Self.reference.get()
        // Two epochs on 2 ranks, the third in one process.
        let distributed = try MPIRun.run([(2, Self.arguments(path, run: "ddp", epochs: 2))])
        #expect(!distributed.timedOut)
        #expect(distributed.output.status == 0, "\(distributed.output.stderr)")
        let resumedAlone = try FledgeProcess.run(Self.arguments(path, run: "ddp", epochs: 3,
            extra: ["--resume", directory.path("ddp/checkpoints/checkpoint-26")]))
        #expect(resumedAlone.status == 0, "\(resumedAlone.stderr)")
        #expect(Self.largestDifference(try Self.weights(path, run: "ddp"), reference) <= Self.tolerance)
        // Two epochs in one process, the third on 2 ranks.
        let single = try FledgeProcess.run(Self.arguments(path, run: "single", epochs: 2))
        #expect(single.status == 0, "\(single.stderr)")
        let resumedDistributed = try MPIRun.run([(2, Self.arguments(path, run: "single", epochs: 3,
            extra: ["--resume", directory.path("single/checkpoints/checkpoint-26")]))])
        #expect(!resumedDistributed.timedOut)
        #expect(resumedDistributed.output.status == 0, "\(resumedDistributed.output.stderr)")
        #expect(Self.largestDifference(try Self.weights(path, run: "single"), reference) <= Self.tolerance)
    }

    @Test func aRankThatFailsAbortsTheWholeJobWithItsError() throws {
        let directory = try TemporaryDirectory()
        // Rank 1 cannot read its data while rank 0 waits for it in the first collective.
        let good = Self.arguments(directory.url.path, run: "r", epochs: 2)
        let (output, timedOut) = try MPIRun.run([(1, good), (1, good + ["--set", "data.train_path=Examples/Data/missing.csv"])],
                                                timeLimit: 120)
        #expect(!timedOut, "the job hung instead of aborting")
        #expect(output.status != 0)
        #expect(output.stderr.contains("error: rank 1 of 2:"), "\(output.stderr)")
        #expect(output.stderr.contains("missing.csv"), "\(output.stderr)")
    }

    @Test func aNonFiniteLossStopsEveryRankTogether() throws {
        let directory = try TemporaryDirectory()
        let (output, timedOut) = try MPIRun.run([(2, Self.arguments(directory.url.path, run: "nan", epochs: 2,
            extra: ["--set", "training.learning_rate=1e30", "--set", "training.optimizer=sgd"]))], timeLimit: 120)
        #expect(!timedOut, "the job hung")
        #expect(output.status != 0)
        let reports = output.stderr.components(separatedBy: "error: training stopped: the loss became").count - 1
        #expect(reports == 1, "rank 0 alone reports the non-finite loss: \(output.stderr)")
    }

    @Test func aSingleStrategyUnderMPIRunIsRejected() throws {
        let directory = try TemporaryDirectory()
        let (output, timedOut) = try MPIRun.run([(2, Self.arguments(directory.url.path, run: "s", epochs: 1,
            extra: ["--set", "training.strategy=single"]))], timeLimit: 120)
        #expect(!timedOut)
        #expect(output.status != 0)
        #expect(output.stderr.contains("training.strategy is single but mpirun started 2 processes"), "\(output.stderr)")
    }
}

import ArgumentParser
import FledgeData
import FledgeDistributed
import FledgeNN
import FledgeOptim
import FledgeTensor
import Foundation

/// `mpirun -np N fledge-bench allreduce`: the time of an in-place Float32 sum over N ranks for
/// buffers from 4 KiB to 64 MiB; rank 0 prints one JSON line per size (the slowest rank's time).
/// `OMPI_MCA_btl=self,tcp` forces the TCP path over loopback, the default uses shared memory.
struct AllReduceBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "allreduce", abstract: "MPI allreduce time per MB (run under mpirun).")

    @Option(help: "Buffer sizes in bytes.") var bytes: [Int] = [4 << 10, 64 << 10, 1 << 20, 4 << 20, 16 << 20, 64 << 20]
    @Option(help: "Seconds to spend per size (at least 5 repetitions).") var seconds = 1.0

    func run() throws {
        let communicator = MPICommunicator.world()
        defer { communicator.finalize() }
        Threading.setThreadCount(Swift.max(1, ProcessInfo.processInfo.activeProcessorCount / communicator.size))
        for size in bytes {
            let count = Swift.max(1, size / MemoryLayout<Float>.stride)
            let buffer = UnsafeMutableBufferPointer<Float>.allocate(capacity: count)
            defer { buffer.deallocate() }
            buffer.initialize(repeating: 1)
            for _ in 0..<3 { communicator.allReduce(buffer) }
            var repetitions = 0
            communicator.barrier()
            let watch = Stopwatch()
            let start = DispatchTime.now().uptimeNanoseconds
            // Every rank must run the same number of repetitions: rank 0 decides when to stop.
            while true {
                communicator.allReduce(buffer)
                repetitions += 1
                let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
                if communicator.anyRank(communicator.rank == 0 && repetitions >= 5 && elapsed >= seconds) { break }
            }
            let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            let slowest = communicator.allReduce([elapsed], .max)[0]
            let perOperation = slowest / Double(repetitions)
            guard communicator.rank == 0 else { continue }
            let megabytes = Double(count * 4) / 1e6
            let ranks = Double(communicator.size)
            printJSONLine([
                "bench": "allreduce", "ranks": communicator.size, "bytes": count * 4, "repetitions": repetitions,
                "us_per_op": rounded(perOperation * 1e6, 1), "ms_per_mb": rounded(perOperation * 1e3 / megabytes, 4),
                "algbw_gb_s": rounded(Double(count * 4) / perOperation / 1e9, 3),
                // The bytes each rank sends and receives in a ring allreduce: 2(N-1)/N of the buffer.
                "busbw_gb_s": rounded(2 * (ranks - 1) / ranks * Double(count * 4) / perOperation / 1e9, 3),
                "btl": ProcessInfo.processInfo.environment["OMPI_MCA_btl"] ?? "default",
                "threads_per_rank": Threading.threadCount,
                // Cores other processes kept busy meanwhile (this rank's own and its peers' work included).
                "foreign_cores": rounded(watch.foreignCores, 2),
            ])
        }
    }
}

/// `mpirun -np N fledge-bench ddp`: the benchmark's big MLP (64→512→512→10, Adam) trained data
/// parallel with a global batch of 256 split over the ranks: samples/s of the whole job and the
/// per-step split between compute (forward, backward, optimizer) and the gradient allreduce.
struct DataParallelBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ddp", abstract: "Data-parallel big-MLP throughput (run under mpirun).")

    @Option(help: "Global batch size.") var batchSize = 256
    @Option(help: "Optimizer steps timed (after 10 warm-up steps).") var steps = 200
    @Option(help: "Threads per rank; default: the cores divided among the ranks.") var threads: Int?

    func run() throws {
        let communicator = MPICommunicator.world()
        defer { communicator.finalize() }
        Threading.setThreadCount(threads ?? Swift.max(1, ProcessInfo.processInfo.activeProcessorCount / communicator.size))
        let data = BenchmarkData.generate(featureCount: 64, informative: 32, redundant: 16, rows: 20_000)
        let model = MLP(inputSize: 64, layers: [512, 512], outputSize: BenchmarkData.classCount, activation: .relu, seed: 0)
        let optimizer = Adam(model.namedParameters, learningRate: 1e-3)
        let synchronizer = DataParallel(communicator: communicator)
        synchronizer.broadcastParameters(model.parameters)
        let sampler = DistributedSampler(rank: communicator.rank, worldSize: communicator.size)
        var generator = SeededGenerator(seed: 0)
        var order = Array(0..<data.trainCount).shuffled(using: &generator)
        var compute = 0.0, reduce = 0.0, position = 0
        communicator.barrier()
        var watch = Stopwatch()
        var start = DispatchTime.now().uptimeNanoseconds
        for step in 0..<(steps + 10) {
            if step == 10 {
                communicator.barrier()
                (compute, reduce, start, watch) = (0, 0, DispatchTime.now().uptimeNanoseconds, Stopwatch())
            }
            if position + batchSize > order.count { order.shuffle(using: &generator); position = 0 }
            let rows = sampler.shard(Array(order[position..<(position + batchSize)]))
            position += batchSize
            let t0 = DispatchTime.now().uptimeNanoseconds
            let inputs = Tensor(shape: [rows.count, 64], values: rows.flatMap { data.trainFeatures[($0 * 64)..<($0 * 64 + 64)] })
            optimizer.zeroGradients()
            crossEntropy(model(inputs), targets: IndexTensor(rows.map { data.trainLabels[$0] })).backward()
            let t1 = DispatchTime.now().uptimeNanoseconds
            synchronizer.averageGradients(of: model.parameters)
            let t2 = DispatchTime.now().uptimeNanoseconds
            optimizer.step()
            let t3 = DispatchTime.now().uptimeNanoseconds
            compute += Double(t1 - t0 + t3 - t2) / 1e9
            reduce += Double(t2 - t1) / 1e9
        }
        let elapsed = communicator.allReduce([Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9], .max)[0]
        let perRank = communicator.allReduce([compute, reduce], .average)
        guard communicator.rank == 0 else { return }
        let parameterBytes = model.parameters.reduce(0) { $0 + $1.shape.count } * 4
        printJSONLine([
            "bench": "ddp", "ranks": communicator.size, "threads_per_rank": Threading.threadCount,
            "global_batch": batchSize, "steps": steps, "gradient_mb": rounded(Double(parameterBytes) / 1e6, 3),
            "samples_per_s": rounded(Double(steps * batchSize) / elapsed),
            "ms_per_step": rounded(elapsed * 1e3 / Double(steps), 3),
            "compute_ms_per_step": rounded(perRank[0] * 1e3 / Double(steps), 3),
            "allreduce_ms_per_step": rounded(perRank[1] * 1e3 / Double(steps), 3),
            "btl": ProcessInfo.processInfo.environment["OMPI_MCA_btl"] ?? "default",
            "foreign_cores": rounded(watch.foreignCores, 2),
        ])
    }
}

import FledgeDistributed
import FledgeTensor
import FledgeTrain
import Foundation

/// How `fledge train` runs data-parallel: as one rank under mpirun, or by starting mpirun itself.
enum DataParallelRun {
    /// Starts `mpirun -np processes` on this same command line and exits with its status.
    static func relaunch(processes: Int) throws -> Never {
        guard let mpirun = executable(named: "mpirun") else {
            throw DistributedError(description: "training.devices: \(processes) needs Open MPI's mpirun, which is not on PATH; "
                + "install openmpi-bin (scripts/setup.sh does) or set training.devices: 1")
        }
        let me = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
        let process = Process()
        process.executableURL = mpirun
        process.arguments = DistributedLaunch.mpirunArguments(
            processes: processes, command: [me] + CommandLine.arguments.dropFirst(),
            cores: ProcessInfo.processInfo.activeProcessorCount, isRoot: getuid() == 0)
        try process.run()
        process.waitUntilExit()
        exit(process.terminationStatus)
    }

    /// Joins the MPI job, divides the cores among its ranks (unless FLEDGE_NUM_THREADS is set)
    /// and returns the synchronizer the Trainer uses.
    static func join() -> DataParallel {
        let communicator = MPICommunicator.world()
        if let threads = DistributedLaunch.threadsPerRank(
            environment: ProcessInfo.processInfo.environment, cores: ProcessInfo.processInfo.activeProcessorCount) {
            Threading.setThreadCount(threads)
        }
        return DataParallel(communicator: communicator)
    }

    /// Ends a rank after `error`: a non-finite loss is seen by every rank at once, so rank 0
    /// reports it and all exit with status 1; any other error may be this rank's alone, so it
    /// aborts the whole job (MPI_Abort) rather than leave the others waiting.
    static func fail(_ error: any Error, synchronizer: DataParallel) -> Never {
        if case TrainerError.nonFiniteLoss = error {
            if synchronizer.isPrimary { ErrorReport.print(error) }
            synchronizer.communicator.finalize()
            exit(1)
        }
        synchronizer.abort(message: ErrorReport.message(for: error))
    }

    private static func executable(named name: String) -> URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { URL(fileURLWithPath: String($0)).appendingPathComponent(name) }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }
}

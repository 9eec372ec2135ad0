import FledgeTrain
import Foundation

/// A data-parallel setting that cannot work, with what to do about it.
public struct DistributedError: Error, CustomStringConvertible, Equatable {
    /// The message, naming the config key or the mpirun option to change.
    public let description: String

    /// An error saying `description`.
    public init(description: String) { self.description = description }
}

/// Decides from the config (`training.strategy`, `training.devices`) and the environment mpirun
/// sets (`OMPI_COMM_WORLD_SIZE`, ...) whether this process trains alone, as one rank of a
/// data-parallel job, or should start that job itself under `mpirun`.
public enum DistributedLaunch {
    /// How `fledge train` runs.
    public enum Mode: Equatable, Sendable {
        /// One process.
        case single
        /// One rank of an MPI job of `processes` processes.
        case dataParallel(processes: Int)
        /// Not under mpirun but the config asks for `processes`: start `mpirun -np processes`.
        case relaunch(processes: Int)
    }

    /// The job size mpirun announced to this process, or nil when it was not started by mpirun.
    public static func launchedWorldSize(environment: [String: String]) -> Int? {
        for key in ["OMPI_COMM_WORLD_SIZE", "PMIX_SIZE", "PMI_SIZE", "MPI_LOCALNRANKS"] {
            if let size = environment[key].flatMap(Int.init), size > 0 { return size }
        }
        return nil
    }

    /// The mode `training` asks for in `environment`; throws when the two disagree.
    public static func mode(for training: TrainingConfig, environment: [String: String]) throws -> Mode {
        let launched = launchedWorldSize(environment: environment)
        let size = launched ?? 1
        switch training.strategy {
        case .single:
            guard size == 1 else {
                throw DistributedError(description: "training.strategy is single but mpirun started \(size) processes; "
                    + "set training.strategy: ddp (or auto) to train data-parallel, or run without mpirun")
            }
            return .single
        case .auto where launched == nil || size == 1:
            if let devices = training.devices, devices > 1 { return .relaunch(processes: devices) }
            return .single
        case .auto, .ddp:
            if launched == nil {
                guard let devices = training.devices, devices > 1 else {
                    throw DistributedError(description: "training.strategy is ddp but this is one process; start it as "
                        + "`mpirun -np N fledge train ...` or set training.devices: N")
                }
                return .relaunch(processes: devices)
            }
            if let devices = training.devices, devices != size {
                throw DistributedError(description: "training.devices is \(devices) but mpirun started \(size) processes; "
                    + "run mpirun -np \(devices) or set training.devices: \(size)")
            }
            guard training.batchSize >= size else {
                throw DistributedError(description: "training.batch_size is \(training.batchSize), the global batch, but "
                    + "there are \(size) processes; each needs at least one row per batch: raise training.batch_size to "
                    + "at least \(size)")
            }
            return .dataParallel(processes: size)
        }
    }

    /// Threads per rank when `FLEDGE_NUM_THREADS` is not set: the cores divided among the ranks on
    /// this machine (at least 1), so N ranks do not oversubscribe the cores.
    public static func threadsPerRank(environment: [String: String], cores: Int) -> Int? {
        guard environment["FLEDGE_NUM_THREADS"] == nil else { return nil }
        let local = environment["OMPI_COMM_WORLD_LOCAL_SIZE"].flatMap(Int.init)
            ?? launchedWorldSize(environment: environment) ?? 1
        return Swift.max(1, cores / Swift.max(1, local))
    }

    /// The `mpirun` arguments that start `command` as `processes` ranks on this machine:
    /// `--oversubscribe` when there are more ranks than cores, `--allow-run-as-root` for root.
    public static func mpirunArguments(processes: Int, command: [String], cores: Int, isRoot: Bool) -> [String] {
        var arguments = ["-np", String(processes)]
        if processes > cores { arguments.append("--oversubscribe") }
        if isRoot { arguments.append("--allow-run-as-root") }
        return arguments + command
    }
}

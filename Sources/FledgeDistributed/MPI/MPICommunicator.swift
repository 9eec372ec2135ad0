import CMPI
import Foundation

/// The processes of an MPI job (`MPI_COMM_WORLD`) and the collectives Fledge uses on them.
///
/// MPI is initialised once per process: `MPICommunicator.world()` initialises it on first use
/// (a process started without `mpirun` becomes a job of one) and `finalize()` ends it before
/// the process exits. Every collective must be called by all ranks in the same order. Open MPI's
/// default error handler aborts the job on a communication error, so these calls do not throw.
public final class MPICommunicator: @unchecked Sendable {
    /// How a reduction combines the ranks' values.
    public enum Reduction: Sendable {
        /// Element-wise sum.
        case sum
        /// Element-wise sum divided by the number of ranks.
        case average
        /// Element-wise maximum.
        case max
    }

    /// This process's index, 0..<size.
    public let rank: Int
    /// The number of processes in the job.
    public let size: Int
    private let comm: MPI_Comm

    private init() {
        var rank: Int32 = 0, size: Int32 = 0
        comm = fledge_mpi_comm_world()
        MPI_Comm_rank(comm, &rank)
        MPI_Comm_size(comm, &size)
        self.rank = Int(rank)
        self.size = Int(size)
    }

    /// The communicator of all processes, initialising MPI if this process has not yet.
    ///
    /// Only the thread that initialised MPI calls it afterwards (`MPI_THREAD_FUNNELED`); the
    /// data loader's prefetch thread never does.
    public static func world() -> MPICommunicator {
        var initialized: Int32 = 0
        MPI_Initialized(&initialized)
        if initialized == 0 {
            var provided: Int32 = 0
            MPI_Init_thread(nil, nil, fledge_mpi_thread_funneled(), &provided)
        }
        return MPICommunicator()
    }

    /// True once MPI has been initialised and not yet finalised in this process.
    public static var isActive: Bool {
        var initialized: Int32 = 0, finalized: Int32 = 0
        MPI_Initialized(&initialized)
        MPI_Finalized(&finalized)
        return initialized != 0 && finalized == 0
    }

    /// Ends MPI in this process (collective: every rank calls it before exiting).
    public func finalize() {
        if Self.isActive { MPI_Finalize() }
    }

    /// Waits until every rank has called `barrier`.
    public func barrier() {
        MPI_Barrier(comm)
    }

    /// Reduces `buffer` over all ranks in place (every rank receives the result).
    public func allReduce(_ buffer: UnsafeMutableBufferPointer<Float>, _ reduction: Reduction = .sum) {
        guard let base = buffer.baseAddress, !buffer.isEmpty else { return }
        MPI_Allreduce(fledge_mpi_in_place(), base, Int32(buffer.count), fledge_mpi_float(), Self.op(reduction), comm)
        if reduction == .average { Self.divide(buffer, by: size) }
    }

    /// Reduces `values` over all ranks and returns the result (every rank receives it).
    public func allReduce(_ values: [Double], _ reduction: Reduction = .sum) -> [Double] {
        var result = values
        result.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress, !buffer.isEmpty else { return }
            MPI_Allreduce(fledge_mpi_in_place(), base, Int32(buffer.count), fledge_mpi_double(), Self.op(reduction), comm)
        }
        return reduction == .average ? result.map { $0 / Double(size) } : result
    }

    /// Starts a non-blocking in-place sum of `buffer` over all ranks (`MPI_Iallreduce`); the
    /// buffer must stay alive and untouched until `wait` returns.
    public func startSum(_ buffer: UnsafeMutableBufferPointer<Float>) -> PendingReduction {
        var request = fledge_mpi_request_null()
        if let base = buffer.baseAddress, !buffer.isEmpty {
            MPI_Iallreduce(fledge_mpi_in_place(), base, Int32(buffer.count), fledge_mpi_float(), fledge_mpi_sum(), comm, &request)
        }
        return PendingReduction(request: request)
    }

    /// Copies `buffer` from rank `root` to every rank.
    public func broadcast(_ buffer: UnsafeMutableBufferPointer<Float>, root: Int = 0) {
        guard let base = buffer.baseAddress, !buffer.isEmpty else { return }
        MPI_Bcast(base, Int32(buffer.count), fledge_mpi_float(), Int32(root), comm)
    }

    /// True on every rank when `flag` is true on any rank.
    public func anyRank(_ flag: Bool) -> Bool {
        var value: Int32 = flag ? 1 : 0
        MPI_Allreduce(fledge_mpi_in_place(), &value, 1, fledge_mpi_int(), fledge_mpi_max(), comm)
        return value != 0
    }

    /// Prints `error: rank r of N: <message>` on stderr and aborts every rank of the job.
    public func abort(message: String, code: Int32 = 1) -> Never {
        let line = "error: rank \(rank) of \(size): \(message); aborting all \(size) processes\n"
        FileHandle.standardError.write(Data(line.utf8))
        MPI_Abort(comm, code)
        exit(code)
    }

    private static func op(_ reduction: Reduction) -> MPI_Op {
        reduction == .max ? fledge_mpi_max() : fledge_mpi_sum()
    }

    static func divide(_ buffer: UnsafeMutableBufferPointer<Float>, by count: Int) {
        let inverse = 1 / Float(count)
        for index in buffer.indices { buffer[index] *= inverse }
    }
}

/// A reduction started by `MPICommunicator.startSum`.
public struct PendingReduction {
    var request: MPI_Request?

    /// Blocks until the reduction has finished.
    public mutating func wait() {
        MPI_Wait(&request, fledge_mpi_status_ignore())
    }
}

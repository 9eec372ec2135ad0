import Foundation

/// Why a checkpoint could not be written or read; each message names the path and what to do.
public enum CheckpointError: Error, Equatable, CustomStringConvertible {
    /// The checkpoint directory (or the `last` pointer's target) does not exist.
    case notFound(path: String)
    /// `last` was asked for but no checkpoint has been written in this run directory.
    case noLastCheckpoint(directory: String)
    /// A file every checkpoint has is missing.
    case missingFile(checkpoint: String, file: String)
    /// `trainer_state.json` could not be decoded.
    case unreadableState(checkpoint: String, reason: String)
    /// The checkpoint was written by an incompatible layout version.
    case unsupportedVersion(checkpoint: String, found: Int, supported: Int)
    /// The checkpoint holds weights only, so training cannot resume from it.
    case weightsOnly(checkpoint: String)
    /// The model or optimizer tensors do not fit the model being trained.
    case incompatible(checkpoint: String, file: String, reason: String)
    /// Writing failed (disk full, permissions...).
    case writeFailed(path: String, reason: String)

    public var description: String {
        switch self {
        case .notFound(let path):
            "checkpoint \(path) does not exist; pass a checkpoint directory (e.g. <run>/checkpoints/checkpoint-100) or \"last\""
        case .noLastCheckpoint(let directory):
            "no checkpoint to resume from in \(directory) (no last.txt); train without --resume first"
        case .missingFile(let checkpoint, let file):
            "checkpoint \(checkpoint) is incomplete: \(file) is missing; resume from another checkpoint"
        case .unreadableState(let checkpoint, let reason):
            "checkpoint \(checkpoint): trainer_state.json is unreadable (\(reason)); resume from another checkpoint"
        case .unsupportedVersion(let checkpoint, let found, let supported):
            "checkpoint \(checkpoint) has format version \(found); this Fledge reads version \(supported)"
        case .weightsOnly(let checkpoint):
            "checkpoint \(checkpoint) holds weights only (checkpoint.weights_only: true) and cannot resume training; load it with FledgeModel or resume from a full checkpoint"
        case .incompatible(let checkpoint, let file, let reason):
            "checkpoint \(checkpoint): \(file) does not fit this model/optimizer (\(reason)); resume with the config the run was trained with"
        case .writeFailed(let path, let reason):
            "cannot write checkpoint \(path): \(reason)"
        }
    }
}

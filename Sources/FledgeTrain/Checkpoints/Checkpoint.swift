import FledgeNN
import FledgeOptim
import FledgeTensor
import Foundation

/// A checkpoint directory: `model.safetensors`, `optimizer.safetensors` (unless weights only),
/// `trainer_state.json` and `config.yaml`.
///
/// `write` fills `<name>.tmp-<pid>` next to the destination and renames it into place, then
/// rewrites the `last.txt` pointer by rename too, so a process killed at any moment leaves
/// either the previous checkpoint or the new one, never a half-written one behind the pointer.
public struct Checkpoint: Sendable {
    /// The model weights file.
    public static let modelFile = "model.safetensors"
    /// The optimizer state file.
    public static let optimizerFile = "optimizer.safetensors"
    /// The trainer state file.
    public static let stateFile = "trainer_state.json"
    /// The resolved config file.
    public static let configFile = "config.yaml"
    /// The pointer file naming the newest checkpoint in a checkpoints directory.
    public static let lastPointerFile = "last.txt"

    /// The checkpoint directory.
    public let directory: URL
    /// Its decoded `trainer_state.json`.
    public let state: CheckpointState

    /// Writes a checkpoint atomically to `directory` (replacing one of that name) and, when
    /// `updateLastPointer`, points `last.txt` in its parent at it.
    @discardableResult
    public static func write(
        to directory: URL, model: any Module, optimizer: Optimizer?, state: CheckpointState,
        configYAML: String? = nil, updateLastPointer: Bool = true,
        beforeRename: (() -> Void)? = nil
    ) throws -> Checkpoint {
        let fileManager = FileManager.default
        let parent = directory.deletingLastPathComponent()
        let name = directory.lastPathComponent
        let pid = ProcessInfo.processInfo.processIdentifier
        let temporary = parent.appendingPathComponent("\(name).tmp-\(pid)")
        do {
            try fileManager.createDirectory(at: parent, withIntermediateDirectories: true)
            try? fileManager.removeItem(at: temporary)
            try fileManager.createDirectory(at: temporary, withIntermediateDirectories: false)
            try model.save(to: temporary.appendingPathComponent(modelFile))
            if let optimizer, !state.weightsOnly {
                try optimizer.save(to: temporary.appendingPathComponent(optimizerFile))
            }
            if let configYAML {
                try Data(configYAML.utf8).write(to: temporary.appendingPathComponent(configFile))
            }
            // The state file goes last: a directory holding it has every other file.
            try CheckpointState.encoder().encode(state).write(to: temporary.appendingPathComponent(stateFile))
            beforeRename?()
            try replace(directory, with: temporary)
            if updateLastPointer { try pointLast(in: parent, at: name) }
        } catch let error as CheckpointError {
            try? fileManager.removeItem(at: temporary)
            throw error
        } catch {
            try? fileManager.removeItem(at: temporary)
            throw CheckpointError.writeFailed(path: directory.path, reason: "\(error)")
        }
        return Checkpoint(directory: directory, state: state)
    }

    /// Reads and validates the checkpoint in `directory`: the files it must have exist and the
    /// state decodes with a supported version. Tensors are read later by `restore`.
    public static func read(from directory: URL) throws -> Checkpoint {
        let fileManager = FileManager.default
        var isDirectory: ObjCBool = false
        guard fileManager.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw CheckpointError.notFound(path: directory.path)
        }
        let stateURL = directory.appendingPathComponent(stateFile)
        guard let data = fileManager.contents(atPath: stateURL.path) else {
            throw CheckpointError.missingFile(checkpoint: directory.path, file: stateFile)
        }
        let state: CheckpointState
        do {
            state = try CheckpointState.decoder().decode(CheckpointState.self, from: data)
        } catch {
            throw CheckpointError.unreadableState(checkpoint: directory.path, reason: "\(error)")
        }
        guard state.formatVersion == CheckpointState.currentFormatVersion else {
            throw CheckpointError.unsupportedVersion(
                checkpoint: directory.path, found: state.formatVersion, supported: CheckpointState.currentFormatVersion)
        }
        var required = [modelFile]
        if !state.weightsOnly { required.append(optimizerFile) }
        for file in required where !fileManager.fileExists(atPath: directory.appendingPathComponent(file).path) {
            throw CheckpointError.missingFile(checkpoint: directory.path, file: file)
        }
        return Checkpoint(directory: directory, state: state)
    }

    /// Finds the checkpoint `reference` names: `"last"` follows `last.txt` in
    /// `checkpointsDirectory`; anything else is a checkpoint directory path.
    public static func resolve(_ reference: String, checkpointsDirectory: URL) throws -> URL {
        guard reference == "last" else { return URL(fileURLWithPath: reference) }
        let pointer = checkpointsDirectory.appendingPathComponent(lastPointerFile)
        guard let data = FileManager.default.contents(atPath: pointer.path),
              let name = String(data: data, encoding: .utf8)?.trimmingCharacters(in: .whitespacesAndNewlines),
              !name.isEmpty
        else { throw CheckpointError.noLastCheckpoint(directory: checkpointsDirectory.path) }
        return checkpointsDirectory.appendingPathComponent(name)
    }

    /// Loads the weights into `model` and, unless nil, the state into `optimizer`; checks both
    /// before changing either, and restores dropout generators.
    public func restore(model: any Module, optimizer: Optimizer?) throws {
        let modelURL = directory.appendingPathComponent(Self.modelFile)
        do {
            try model.load(from: modelURL)
        } catch {
            throw CheckpointError.incompatible(checkpoint: directory.path, file: Self.modelFile, reason: "\(error)")
        }
        if let optimizer {
            guard !state.weightsOnly else { throw CheckpointError.weightsOnly(checkpoint: directory.path) }
            do {
                try optimizer.load(from: directory.appendingPathComponent(Self.optimizerFile))
            } catch {
                throw CheckpointError.incompatible(checkpoint: directory.path, file: Self.optimizerFile, reason: "\(error)")
            }
        }
        model.restoreGenerators(state.generators)
    }

    /// Removes temporary directories left by writers that were killed (`*.tmp-<pid>`).
    public static func removeStaleTemporaries(in checkpointsDirectory: URL) {
        let fileManager = FileManager.default
        guard let names = try? fileManager.contentsOfDirectory(atPath: checkpointsDirectory.path) else { return }
        for name in names where name.contains(".tmp-") || name.contains(".old-") {
            try? fileManager.removeItem(at: checkpointsDirectory.appendingPathComponent(name))
        }
    }

    /// Moves `temporary` to `destination`; an existing destination is first moved aside, so the
    /// name always refers to a complete checkpoint except between two renames.
    private static func replace(_ destination: URL, with temporary: URL) throws {
        let fileManager = FileManager.default
        guard fileManager.fileExists(atPath: destination.path) else {
            try rename(temporary, to: destination)
            return
        }
        let aside = destination.deletingLastPathComponent()
            .appendingPathComponent("\(destination.lastPathComponent).old-\(ProcessInfo.processInfo.processIdentifier)")
        try? fileManager.removeItem(at: aside)
        try rename(destination, to: aside)
        try rename(temporary, to: destination)
        try? fileManager.removeItem(at: aside)
    }

    /// Points `last.txt` in `directory` at `name` by writing a temporary file and renaming it.
    static func pointLast(in directory: URL, at name: String) throws {
        let pointer = directory.appendingPathComponent(lastPointerFile)
        let temporary = directory.appendingPathComponent("\(lastPointerFile).tmp-\(ProcessInfo.processInfo.processIdentifier)")
        try Data((name + "\n").utf8).write(to: temporary)
        try rename(temporary, to: pointer)
    }

    /// POSIX rename: atomic, and replaces an existing file (Foundation's moveItem refuses to).
    private static func rename(_ source: URL, to destination: URL) throws {
        guard Foundation.rename(source.path, destination.path) == 0 else {
            throw CheckpointError.writeFailed(
                path: destination.path, reason: "rename failed: \(String(cString: strerror(errno)))")
        }
    }
}

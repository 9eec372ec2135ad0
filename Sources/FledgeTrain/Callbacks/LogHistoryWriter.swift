import Foundation

/// The skeleton shared by callbacks that append each new `trainer.state.logHistory` entry to a
/// file (`MetricsLogger`, `TensorBoardLogger`): open the file when training starts, write the
/// entries added since the last write after every batch and epoch, close it when training ends
/// or fails. A subclass says which file to open and how entries are encoded.
open class LogHistoryWriter: Callback {
    /// Log entries already written (or, after a resume, already in the file).
    private var written = 0
    private var handle: FileHandle?

    /// Creates the writer.
    public init() {}

    /// Opens (creating or truncating as needed) the file to append to; nil writes nothing.
    /// Called from `onFitStart`, after any resume has restored the history.
    open func openFile(_ trainer: Trainer) -> FileHandle? { nil }

    /// The bytes that record `entries` (called with at least one entry).
    open func encode(_ entries: ArraySlice<LogEntry>) -> Data { Data() }

    public func onFitStart(_ trainer: Trainer) {
        written = trainer.state.logHistory.count
        handle = openFile(trainer)
    }

    public func onTrainBatchEnd(_ trainer: Trainer) { flush(trainer) }
    public func onTrainEpochEnd(_ trainer: Trainer) { flush(trainer) }
    public func onFitEnd(_ trainer: Trainer) { flush(trainer); close() }
    public func onException(_ trainer: Trainer, error: Error) { flush(trainer); close() }

    private func flush(_ trainer: Trainer) {
        let history = trainer.state.logHistory
        guard written < history.count, handle != nil else { return }
        try? handle?.write(contentsOf: encode(history[written...]))
        written = history.count
    }

    private func close() {
        try? handle?.close()
        handle = nil
    }
}

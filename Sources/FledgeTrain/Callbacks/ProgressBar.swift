import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A live progress bar for a terminal: one line per epoch redrawn in place with `\r` (at most
/// four times a second: a redraw costs ~0.1 ms, docs/performance.md), showing step/total, ETA, loss, the
/// monitored metric, learning rate and samples/s; after each validation a compact table.
///
/// Use it only when standard output is a terminal (`ProgressBar.standardOutputIsTerminal`);
/// elsewhere `ProgressPrinter`'s timestamped lines are the readable choice.
public final class ProgressBar: Callback {
    private let write: @Sendable (String) -> Void
    private let minimumInterval: Double
    private var epochStart = Date()
    private var lastDraw = Date.distantPast
    private var lineOpen = false
    private var samplesSeen = 0

    /// Whether standard output is a terminal (so `\r` redraws are wanted).
    public static var standardOutputIsTerminal: Bool { isatty(STDOUT_FILENO) != 0 }

    /// Creates a bar writing raw text (no newline added) with `write`; `minimumInterval` is the
    /// shortest time between redraws in seconds.
    public init(minimumInterval: Double = 0.25,
                write: @escaping @Sendable (String) -> Void = { ProgressBar.writeStandardOutput($0) }) {
        self.minimumInterval = minimumInterval
        self.write = write
    }

    /// Writes `text` to standard output unbuffered, so a redraw shows at once.
    public static func writeStandardOutput(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    public func onFitStart(_ trainer: Trainer) {
        let state = trainer.state
        let length = state.maxEpochs.map { "\($0) epochs" } ?? "\(state.maxSteps) steps"
        write("training \(length), \(state.batchesPerEpoch) batches per epoch"
              + (trainer.runDirectory.map { "; run directory \($0.root.path)" } ?? "") + "\n")
    }

    public func onTrainEpochStart(_ trainer: Trainer) {
        epochStart = Date()
        lastDraw = .distantPast
        samplesSeen = 0
    }

    public func onTrainBatchEnd(_ trainer: Trainer) {
        samplesSeen += trainer.config.training.batchSize
        let now = Date()
        let last = trainer.state.batchInEpoch + 1 >= trainer.state.batchesPerEpoch
        guard last || now.timeIntervalSince(lastDraw) >= minimumInterval else { return }
        lastDraw = now
        draw(trainer, now: now)
    }

    public func onValidationStart(_ trainer: Trainer) { closeLine() }

    public func onValidationEnd(_ trainer: Trainer, metrics: [String: Double]) {
        closeLine()
        write(Self.table(metrics, step: trainer.state.globalStep, monitor: trainer.state.monitor,
                         best: trainer.state.bestMetric))
        lastDraw = .distantPast
    }

    public func onTrainEpochEnd(_ trainer: Trainer) { closeLine() }

    public func onSaveCheckpoint(_ trainer: Trainer, directory: URL) {
        closeLine()
        write("saved checkpoint \(directory.lastPathComponent)\n")
    }

    public func onFitEnd(_ trainer: Trainer) {
        closeLine()
        let state = trainer.state
        var line = "finished at step \(state.globalStep)"
        if let reason = state.stopReason { line += " (\(reason))" }
        if let best = state.bestMetric { line += "; best \(state.monitor) \(ProgressPrinter.format(best))" }
        write(line + "\n")
    }

    public func onException(_ trainer: Trainer, error: Error) {
        closeLine()
        write("stopped: \(error)\n")
    }

    /// Ends the bar's line so the next output starts on a fresh one.
    private func closeLine() {
        if lineOpen { write("\n") }
        lineOpen = false
    }

    private func draw(_ trainer: Trainer, now: Date) {
        let state = trainer.state
        let done = Swift.min(state.batchInEpoch + 1, Swift.max(1, state.batchesPerEpoch))
        let total = Swift.max(1, state.batchesPerEpoch)
        let elapsed = now.timeIntervalSince(epochStart)
        let eta = elapsed / Double(done) * Double(total - done)
        let epochs = state.maxEpochs.map { "/\($0)" } ?? ""
        var parts = ["epoch \(state.epoch + 1)\(epochs)", Self.bar(done: done, total: total, width: 24) + " \(done)/\(total)",
                     "ETA \(Self.duration(eta))", "loss \(ProgressPrinter.format(state.lastLoss))"]
        // The main metric: the monitored one, or the first metric when the loss is monitored.
        let main = state.monitor != "val_loss" ? state.monitor
            : state.validationMetrics.keys.sorted().first { $0 != "val_loss" }
        if let main, let metric = state.validationMetrics[main] {
            parts.append("\(main) \(ProgressPrinter.format(metric))")
        }
        parts.append("lr \(ProgressPrinter.format(Double(trainer.optimizer.learningRate)))")
        if elapsed > 0 { parts.append(String(format: "%.0f samples/s", Double(samplesSeen) / elapsed)) }
        // Clear to the end of the line so a shorter redraw leaves no stale characters.
        write("\r" + parts.joined(separator: "  ") + "\u{1B}[K")
        lineOpen = true
    }

    /// A bar like `[#########...........]`.
    static func bar(done: Int, total: Int, width: Int) -> String {
        let filled = Swift.min(width, done * width / Swift.max(1, total))
        return "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "]"
    }

    /// `m:ss` or `h:mm:ss`.
    static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "?" }
        let total = Int(seconds.rounded())
        let (hours, minutes, secs) = (total / 3600, total / 60 % 60, total % 60)
        return hours > 0 ? String(format: "%d:%02d:%02d", hours, minutes, secs) : String(format: "%d:%02d", minutes, secs)
    }

    /// The validation results as a small two-column table, the monitored value marked when best.
    static func table(_ metrics: [String: Double], step: Int, monitor: String, best: Double?) -> String {
        let names = metrics.keys.sorted()
        let width = Swift.max(6, names.map(\.count).max() ?? 0)
        let rule = "+" + String(repeating: "-", count: width + 2) + "+" + String(repeating: "-", count: 14) + "+\n"
        var text = "validation at step \(step)\n" + rule
        text += "| " + "metric".padding(toLength: width, withPad: " ", startingAt: 0) + " | "
            + "value".padding(toLength: 12, withPad: " ", startingAt: 0) + " |\n" + rule
        for name in names {
            let value = metrics[name]!
            let mark = name == monitor && best == value ? " *" : ""
            let cell = (ProgressPrinter.format(value) + mark).padding(toLength: 12, withPad: " ", startingAt: 0)
            text += "| " + name.padding(toLength: width, withPad: " ", startingAt: 0) + " | " + cell + " |\n"
        }
        return text + rule
    }
}

import Foundation

/// Writes a run's learning curves as SVG files to `<run>/plots/`: `loss.svg` (train vs
/// validation loss), one `<metric>.svg` per validation metric and `lr.svg`, each with the best
/// checkpoint's step marked.
public enum LearningCurves {
    /// One parsed `metrics.jsonl` line: step, epoch, lr and the numeric values (nulls dropped).
    public typealias Row = (step: Int, values: [String: Double])

    /// Reads `<run>/metrics.jsonl` and writes the plots; returns the files written.
    @discardableResult
    public static func write(runDirectory: URL) throws -> [URL] {
        let run = RunDirectory(root: runDirectory)
        let rows = try readMetrics(run.metricsFile)
        return try write(rows: rows, bestStep: bestStep(run: run, rows: rows), to: run.root.appendingPathComponent("plots"))
    }

    /// The step to mark as best in a finished run: its single kept best checkpoint, else the lowest `val_loss`.
    public static func bestStep(run: RunDirectory, rows: [Row]) -> Int? {
        bestCheckpointStep(run) ?? bestStep(rows, monitor: "val_loss", mode: .min)
    }

    /// Parses a metrics.jsonl file.
    public static func readMetrics(_ file: URL) throws -> [Row] {
        let text = try String(contentsOf: file, encoding: .utf8)
        return text.split(separator: "\n").compactMap { line in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let step = (object["step"] as? NSNumber)?.intValue else { return nil }
            var values: [String: Double] = [:]
            for (key, value) in object where key != "step" {
                if let number = value as? NSNumber { values[key] = number.doubleValue }
            }
            return (step, values)
        }
    }

    /// The log entries of a trainer as rows.
    public static func rows(_ history: [LogEntry]) -> [Row] {
        history.map { entry in
            var values = entry.values
            values["lr"] = entry.learningRate
            values["epoch"] = Double(entry.epoch)
            return (entry.step, values)
        }
    }

    /// The step of the best (`best-<step>`) checkpoint in the run, if any is kept.
    public static func bestCheckpointStep(_ run: RunDirectory) -> Int? {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: run.checkpointsDirectory.path)) ?? []
        let steps = names.compactMap { $0.hasPrefix("best-") ? Int($0.dropFirst(5)) : nil }
        guard !steps.isEmpty else { return nil }
        // With several best-k checkpoints kept, the best is the one with the best val metric;
        // without that information fall back to the monitored value in the rows (see caller).
        return steps.count == 1 ? steps[0] : nil
    }

    /// The step whose `monitor` value is best (first one on ties).
    public static func bestStep(_ rows: [Row], monitor: String, mode: MetricMode) -> Int? {
        var best: (step: Int, value: Double)?
        for row in rows {
            guard let value = row.values[monitor], value.isFinite else { continue }
            if best == nil || (mode == .min ? value < best!.value : value > best!.value) { best = (row.step, value) }
        }
        return best?.step
    }

    /// Renders the charts for `rows` into `directory`.
    @discardableResult
    public static func write(rows: [Row], bestStep: Int?, to directory: URL) throws -> [URL] {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return try charts(rows: rows, bestStep: bestStep).map { name, chart in
            let url = directory.appendingPathComponent(name)
            try Data(chart.svg().utf8).write(to: url, options: .atomic)
            return url
        }
    }

    /// The learning-curve charts of `rows` with their file names: `loss.svg` (train vs
    /// validation), one per validation metric and `lr.svg`, each marking `bestStep`.
    public static func charts(rows: [Row], bestStep: Int?) -> [(fileName: String, chart: LineChart)] {
        let marker = bestStep.map { LineChart.Marker(x: Double($0), label: "best checkpoint (step \($0))") }
        let xLabel = "step (optimizer steps)"
        var charts: [(fileName: String, chart: LineChart)] = []
        let loss = [("train", "train_loss"), ("validation", "val_loss")].compactMap { label, key -> LineChart.Series? in
            let points = series(rows, key)
            return points.isEmpty ? nil : LineChart.Series(name: label, points: points)
        }
        if !loss.isEmpty {
            charts.append(("loss.svg", LineChart(title: "Loss", xLabel: xLabel, yLabel: "loss (per sample, mean)",
                                                 series: loss, marker: marker, logY: nil)))
        }
        let metricKeys = Set(rows.flatMap(\.values.keys)).filter { $0.hasPrefix("val_") && $0 != "val_loss" }.sorted()
        for key in metricKeys {
            let name = String(key.dropFirst(4))
            let chart = LineChart(title: "Validation \(name)", xLabel: xLabel, yLabel: "\(name) (\(unit(of: name)))",
                                  series: [LineChart.Series(name: "validation \(name)", points: series(rows, key))], marker: marker)
            charts.append(("\(fileName(name)).svg", chart))
        }
        let lr = series(rows, "lr")
        if !lr.isEmpty {
            charts.append(("lr.svg", LineChart(title: "Learning rate", xLabel: xLabel, yLabel: "learning rate (group 0)",
                                               series: [LineChart.Series(name: "learning rate", points: lr)], marker: marker, logY: nil)))
        }
        return charts
    }

    /// The finite values of `key` by step; when a step logs the key twice, the last wins.
    static func series(_ rows: [Row], _ key: String) -> [(x: Double, y: Double)] {
        var byStep: [Int: Double] = [:]
        var order: [Int] = []
        for row in rows {
            guard let value = row.values[key], value.isFinite else { continue }
            if byStep[row.step] == nil { order.append(row.step) }
            byStep[row.step] = value
        }
        return order.map { (Double($0), byStep[$0]!) }
    }

    /// A human unit for a metric name.
    static func unit(of metric: String) -> String {
        switch metric {
        case "accuracy", "precision", "recall", "f1", "auc", "roc_auc", "pr_auc", "balanced_accuracy", "r2": "fraction"
        case "mae", "rmse": "target units"
        case "mse": "target units²"
        default: "value"
        }
    }

    private static func fileName(_ name: String) -> String {
        String(name.map { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" ? $0 : "_" })
    }
}

/// Rewrites `<run>/plots/` during training and when it ends (normally or with an error).
/// During training it redraws after a validation at most every `minimumInterval` seconds: a
/// redraw takes a few milliseconds (every chart re-rendered from the whole history and written
/// atomically), which validations every few steps would otherwise repeat hundreds of times
/// (measured in docs/performance.md).
public final class LearningCurvesWriter: Callback {
    /// The shortest wall time between two redraws during training, in seconds.
    public let minimumInterval: Double
    private var lastWrite: Date?

    /// Creates the callback; it writes to the trainer's run directory (none: does nothing).
    public init(minimumInterval: Double = 10) { self.minimumInterval = minimumInterval }

    public func onValidationEnd(_ trainer: Trainer, metrics: [String: Double]) {
        if let lastWrite, Date().timeIntervalSince(lastWrite) < minimumInterval { return }
        write(trainer)
    }
    public func onFitEnd(_ trainer: Trainer) { write(trainer) }
    public func onException(_ trainer: Trainer, error: Error) { write(trainer) }

    private func write(_ trainer: Trainer) {
        guard let run = trainer.runDirectory else { return }
        lastWrite = Date()
        // The trainer logs a validation before calling onValidationEnd, so the history is current.
        let rows = LearningCurves.rows(trainer.state.logHistory)
        let best = LearningCurves.bestStep(rows, monitor: trainer.state.monitor, mode: trainer.state.monitorMode)
        _ = try? LearningCurves.write(rows: rows, bestStep: best, to: run.root.appendingPathComponent("plots"))
    }
}

import Foundation
import Yams

/// Several runs side by side (`fledge compare`): the config keys whose resolved values differ,
/// each run's final and best validation metrics, and an overlay of their validation-loss curves.
public struct RunComparison {
    /// One run's summary.
    public struct Entry {
        /// The run's directory name.
        public var name: String
        /// The resolved config flattened to dotted keys (`training.learning_rate`).
        public var config: [String: String]
        /// The parsed metrics.jsonl.
        public var rows: [LearningCurves.Row]
        /// The last validation's values (`val_loss`, `val_accuracy`, ...).
        public var finalValidation: [String: Double]
        /// The lowest validation loss and its step.
        public var bestValidationLoss: (value: Double, step: Int)?
    }

    /// The runs, in the order given.
    public var entries: [Entry]

    /// Keys that identify a run rather than configure it.
    static let identityKeys: Set<String> = ["experiment.run_id", "experiment.experiment_dir"]

    /// Reads each run's config.yaml and metrics.jsonl.
    public init(runDirectories: [URL]) throws {
        entries = try runDirectories.map { url in
            let run = RunDirectory(root: url)
            let yaml = try String(contentsOf: run.configFile, encoding: .utf8)
            var config: [String: String] = [:]
            Self.flatten(try Yams.load(yaml: yaml), prefix: "", into: &config)
            let rows = try LearningCurves.readMetrics(run.metricsFile)
            let validations = rows.filter { $0.values["val_loss"] != nil }
            let final = validations.last?.values.filter { $0.key.hasPrefix("val_") } ?? [:]
            var best: (Double, Int)?
            for row in validations {
                if let value = row.values["val_loss"], value.isFinite, best == nil || value < best!.0 { best = (value, row.step) }
            }
            return Entry(name: run.root.lastPathComponent, config: config, rows: rows, finalValidation: final,
                         bestValidationLoss: best.map { (value: $0.0, step: $0.1) })
        }
    }

    /// The config keys whose values are not the same in every run, sorted.
    public var differingKeys: [String] {
        let keys = Set(entries.flatMap(\.config.keys)).subtracting(Self.identityKeys)
        return keys.filter { key in Set(entries.map { $0.config[key] ?? "—" }).count > 1 }.sorted()
    }

    /// The validation metrics any run logged, `val_loss` first.
    public var metricKeys: [String] {
        let keys = Set(entries.flatMap(\.finalValidation.keys))
        return (keys.contains("val_loss") ? ["val_loss"] : []) + keys.subtracting(["val_loss"]).sorted()
    }

    /// A plain-text table: one row per run, config differences then metrics.
    public func table() -> String {
        let differing = differingKeys
        var header = ["run"] + differing
        header += metricKeys.map { "final \($0)" } + ["best val_loss", "best step"]
        var rows = [header]
        for entry in entries {
            var row = [entry.name] + differing.map { entry.config[$0] ?? "—" }
            row += metricKeys.map { entry.finalValidation[$0].map(Self.format) ?? "—" }
            row += [entry.bestValidationLoss.map { Self.format($0.value) } ?? "—",
                    entry.bestValidationLoss.map { "\($0.step)" } ?? "—"]
            rows.append(row)
        }
        let widths = header.indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        let lines = rows.map { row in
            row.enumerated().map { $0.element.padding(toLength: widths[$0.offset], withPad: " ", startingAt: 0) }
                .joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }
        var text = lines[0] + "\n" + widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n"
        text += lines.dropFirst().joined(separator: "\n") + "\n"
        if differing.isEmpty { text += "(the runs' resolved configs are identical apart from run ids)\n" }
        return text
    }

    /// The validation-loss curves of every run on one chart.
    public func overlayChart() -> LineChart {
        let series = entries.map { LineChart.Series(name: $0.name, points: LearningCurves.series($0.rows, "val_loss")) }
        return LineChart(title: "Validation loss", xLabel: "step (optimizer steps)", yLabel: "validation loss (per sample, mean)",
                         series: series, logY: nil)
    }

    static func format(_ value: Double) -> String { String(format: "%.4g", value) }

    /// Flattens nested YAML mappings into dotted keys; sequences and scalars become YAML-ish text.
    static func flatten(_ node: Any?, prefix: String, into result: inout [String: String]) {
        if let mapping = node as? [String: Any] {
            for (key, value) in mapping { flatten(value, prefix: prefix.isEmpty ? key : "\(prefix).\(key)", into: &result) }
        } else if !prefix.isEmpty {
            result[prefix] = describe(node)
        }
    }

    private static func describe(_ node: Any?) -> String {
        switch node {
        case nil, is NSNull: "null"
        case let list as [Any]: "[" + list.map { describe($0) }.joined(separator: ", ") + "]"
        case let mapping as [String: Any]: "{" + mapping.keys.sorted().map { "\($0): \(describe(mapping[$0]))" }.joined(separator: ", ") + "}"
        case let value?: "\(value)"
        }
    }
}

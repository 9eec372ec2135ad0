import Foundation
import FledgeTrain

/// What a study found, as text and as the files `fledge tune` leaves in the study directory:
/// `trials.csv` and `trials.json` (every trial), `best.json` (best params and value),
/// `best_config.yaml` (the config with the best params, ready for `fledge train`),
/// `importances.json` and `history.svg` (objective per trial and best so far).
public struct StudyReport: Sendable {
    /// The study's name.
    public let name: String
    /// Its direction.
    public let direction: StudyDirection
    /// The optimised metric.
    public let metric: String
    /// Its search space.
    public let space: SearchSpace
    /// Every trial by number.
    public let trials: [TrialRecord]

    /// A report of `trials`.
    public init(name: String, direction: StudyDirection, metric: String, space: SearchSpace, trials: [TrialRecord]) {
        self.name = name
        self.direction = direction
        self.metric = metric
        self.space = space
        self.trials = trials
    }

    /// The complete trial with the best value.
    public var best: TrialRecord? {
        trials.filter { $0.state == .complete && ($0.value?.isFinite ?? false) }
            .min { direction.minimizing($0.value!) < direction.minimizing($1.value!) }
    }

    /// How much of the objective's variance each parameter explains (see `ParameterImportance`).
    public var importances: [(name: String, importance: Double)] {
        ParameterImportance.estimate(space: space, trials: trials)
    }

    private var parameterNames: [String] { space.parameters.map(\.name) }

    private func cell(_ trial: TrialRecord, _ name: String) -> String {
        guard let stored = trial.params[name], let parameter = space[name] else { return "" }
        return parameter.distribution.configValue(stored).yamlText
    }

    private static func format(_ value: Double?) -> String {
        guard let value else { return "" }
        return String(format: "%.6g", value)
    }

    /// The trials as an aligned text table (number, state, value, parameters, seconds, error).
    public func table() -> String {
        let header = ["trial", "state", metric] + parameterNames + ["seconds", "error"]
        let rows = trials.map { t in
            ["\(t.number)", t.state.rawValue, Self.format(t.value)] + parameterNames.map { cell(t, $0) }
                + [t.duration.map { String(format: "%.1f", $0) } ?? "", String((t.error ?? "").prefix(60))]
        }
        let widths = header.indices.map { i in ([header[i]] + rows.map { $0[i] }).map(\.count).max() ?? 0 }
        func line(_ cells: [String]) -> String {
            zip(cells, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  ")
                .trimmingCharacters(in: .whitespaces)
        }
        return ([line(header)] + rows.map(line)).joined(separator: "\n")
    }

    /// The lines `fledge tune` prints at the end.
    public func summary() -> String {
        var lines = [table(), ""]
        let counts = TrialState.allCases.map { s in (s, trials.filter { $0.state == s }.count) }.filter { $0.1 > 0 }
        lines.append("study \(name): " + counts.map { "\($0.1) \($0.0.rawValue)" }.joined(separator: ", "))
        if let best {
            lines.append("best trial \(best.number): \(metric) \(Self.format(best.value))")
            for name in parameterNames where best.params[name] != nil { lines.append("  \(name): \(cell(best, name))") }
        } else {
            lines.append("no trial completed")
        }
        let importances = importances
        if !importances.isEmpty {
            lines.append("parameter importances: " + importances.map { "\($0.name) \(String(format: "%.2f", $0.importance))" }.joined(separator: ", "))
        }
        return lines.joined(separator: "\n")
    }

    /// The trials as CSV (values as written in YAML; an empty cell where a parameter was inactive).
    public func csv() -> String {
        func quoted(_ s: String) -> String {
            s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
        }
        let header = ["number", "state", "value"] + parameterNames + ["started_at", "finished_at", "duration_s", "worker_id", "error"]
        let iso = ISO8601DateFormatter()
        let rows = trials.map { t in
            (["\(t.number)", t.state.rawValue, t.value.map { "\($0)" } ?? ""] + parameterNames.map { cell(t, $0) }
                + [t.startedAt.map(iso.string) ?? "", t.finishedAt.map(iso.string) ?? "",
                   t.duration.map { "\($0)" } ?? "", t.workerID ?? "", t.error ?? ""]).map(quoted).joined(separator: ",")
        }
        return ([header.joined(separator: ",")] + rows).joined(separator: "\n") + "\n"
    }

    /// One trial as a JSON object.
    private func json(_ t: TrialRecord) -> [String: Any] {
        var object: [String: Any] = ["number": t.number, "state": t.state.rawValue]
        object["value"] = t.value ?? NSNull()
        object["params"] = Dictionary(uniqueKeysWithValues: parameterNames.compactMap { name in
            t.params[name].map { _ in (name, Self.jsonValue(space[name]!.distribution.configValue(t.params[name]!))) }
        })
        object["intermediate_values"] = Dictionary(uniqueKeysWithValues: t.intermediateValues.map { ("\($0.key)", $0.value) })
        object["error"] = t.error ?? NSNull()
        object["worker_id"] = t.workerID ?? NSNull()
        object["started_at"] = t.startedAt?.timeIntervalSince1970 ?? NSNull()
        object["finished_at"] = t.finishedAt?.timeIntervalSince1970 ?? NSNull()
        return object
    }

    static func jsonValue(_ value: ConfigValue) -> Any {
        switch value {
        case .bool(let v): v
        case .int(let v): v
        case .double(let v): v
        case .string(let v): v
        case .list(let values): values.map(jsonValue)
        }
    }

    /// The optimisation history: each complete trial's value and the best so far.
    public func historyChart() -> LineChart {
        let complete = trials.filter { $0.state == .complete && ($0.value?.isFinite ?? false) }
        var bestSoFar: Double?
        var bestPoints: [(x: Double, y: Double)] = []
        for t in complete {
            if bestSoFar.map({ direction.isBetter(t.value!, than: $0) }) ?? true { bestSoFar = t.value }
            bestPoints.append((Double(t.number), bestSoFar!))
        }
        return LineChart(
            title: "Optimisation history: \(name)", xLabel: "trial", yLabel: metric,
            series: [LineChart.Series(name: "trial value", points: complete.map { (Double($0.number), $0.value!) }),
                     LineChart.Series(name: "best so far", points: bestPoints)],
            marker: best.map { LineChart.Marker(x: Double($0.number), label: "best") }, logY: nil)
    }

    /// Writes the report files into `directory` (created if needed).
    public func write(to directory: URL, bestConfigYAML: String?) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        func save(_ text: String, _ name: String) throws {
            try text.write(to: directory.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        func saveJSON(_ object: Any, _ name: String) throws {
            let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
            try data.write(to: directory.appendingPathComponent(name), options: .atomic)
        }
        try save(csv(), "trials.csv")
        try saveJSON(trials.map(json), "trials.json")
        try saveJSON(importances.map { ["param": $0.name, "importance": $0.importance] as [String: Any] }, "importances.json")
        if let best {
            try saveJSON(["study": name, "metric": metric, "direction": direction.rawValue, "trial": best.number,
                          "value": best.value!, "params": json(best)["params"]!], "best.json")
        }
        if let bestConfigYAML { try save(bestConfigYAML, "best_config.yaml") }
        try save(historyChart().svg(), "history.svg")
    }
}

import Foundation

/// A plain-language verdict on a finished run, with the evidence and the remedies (and config keys)
/// to try. Built from the run's history (`metrics.jsonl`) and baseline (`baseline.json`);
/// the rules and thresholds are in docs/diagnosis.md.
public struct TrainingDiagnosis: Sendable, Equatable {
    /// What the curves say, most serious first.
    public enum Verdict: String, Sendable, Equatable, CaseIterable {
        /// Loss grows or goes NaN: the learning rate is too high.
        case diverging
        /// Validation loss rising for several checks while training loss falls.
        case overfitting
        /// Training loss barely moved: the learning rate is too low (or too few steps).
        case learningRateTooLow = "learning_rate_too_low"
        /// Both losses plateau high relative to the baseline.
        case underfitting
        /// Validation loss jumps up and down more than it trends.
        case noisy
        /// None of the above.
        case healthy
        /// Too few log entries to judge.
        case insufficientData = "insufficient_data"
    }

    /// A remedy and the config key that applies it.
    public struct Remedy: Sendable, Equatable {
        /// What to do, in words.
        public var action: String
        /// The config key to change (dotted), e.g. `model.dropout`.
        public var configKey: String
    }

    /// The verdict.
    public var verdict: Verdict
    /// One-line headline.
    public var summary: String
    /// The numbers behind the verdict.
    public var evidence: [String]
    /// What to try, with config keys.
    public var remedies: [Remedy]

    /// A few short lines for terminals: verdict, evidence, remedies.
    public func text(indent: String = "") -> String {
        var lines = ["\(indent)Diagnosis: \(verdict.rawValue.replacingOccurrences(of: "_", with: " ")) — \(summary)"]
        lines += evidence.map { "\(indent)  - \($0)" }
        if !remedies.isEmpty {
            lines.append("\(indent)  Try: " + remedies.map { "\($0.action) (\($0.configKey))" }.joined(separator: "; "))
        }
        return lines.joined(separator: "\n")
    }

    /// Diagnoses a run directory from its `metrics.jsonl` and `baseline.json`.
    public static func diagnose(run: RunDirectory) throws -> TrainingDiagnosis {
        let history = try loadHistory(from: run.metricsFile)
        let baseline = TrainingBaseline.load(from: run.root.appendingPathComponent(TrainingBaseline.fileName))
        return diagnose(history: history, baseline: baseline)
    }

    /// Reads `metrics.jsonl`; JSON nulls (NaN or infinite values) come back as NaN.
    public static func loadHistory(from file: URL) throws -> [LogEntry] {
        let text = try String(contentsOf: file, encoding: .utf8)
        return text.split(separator: "\n").compactMap { line -> LogEntry? in
            guard let data = line.data(using: .utf8),
                  let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return nil }
            var values: [String: Double] = [:]
            for (key, value) in object where !["step", "epoch", "lr"].contains(key) {
                values[key] = (value as? NSNumber)?.doubleValue ?? .nan
            }
            let lr = (object["lr"] as? NSNumber)?.doubleValue ?? .nan
            return LogEntry(step: (object["step"] as? NSNumber)?.intValue ?? 0,
                            epoch: (object["epoch"] as? NSNumber)?.intValue ?? 0, learningRate: lr, values: values)
        }
    }
}

import Foundation

/// The thresholds of the diagnosis rules (docs/diagnosis.md explains each).
public struct DiagnosisThresholds: Sendable, Equatable {
    /// Validation checks after the best one that must pass before overfitting is called (k).
    public var overfittingChecks = 3
    /// How far above its best the last validation loss must be (relative) to call overfitting.
    public var overfittingRise = 0.05
    /// Last training loss above this multiple of the first (or of its best, when that was lower
    /// than the first) means the loss grows: diverging.
    public var divergenceGrowth = 1.5
    /// A training loss whose best is within this fraction of its first value barely moved.
    public var minimumRelativeImprovement = 0.05
    /// Losses at or above this fraction of the baseline's are "high": underfitting.
    public var underfittingBaselineRatio = 0.6
    /// Validation loss whose mean absolute step exceeds this fraction of its mean, with direction
    /// changes on at least half the steps, is noisy.
    public var noiseRatio = 0.1
    /// Creates the default thresholds.
    public init() {}
}

extension TrainingDiagnosis {
    /// The verdict on `history` (log entries in order) given the run's `baseline` (nil when
    /// unknown: underfitting is then not judged).
    public static func diagnose(history: [LogEntry], baseline: TrainingBaseline?,
                                thresholds t: DiagnosisThresholds = DiagnosisThresholds()) -> TrainingDiagnosis {
        let allTrain = history.compactMap { $0.values["train_loss"] }
        let checks = history.filter { $0.values["val_loss"] != nil }
        let validation = checks.map { $0.values["val_loss"]! }
        // Epoch means (logged with validation) are steadier than step windows; use them when there are enough.
        let epochTrain = checks.compactMap { $0.values["train_loss"] }
        let train = epochTrain.count >= 3 ? epochTrain : allTrain
        func f(_ x: Double) -> String { x.isFinite ? String(format: "%.4g", x) : "NaN" }

        if let badIndex = history.firstIndex(where: { entry in
            ["train_loss", "val_loss"].contains { entry.values[$0].map { !$0.isFinite } ?? false }
        }) {
            let entry = history[badIndex]
            // The trainer logs a non-finite training loss only for the batch that stopped it, at the
            // step that batch would have completed (so it reads "after step N−1" like the error).
            let place = entry.values["train_loss"].map { !$0.isFinite } ?? false
                ? "the training loss is not finite in the batch after step \(entry.step - 1) (epoch \(entry.epoch))"
                : "the validation loss is not finite at step \(entry.step) (epoch \(entry.epoch))"
            return TrainingDiagnosis(
                verdict: .diverging, summary: "the loss became NaN or infinite: the learning rate is too high",
                evidence: [place
                           + (allTrain.first(where: \.isFinite).map { "; first training loss \(f($0))" } ?? "")],
                remedies: divergenceRemedies)
        }
        guard train.count >= 2, let first = train.first, let last = train.last, let best = train.min() else {
            return TrainingDiagnosis(verdict: .insufficientData, summary: "too few log entries to judge",
                                     evidence: ["\(train.count) training loss value(s), \(validation.count) validation check(s)"],
                                     remedies: [Remedy(action: "train longer or log more often", configKey: "training.log_every_n_steps")])
        }
        if last > t.divergenceGrowth * first || (best < first && last > t.divergenceGrowth * Swift.max(best, 1e-12) && last > first) {
            return TrainingDiagnosis(
                verdict: .diverging, summary: "the training loss grows: the learning rate is too high",
                evidence: ["training loss went from \(f(first)) (best \(f(best))) to \(f(last))"],
                remedies: divergenceRemedies)
        }
        let improvement = (first - best) / Swift.max(abs(first), 1e-12)
        // Two points (one short epoch) are too few to blame the learning rate; underfitting then
        // says "train longer" instead.
        if train.count >= 3, improvement < t.minimumRelativeImprovement {
            return TrainingDiagnosis(
                verdict: .learningRateTooLow, summary: "the training loss barely moved: the learning rate is too low",
                evidence: ["training loss \(f(first)) → best \(f(best)) (\(String(format: "%.1f", improvement * 100))% better)"
                           + (baseline.map { "; baseline \(f($0.loss))" } ?? "")],
                remedies: [Remedy(action: "raise the learning rate (e.g. ×10)", configKey: "training.learning_rate"),
                           Remedy(action: "train for more epochs", configKey: "training.epochs"),
                           Remedy(action: "use a warmup/one-cycle schedule", configKey: "training.scheduler")])
        }
        if validation.count > t.overfittingChecks, let bestIndex = validation.indices.min(by: { validation[$0] < validation[$1] }) {
            let since = validation.count - 1 - bestIndex
            let bestValidation = validation[bestIndex], lastValidation = validation.last!
            let trainAtBest = checks[bestIndex].values["train_loss"], trainNow = checks.last!.values["train_loss"]
            if since >= t.overfittingChecks, lastValidation > bestValidation * (1 + t.overfittingRise),
               let trainAtBest, let trainNow, trainNow < trainAtBest {
                return TrainingDiagnosis(
                    verdict: .overfitting, summary: "validation loss rises while training loss falls: the model memorises the training set",
                    evidence: ["validation loss best \(f(bestValidation)) at epoch \(checks[bestIndex].epoch), now \(f(lastValidation)) after \(since) more checks",
                               "training loss fell \(f(trainAtBest)) → \(f(trainNow)); gap validation − training \(f(lastValidation - trainNow))"],
                    remedies: [Remedy(action: "add or raise dropout (0.2–0.5)", configKey: "model.dropout"),
                               Remedy(action: "add L2 / weight decay", configKey: "training.weight_decay"),
                               Remedy(action: "stop early at the best check", configKey: "training.early_stopping"),
                               Remedy(action: "use a smaller model", configKey: "model.layers"),
                               Remedy(action: "train fewer epochs", configKey: "training.epochs")])
            }
        }
        if let baseline, baseline.loss > 0 {
            let limit = t.underfittingBaselineRatio * baseline.loss
            let finalValidation = validation.last
            if last >= limit, finalValidation.map({ $0 >= limit }) ?? true {
                let tail = Array(train.suffix(Swift.max(2, train.count / 3)))
                let plateau = (tail.first! - tail.last!) / Swift.max(abs(tail.first!), 1e-12) < t.minimumRelativeImprovement
                var remedies = [Remedy(action: "use a bigger model (more or wider layers)", configKey: "model.layers"),
                                Remedy(action: "lower regularisation", configKey: "model.dropout / training.weight_decay")]
                remedies.insert(plateau ? Remedy(action: "raise the learning rate or add a schedule", configKey: "training.learning_rate / training.scheduler")
                                        : Remedy(action: "train for more epochs (still improving)", configKey: "training.epochs"), at: 0)
                return TrainingDiagnosis(
                    verdict: .underfitting, summary: "both losses stay high next to a model that ignores its inputs",
                    evidence: ["training loss \(f(last))" + (finalValidation.map { ", validation loss \(f($0))" } ?? "")
                               + " vs baseline \(f(baseline.loss)) (\(baseline.description))",
                               plateau ? "the training loss has plateaued" : "the training loss is still falling slowly"],
                    remedies: remedies)
            }
        }
        let noisySeries = validation.count >= 5 ? validation : []
        if noisySeries.count >= 5 {
            let steps = zip(noisySeries.dropFirst(), noisySeries).map { $0 - $1 }
            let turns = zip(steps.dropFirst(), steps).filter { ($0 > 0) != ($1 > 0) }.count
            let meanStep = steps.map(abs).reduce(0, +) / Double(steps.count)
            let mean = noisySeries.reduce(0, +) / Double(noisySeries.count)
            if meanStep > t.noiseRatio * Swift.max(abs(mean), 1e-12), turns * 2 >= steps.count - 1 {
                return TrainingDiagnosis(
                    verdict: .noisy, summary: "the validation loss jumps around more than it trends",
                    evidence: ["mean change per check \(f(meanStep)) on a mean of \(f(mean)); direction changed \(turns) of \(steps.count - 1) times"],
                    remedies: [Remedy(action: "lower the learning rate", configKey: "training.learning_rate"),
                               Remedy(action: "use bigger batches", configKey: "training.batch_size"),
                               Remedy(action: "decay the learning rate", configKey: "training.scheduler")])
            }
        }
        var evidence = ["training loss \(f(first)) → \(f(last))" + (validation.last.map { ", validation loss \(f($0))" } ?? "")]
        if let baseline { evidence.append("baseline (\(baseline.description)) \(f(baseline.loss))") }
        return TrainingDiagnosis(verdict: .healthy, summary: "losses fall together; nothing to fix",
                                 evidence: evidence, remedies: [])
    }

    private static var divergenceRemedies: [Remedy] {
        [Remedy(action: "lower the learning rate (e.g. ÷10)", configKey: "training.learning_rate"),
         Remedy(action: "clip gradients", configKey: "training.gradient_clip_val"),
         Remedy(action: "warm up or decay the learning rate", configKey: "training.scheduler")]
    }
}

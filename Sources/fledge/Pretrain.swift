import ArgumentParser
import FledgeEvents
import FledgeTrain
import Foundation

/// `fledge pretrain pretrain.yaml`: pretrains a foundation model on event histories and writes
/// its checkpoint `<run>/foundation/` (docs/foundation.md).
struct Pretrain: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Pretrain a foundation model on event histories (self-supervised).",
        discussion: """
            Fits the behavioural representation (item embeddings, sketches) on the events before \
            validation_start_date, then trains the foundation network to predict the sketch of each \
            entity's next events from its history up to split points drawn between events. Prints \
            the samples, progress, the validation sketch loss against the mean-sketch baseline, \
            recall@k of the decoded next items, and the checkpoint path \
            (fine-tune it with `fledge finetune ... --foundation <checkpoint>`).
            Example: Examples/configs/foundation-pretrain.yaml.
            """
    )

    @Argument(help: "The pretraining YAML config (data_sources, data_params, representation, foundation, training).")
    var config: String

    @OptionGroup var options: TrainingRunOptions

    func run() throws {
        let config = try PretrainConfig.load(path: config, overrides: options.overrides)
        let pretrainer = try FoundationPretrainer(config: config, readers: EventsCommands.readers,
                                                  progress: options.progress)
        for line in pretrainer.summaryLines { print(line) }
        let result = try pretrainer.fit(resumeFrom: options.resume)
        for line in Self.summary(result, pretrainer: pretrainer) { print(line) }
    }

    /// The closing lines: what was trained, how fast, how good against the baseline, where it is.
    static func summary(_ result: PretrainingResult, pretrainer: FoundationPretrainer) -> [String] {
        let training = result.training
        let t = result.timings
        let events = Double(pretrainer.store.eventCount)
        let samples = Double(result.samplesPerEpoch * training.epochs)
        var lines = ["pretrained \(training.globalStep) steps, \(training.epochs) epochs"
            + (training.stopReason.map { " (\($0))" } ?? "")
            + String(format: " in %.1f s: load %.1f s, representation %.1f s, inputs %.1f s + %.1f s redrawn, training %.1f s (%.0f samples/s); %.0f events/s overall",
                     t.total, t.load, t.representation, t.firstInputs, t.resampledInputs, t.training,
                     samples / max(t.training, 1e-9), events / max(t.total, 1e-9))]
        if !training.validationMetrics.isEmpty {
            lines.append("validation: \(MetricsText.inline(training.validationMetrics))")
        }
        lines.append(String(format: "baseline (mean training sketch): val_loss %.4f", result.baselineLoss))
        if let checkpoint = result.checkpoint { lines.append("checkpoint: \(checkpoint.path)") }
        return lines
    }
}

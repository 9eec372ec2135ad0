import ArgumentParser
import FledgeEvents
import FledgeTrain
import Foundation

/// `fledge finetune finetune.yaml --foundation <checkpoint>`: fine-tunes a pretrained foundation
/// model for the file's target, inheriting the pretraining config's sources, dates and training.
struct Finetune: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Fine-tune a pretrained foundation model for a task (finetune.yaml: a target plus overrides).",
        discussion: """
            The checkpoint is a `fledge pretrain` run directory (or its foundation/ folder). finetune.yaml \
            has a target: section; data_params, training, experiment, fine_tuning and loading_config \
            override the pretraining config key by key (docs/foundation.md, "Fine-tuning"). Writes a run \
            directory whose model/ bundle works with `fledge predict --prediction-date` and `fledge test`.
            """
    )

    @Argument(help: "The finetune.yaml file.")
    var config: String

    @Option(help: ArgumentHelp("The pretrained checkpoint: a pretraining run directory or its foundation/ folder (default: data_params.features_path).",
                               valueName: "checkpoint"))
    var foundation: String?

    @Flag(help: "Train the same network from fresh weights on the same inputs (the baseline), not from the pretrained backbone.")
    var fromScratch = false

    @OptionGroup var options: TrainingRunOptions

    func run() throws {
        let progress = options.progress
        let tuner = try FoundationFineTuner.load(
            configPath: config, foundationPath: foundation,
            overrides: options.overrides + (fromScratch ? ["fine_tuning.from_scratch=true"] : []),
            readers: EventsCommands.readers, progress: progress)
        for line in tuner.summaryLines { print(line) }
        let result = try tuner.fit(resumeFrom: options.resume)
        let test = tuner.trainer.data.test == nil ? nil : try tuner.evaluate(.test)
        print(Train.summary(result, test: test, includeProgress: options.quiet))
    }
}

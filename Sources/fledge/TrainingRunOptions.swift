import ArgumentParser
import FledgeTrain

/// The options every training command shares (`fledge train`, `fledge pretrain`, `fledge finetune`):
/// config overrides, resuming a run, and how progress shows.
struct TrainingRunOptions: ParsableArguments {
    @Option(name: .customLong("set"), help: ArgumentHelp(
        "Override one config key, e.g. --set training.learning_rate=3e-4 (repeatable).", valueName: "key=value"))
    var overrides: [String] = []

    @Option(help: ArgumentHelp(
        "Continue a run exactly: a checkpoint directory, or `last` for the newest checkpoint of the run.",
        valueName: "checkpoint|last"))
    var resume: String?

    @Flag(help: "Print only the summary at the end, not the progress lines.")
    var quiet = false

    @Flag(help: "Log every training step as a plain line (no progress bar).")
    var verbose = false

    /// What shows progress: nothing (--quiet), every step (--verbose), a live bar on a terminal,
    /// timestamped lines at the logging interval otherwise (CI, files: no carriage returns).
    var progress: (any Callback)? {
        if quiet { return nil }
        if verbose { return ProgressPrinter(everyStep: true) }
        return ProgressBar.standardOutputIsTerminal ? ProgressBar() : ProgressPrinter()
    }
}

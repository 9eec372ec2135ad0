import ArgumentParser
import FledgeTrain

/// `fledge init --task binary`: prints a commented config template to redirect into a file.
struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print a commented config template for a task.",
        discussion: "Example: fledge init --task binary > config.yaml, then edit data.train_path and the label column."
    )

    @Option(help: "The task the template is for: \(TaskKind.allCases.map(\.rawValue).joined(separator: ", ")).")
    var task: TaskKind

    func run() throws {
        print(FledgeConfig.template(task: task), terminator: "")
    }
}

// The task names come straight from the config schema, so `--help` and ArgumentParser's
// "invalid value" message list exactly what a config's `model.task` accepts.
extension TaskKind: ExpressibleByArgument {}

import ArgumentParser
import FledgeTrain

/// The `fledge` command-line tool: a thin layer over the Fledge libraries.
///
/// Errors a user can cause (a bad config key, a malformed CSV row, a missing file, a NaN loss) are
/// thrown by the libraries as typed errors whose messages name the file, line and column or the
/// key path; ``main()`` prints each as one `error: ...` line on stderr and exits with status 1.
@main
struct Fledge: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fledge",
        abstract: "Train, evaluate and export machine-learning models in Swift.",
        version: FledgeVersion.current,
        subcommands: [Train.self, Pretrain.self, Finetune.self, GenerateEvents.self, Evaluate.self, Test.self, Predict.self, Init.self, Info.self, Report.self,
                      Compare.self, CrossValidate.self, Tune.self]
    )

    /// Parses and runs a subcommand; ArgumentParser reports its own usage errors, every other error
    /// becomes one `error:` line (never a stack trace).
    static func main() {
        var command: any ParsableCommand
        do {
            command = try parseAsRoot()
        } catch {
            exit(withError: error)
        }
        do {
            try command.run()
        } catch {
            if ErrorReport.isArgumentParserError(error) {
                exit(withError: error)
            }
            ErrorReport.print(error)
            exit(withError: ExitCode.failure)
        }
    }
}

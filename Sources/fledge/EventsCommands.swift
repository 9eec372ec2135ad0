import FledgeEvents
import FledgeTrain
import Foundation

/// The events side of `fledge train`, `fledge test` and `fledge predict --prediction-date`.
enum EventsCommands {
    /// The readers the CLI links (CSV, SQLite; PostgreSQL where FledgePostgres provides one).
    static var readers: EventTableReaders { EventTableReaders.standard }

    /// `fledge train events.yaml`: prints what was loaded and skipped, trains, prints the summary.
    static func train(path: String, overrides: [String], resume: String?, progress: (any Callback)?, quiet: Bool) throws {
        let config = try EventsConfig.load(path: path, overrides: overrides)
        let trainer = try EventTrainer(config: config, readers: readers, progress: progress)
        for line in trainer.summaryLines { print(line) }
        let result = try trainer.fit(resumeFrom: resume)
        let test = trainer.trainer.data.test == nil ? nil : try trainer.evaluate(.test)
        print(Train.summary(result, test: test, includeProgress: quiet))
    }

    /// Loads the model of a run directory (or its `model/`).
    static func model(_ path: String) throws -> EventModel {
        try EventModel.load(from: URL(fileURLWithPath: path))
    }

    /// The config a command uses: the one saved with the model, or `--config` with overrides.
    static func config(for model: EventModel, path: String?, overrides: [String]) throws -> EventsConfig {
        guard let path else {
            guard overrides.isEmpty else {
                throw EventsError.invalidSetup("--set needs --config events.yaml (the saved config cannot be overridden in place)")
            }
            return model.description.config
        }
        return try EventsConfig.load(path: path, overrides: overrides)
    }

    /// A `yyyy-MM-dd` (or ISO date-time) argument as seconds since 1970.
    static func date(_ text: String, option: String) throws -> Int64 {
        guard let value = try TimestampParser(format: "iso8601").parse(text) else {
            throw EventsError.invalidSetup("\(option) '\(text)' is not a date; write it as 2024-07-01")
        }
        return value
    }
}

import ArgumentParser
import FledgeData
import Foundation

/// `fledge-bench csv`: time to read a CSV into typed columns (the counterpart of `pandas.read_csv`).
///
/// One repetition = `CSVReader.read` (parse, classify and convert every cell, infer kinds) plus
/// dictionary-encoding every categorical column (`categoryCodes(ofColumns:)`), so both sides end
/// with typed columns.
/// `scripts/bench/compare_csv.py` runs this next to pandas on the same file.
struct CSVBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "csv", abstract: "Measure CSV reading speed.")

    @Option(help: "The CSV file to read.") var path: String
    @Option(help: "Repetitions; the fastest counts.") var repeats = 3
    @Option(help: "Field delimiter.") var delimiter = ","

    func run() throws {
        var best = Double.infinity
        var bestRead = Double.infinity
        var foreign = 0.0
        var cpu = 0.0
        var table: DataTable?
        for _ in 0..<repeats {
            table = nil  // free the previous table before timing the next read
            let watch = Stopwatch()
            let read = try CSVReader.read(path: path, delimiter: Character(delimiter))
            let readSeconds = watch.elapsed
            _ = read.categoryCodes(ofColumns: (0..<read.columnCount).filter { read.kind(ofColumn: $0) == .categorical })
            let seconds = watch.elapsed
            if seconds < best {
                best = seconds
                foreign = watch.foreignCores
                cpu = watch.cpuSeconds
            }
            bestRead = Swift.min(bestRead, readSeconds)
            table = read
        }
        guard let table else { return }
        let kinds = (0..<table.columnCount).map { table.kind(ofColumn: $0).rawValue }
        let bytes = (try? FileSize.of(path)) ?? 0
        printJSONLine(["benchmark": "csv", "path": path, "rows": table.rowCount, "columns": table.columnCount,
                       "bytes": bytes, "seconds": rounded(best, 4), "read_seconds": rounded(bestRead, 4),
                       "mb_per_s": rounded(Double(bytes) / best / 1e6), "numeric_columns": kinds.filter { $0 == "numeric" }.count,
                       "categorical_columns": kinds.filter { $0 == "categorical" }.count, "foreign_cores": rounded(foreign, 2),
                       "cpu_seconds": rounded(cpu, 4)])
    }
}

private enum FileSize {
    static func of(_ path: String) throws -> Int {
        var status = stat()
        guard stat(path, &status) == 0 else { return 0 }
        return Int(status.st_size)
    }
}

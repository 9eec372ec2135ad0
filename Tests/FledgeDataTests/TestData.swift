import FledgeData
import FledgeTestSupport
import Foundation

/// Paths of the real datasets in `Tests/Fixtures/data` and a scratch directory for small CSVs.
enum TestData {
    static func path(_ name: String) -> String {
        fixturesDirectory.appendingPathComponent("data").appendingPathComponent("\(name).csv").path
    }

    static func table(_ name: String) throws -> DataTable { try CSVReader.read(path: path(name)) }

    /// Writes `text` to a new file in a fresh temporary directory and returns its path.
    static func write(_ text: String, name: String = "data.csv") throws -> String {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("fledge-data-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    /// The error `body` throws, as a `DataError`.
    static func dataError(_ body: () throws -> Void) -> DataError? {
        do {
            try body()
            return nil
        } catch let error as DataError {
            return error
        } catch {
            return nil
        }
    }
}

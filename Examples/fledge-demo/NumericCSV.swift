import Foundation

/// A minimal reader for CSV files whose cells are all numbers (header row first).
///
/// Enough for the demo until FledgeData brings typed columns, quoting and missing values.
/// Errors name the file, line and column so a bad row is easy to find.
struct NumericCSV {
    /// Column names from the header.
    let columns: [String]
    /// Rows of values, in file order.
    let rows: [[Float]]

    enum ReadError: Error, CustomStringConvertible {
        case unreadable(path: String, reason: String)
        case empty(path: String)
        case wrongFieldCount(path: String, line: Int, found: Int, expected: Int)
        case notANumber(path: String, line: Int, column: String, text: String)

        var description: String {
            switch self {
            case .unreadable(let path, let reason): "\(path): cannot read the file (\(reason))"
            case .empty(let path): "\(path): the file has no header row"
            case .wrongFieldCount(let path, let line, let found, let expected):
                "\(path):\(line): \(found) fields, but the header has \(expected); fix or remove the row"
            case .notANumber(let path, let line, let column, let text):
                "\(path):\(line): column '\(column)' holds '\(text)', which is not a number"
            }
        }
    }

    init(path: String) throws {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw ReadError.unreadable(path: path, reason: error.localizedDescription)
        }
        var lines = text.split(whereSeparator: \.isNewline).makeIterator()
        guard let header = lines.next() else { throw ReadError.empty(path: path) }
        let columns = header.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        var rows: [[Float]] = []
        var lineNumber = 1
        while let line = lines.next() {
            lineNumber += 1
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            guard fields.count == columns.count else {
                throw ReadError.wrongFieldCount(path: path, line: lineNumber, found: fields.count, expected: columns.count)
            }
            rows.append(try fields.enumerated().map { index, field in
                guard let value = Float(field.trimmingCharacters(in: .whitespaces)) else {
                    throw ReadError.notANumber(path: path, line: lineNumber, column: columns[index], text: String(field))
                }
                return value
            })
        }
        self.columns = columns
        self.rows = rows
    }
}

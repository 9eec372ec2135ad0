import FledgeData
import Foundation
import Testing

/// Every user-caused data problem stops with `file:line:column:` and what to do.
struct DataErrorTests {
    private func readError(_ text: String) throws -> DataError? {
        let path = try TestData.write(text)
        return TestData.dataError { _ = try CSVReader.read(path: path) }
    }

    @Test func missingFileNamesThePath() {
        let error = TestData.dataError { _ = try CSVReader.read(path: "/no/such/dir/train.csv") }
        #expect(error == .fileNotFound(file: "/no/such/dir/train.csv"))
        #expect(error?.description.hasPrefix("/no/such/dir/train.csv: file not found") == true)
    }

    @Test func directoryIsNotReadable() throws {
        let directory = FileManager.default.temporaryDirectory.path
        let error = TestData.dataError { _ = try CSVReader.read(path: directory) }
        guard case .unreadableFile(let file, _) = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(file == directory)
        #expect(error?.description == "\(directory): cannot read the file (not a regular file); check that it is a readable regular file")
        #expect(DataError.fileTooLarge(file: "big.csv", bytes: 5_000_000_000).description
            == "big.csv: the file has 5000000000 bytes, more than the 4 GiB the CSV reader handles; split it into smaller files")
    }

    @Test func emptyFileAndHeaderOnly() throws {
        let path = try TestData.write("")
        #expect(TestData.dataError { _ = try CSVReader.read(path: path) } == .emptyFile(file: path))
        #expect(try readError("\n\n")?.description.contains(":1:1: the file is empty") == true)
        #expect(TestData.dataError { _ = try CSVReader.parse(text: "", source: "x.csv") } == .emptyFile(file: "x.csv"))
        let headerOnly = try TestData.write("a,b\n")
        let error = TestData.dataError { _ = try CSVReader.read(path: headerOnly) }
        #expect(error == .noDataRows(file: headerOnly, line: 1))
        #expect(error?.description == "\(headerOnly):1:1: the file has a header but no data rows; add data rows below the header")
    }

    @Test func wrongFieldCountGivesLineAndFirstOddField() throws {
        let path = try TestData.write("a,b,c\n1,2,3\n\"x\ny\",2,3\n4,5,6,7\n")
        let error = TestData.dataError { _ = try CSVReader.read(path: path) }
        #expect(error == .wrongFieldCount(file: path, line: 5, column: 4, found: 4, expected: 3))
        #expect(error?.description.hasPrefix("\(path):5:4: this row has 4 fields but the header has 3 columns; remove the extra delimiter") == true)
        let fewer = try TestData.write("a,b,c\r\n1,2,3\r\n4,5\r\n")
        let fewerError = TestData.dataError { _ = try CSVReader.read(path: fewer) }
        #expect(fewerError == .wrongFieldCount(file: fewer, line: 3, column: 3, found: 2, expected: 3))
        #expect(fewerError?.description.contains("\(fewer):3:3: this row has 2 fields") == true)
    }

    @Test func unterminatedQuotePointsAtTheOpeningQuote() throws {
        let path = try TestData.write("a,b\n1,2\n3,\"open\n4,5\n")
        let error = TestData.dataError { _ = try CSVReader.read(path: path) }
        #expect(error == .unterminatedQuote(file: path, line: 3, column: 2))
        #expect(error?.description.hasPrefix("\(path):3:2: the quoted field that starts here is never closed") == true)
    }

    @Test func duplicateColumnName() throws {
        let path = try TestData.write("a,b,a\n1,2,3\n")
        let error = TestData.dataError { _ = try CSVReader.read(path: path) }
        #expect(error == .duplicateColumnName(file: path, line: 1, column: 3, name: "a"))
        #expect(error?.description == "\(path):1:3: the column name \"a\" appears twice in the header; rename one of them")
    }

    @Test func notANumberInANumericColumn() throws {
        var text = "x,y\n"
        for row in 0..<20 { text += "\(row),\(row % 2)\n" }
        text += "abc,1\n"
        let path = try TestData.write(text)
        let table = try CSVReader.read(path: path)
        #expect(table.kind(ofColumn: 0) == .numeric)
        let error = TestData.dataError { _ = try Preprocessor.fit(table: table, labelColumns: ["y"], target: .binary) }
        #expect(error == .notANumber(file: path, line: 22, column: 1, columnName: "x", text: "abc"))
        #expect(error?.description.hasPrefix("\(path):22:1: \"abc\" in numeric column \"x\" is not a number;") == true)
    }

    @Test func invalidValueInADeclaredColumn() throws {
        let path = try TestData.write("d,y\n2024-01-01,0\n2024-02-30,1\n")
        let table = try CSVReader.read(path: path)
        let error = TestData.dataError {
            _ = try Preprocessor.fit(table: table, labelColumns: ["y"], kinds: ["d": .date], target: .binary)
        }
        #expect(error == .invalidValue(file: path, line: 3, column: 1, columnName: "d", text: "2024-02-30", expected: .date))
        #expect(error?.description.hasPrefix("\(path):3:1: \"2024-02-30\" in date column \"d\" is not a valid date") == true)
    }

    @Test func missingColumnListsTheHeader() throws {
        let path = try TestData.write("a,b\n1,2\n")
        let table = try CSVReader.read(path: path)
        let error = TestData.dataError { _ = try Preprocessor.fit(table: table, labelColumns: ["label"], target: .binary) }
        #expect(error == .missingColumn(file: path, line: 1, column: "label", available: ["a", "b"]))
        #expect(error?.description == "\(path):1:1: no column named \"label\"; the header has: a, b; check the column name in the configuration")
    }

    @Test func unseenLabelNamesValueAndKnownLabels() throws {
        let train = try CSVReader.read(path: try TestData.write("x,y\n1,cat\n2,dog\n3,cat\n"))
        let preprocessor = try Preprocessor.fit(table: train, labelColumns: ["y"], target: .multiclass)
        let testPath = try TestData.write("x,y\n1,dog\n2,bird\n", name: "test.csv")
        let test = try CSVReader.read(path: testPath)
        let error = TestData.dataError { _ = try preprocessor.transform(test) }
        #expect(error == .unseenLabel(file: testPath, line: 3, column: 2, value: "bird", known: ["cat", "dog"]))
        #expect(error?.description.hasPrefix("\(testPath):3:2: label \"bird\" was not seen in the training data (known labels: cat, dog)") == true)
        // Predicting without labels does not need them.
        #expect(try preprocessor.transform(test, requireLabels: false).targets == nil)
    }

    @Test func missingValueUnderFailPolicy() throws {
        let path = try TestData.write("x,c,y\n1,a,0\n2,,1\n,b,0\n")
        let table = try CSVReader.read(path: path)
        let error = TestData.dataError { _ = try Preprocessor.fit(table: table, labelColumns: ["y"], target: .binary, missing: .fail) }
        #expect(error == .missingValue(file: path, line: 4, column: 1, columnName: "x"))
        #expect(error?.description.hasPrefix("\(path):4:1: column \"x\" has a missing value and the missing-value policy is \"fail\"") == true)
        let categorical = TestData.dataError {
            _ = try Preprocessor.fit(table: table, labelColumns: ["y"], featureColumns: ["c"], target: .binary, missing: .fail)
        }
        #expect(categorical == .missingValue(file: path, line: 3, column: 2, columnName: "c"))
    }

    @Test func missingLabelAndBadTargets() throws {
        let path = try TestData.write("x,y,z\n1,0,a\n2,,b\n3,1,c\n")
        let table = try CSVReader.read(path: path)
        let missing = TestData.dataError { _ = try Preprocessor.fit(table: table, labelColumns: ["y"], target: .binary) }
        #expect(missing == .missingLabel(file: path, line: 3, column: 2, columnName: "y"))
        #expect(missing?.description.hasPrefix("\(path):3:2: label column \"y\" is empty in this row;") == true)
        let classes = TestData.dataError { _ = try Preprocessor.fit(table: table, labelColumns: ["z"], target: .binary) }
        #expect(classes == .wrongClassCount(file: path, column: "z", target: .binary, classes: ["a", "b", "c"]))
        #expect(classes?.description.contains("use task multiclass") == true)
        let multilabel = try CSVReader.read(path: try TestData.write("x,l1,l2\n1,0,1\n2,1,2\n"))
        let preprocessor = try Preprocessor.fit(table: multilabel, rows: [0], labelColumns: ["l1", "l2"], target: .multilabel)
        let notBinary = TestData.dataError { _ = try preprocessor.transform(multilabel) }
        #expect(notBinary == .notABinaryLabel(file: multilabel.source, line: 3, column: 3, columnName: "l2", text: "2"))
        #expect(notBinary?.description.hasPrefix("\(multilabel.source):3:3: \"2\" in label column \"l2\" is not 0/1") == true)
    }

    @Test func noFeatureColumnsLeft() throws {
        let table = try CSVReader.read(path: try TestData.write("id,y\n1,0\n2,1\n"))
        let error = TestData.dataError { _ = try Preprocessor.fit(table: table, labelColumns: ["y"], idColumn: "id", target: .binary) }
        #expect(error == .noFeatureColumns(file: table.source))
        #expect(error?.description.hasPrefix("\(table.source): no feature columns are left") == true)
    }
}

@testable import FledgeData
import Testing

/// The reader follows RFC 4180 and keeps each row's source line.
struct CSVReaderTests {
    @Test func readsRealDatasetsWithTheirShapes() throws {
        let expected: [(String, Int, Int)] = [("breast_cancer", 569, 31), ("digits", 1797, 65), ("wine", 178, 14),
                                              ("iris", 150, 5), ("diabetes", 442, 11)]
        for (name, rows, columns) in expected {
            let table = try TestData.table(name)
            #expect(table.rowCount == rows, "\(name)")
            #expect(table.columnCount == columns, "\(name)")
            #expect(table.line(ofRow: 0) == 2)
            #expect(table.line(ofRow: rows - 1) == rows + 1)
        }
    }

    @Test func parsesNumbersExactly() throws {
        let table = try TestData.table("breast_cancer")
        #expect(table.columnNames.first == "mean radius")
        #expect(table.number(row: 0, column: 0) == 17.99)
        #expect(table.number(row: 1, column: 4) == 0.08474)
        let diabetes = try TestData.table("diabetes")
        #expect(diabetes.number(row: 0, column: 0) == 0.038075906433423026)
        #expect(diabetes.number(row: 1, column: 0) == -0.0018820165277906047)
    }

    @Test func handlesQuotesEscapesNewlinesCRLFAndBOM() throws {
        let text = "\u{FEFF}id,text,value\r\n1,\"a, b\",2.5\r\n2,\"say \"\"hi\"\"\",3\r\n3,\"two\nlines\",4\r\n\r\n4,plain,\r\n"
        let table = try CSVReader.parse(text: text)
        #expect(table.columnNames == ["id", "text", "value"])
        #expect(table.rowCount == 4)
        #expect(table.string(row: 0, column: 1) == "a, b")
        #expect(table.string(row: 1, column: 1) == "say \"hi\"")
        #expect(table.string(row: 2, column: 1) == "two\nlines")
        #expect(table.rowLines == [2, 3, 4, 7])
        #expect(table.isMissing(row: 3, column: 2))
        #expect(table.number(row: 0, column: 2) == 2.5)
    }

    @Test func acceptsMissingFinalLineBreakAndOtherDelimiters() throws {
        let table = try CSVReader.parse(text: "a;b\n1;x\n2;y", delimiter: ";")
        #expect(table.rowCount == 2)
        #expect(table.string(row: 1, column: 1) == "y")
        let tabs = try CSVReader.parse(text: "a\tb\n1\t\"q\"\n", delimiter: "\t")
        #expect(tabs.string(row: 0, column: 1) == "q")
    }

    @Test func infersColumnKinds() throws {
        let text = """
        n,m,c,b,d,t
        1,2.5,red,true,2024-01-02,2024-01-02T10:00:00Z
        2,,blue,False,2024-02-29,2024-03-13 10:21:14
        3,NA,red,yes,2023-12-31,2024-03-13 10:21
        """
        let table = try CSVReader.parse(text: text)
        let kinds = try table.columnKinds()
        #expect(kinds == ["n": .numeric, "m": .numeric, "c": .categorical, "b": .boolean, "d": .date, "t": .date])
        #expect(table.profile(ofColumn: 1).missingCount == 2)
        #expect(try table.columnKinds(overrides: ["n": .categorical])["n"] == .categorical)
        let days = try table.values(ofColumn: 4, as: .date)
        #expect(days == [19724, 19782, 19722])
        #expect(try table.values(ofColumn: 3, as: .boolean) == [1, 0, 1])
        let times = try table.values(ofColumn: 5, as: .date)
        #expect(abs(times[0] - (19724 + 10.0 / 24)) < 1e-9)
    }

    @Test func numbersCoverTheDecimalSyntax() throws {
        let text = "x\n-1.5\n+2\n.5\n7.\n1e3\n2.5E-2\n12345678901234567890123\n0.1000000000000000055511151231257827\n"
        let values = try CSVReader.parse(text: text).numbers(ofColumn: 0)
        #expect(values == [-1.5, 2, 0.5, 7, 1000, 0.025, Double("12345678901234567890123")!, 0.1])
        for text in ["x\n0x10\n", "x\ninf\n", "x\n1e\n", "x\n1.2.3\n", "x\n--1\n"] {
            #expect(try CSVReader.parse(text: text).number(row: 0, column: 0) == nil, "\(text)")
        }
    }

    @Test func categoryCodesFollowFirstAppearance() throws {
        let text = "c\nred\na rather long category\nNA\nred\n1.0\na rather long categorx\n1\na rather long category\nz"
        let table = try CSVReader.parse(text: text)
        let (codes, categories) = table.categoryCodes(ofColumn: 0)
        #expect(codes == [0, 1, -1, 0, 2, 3, 2, 1, 4])
        #expect(categories == ["red", "a rather long category", "1", "a rather long categorx", "z"])
        #expect(table.categoryCodes(ofColumn: 0, rows: [8, 0, 0]).codes == [0, 1, 1])
        let several = try CSVReader.parse(text: (0..<300_000).reduce(into: "a,b\n") { $0 += "x\($1 % 3),y\($1 % 5)\n" })
        let both = several.categoryCodes(ofColumns: [1, 0])
        #expect(both[0].codes == several.categoryCodes(ofColumn: 1).codes && both[0].categories.count == 5)
        #expect(both[1].codes == several.categoryCodes(ofColumn: 0).codes && both[1].categories == ["x0", "x1", "x2"])
    }

    @Test func buildsTablesInMemory() throws {
        let table = try DataTable(columnNames: ["a", "b"], rows: [["1", "x,y"], [nil, "\"q\""]])
        #expect(table.string(row: 0, column: 1) == "x,y")
        #expect(table.string(row: 1, column: 1) == "\"q\"")
        #expect(table.isMissing(row: 1, column: 0))
        #expect(try table.column(named: "a") == ["1", nil])
    }
}

/// Large files are parsed in row ranges on several threads; the result equals a one-pass parse.
struct ParallelReadingTests {
    private func sameTable(_ a: DataTable, _ b: DataTable) {
        #expect(a.columnNames == b.columnNames)
        #expect(a.rowLines == b.rowLines)
        for column in 0..<a.columnCount {
            #expect(a.profile(ofColumn: column) == b.profile(ofColumn: column))
            for row in 0..<a.rowCount {
                #expect(a.string(row: row, column: column) == b.string(row: row, column: column))
            }
        }
    }

    private func text(rows: Int, quoteEvery: Int) -> String {
        var text = "id,name,value\n"
        for row in 0..<rows {
            let name = row % quoteEvery == 0 ? "\"multi\nline, \"\"quoted\"\"\"" : "n\(row % 7)"
            text += "\(row),\(name),\(row % 5 == 0 ? "" : String(Double(row) / 4))\n"
            if row % 97 == 0 { text += "\n" }
        }
        return text
    }

    @Test func parallelChunksMatchOnePass() throws {
        let text = text(rows: 3000, quoteEvery: 13)
        let path = try TestData.write(text)
        let parallel = try CSVReader.read(path: path, delimiter: ",", missingMarkers: CSVReader.defaultMissingMarkers,
                                          parallelMinimumBytes: 1)
        sameTable(parallel, try CSVReader.parse(text: text))
        #expect(parallel.rowCount == 3000)
    }

    @Test func cutInsideAQuotedFieldFallsBackToOnePass() throws {
        // One huge quoted field spanning the middle of the file: every cut lands inside it.
        var text = "a,b\n1,x\n2,\""
        text += String(repeating: "line\n", count: 2000) + "\"\n3,y\n"
        let path = try TestData.write(text)
        let table = try CSVReader.read(path: path, delimiter: ",", missingMarkers: CSVReader.defaultMissingMarkers,
                                       parallelMinimumBytes: 1)
        sameTable(table, try CSVReader.parse(text: text))
        #expect(table.rowLines == [2, 3, 2004])
    }

    @Test func errorsInALaterChunkReportTheirTrueLine() throws {
        var text = self.text(rows: 2000, quoteEvery: 50)
        text += "1,2\n"
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).count - 1
        let path = try TestData.write(text)
        let error = TestData.dataError {
            _ = try CSVReader.read(path: path, delimiter: ",", missingMarkers: CSVReader.defaultMissingMarkers,
                                   parallelMinimumBytes: 1)
        }
        #expect(error == .wrongFieldCount(file: path, line: lines, column: 3, found: 2, expected: 3))
    }
}

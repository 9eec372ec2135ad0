import FledgeData
import FledgeTensor
import Foundation
import Testing

/// The preprocessor learns from training rows only and replays the same transform after a JSON round trip.
struct PreprocessorTests {
    @Test func standardisesWithTrainingStatisticsOnly() throws {
        let table = try TestData.table("wine")
        let labels = table.categoryCodes(ofColumn: try table.columnIndex(named: "target")).codes
        let split = DataSplit.split(count: table.rowCount, stratifyBy: labels, validationFraction: 0.15,
                                    testFraction: 0.15, seed: 3)
        let preprocessor = try Preprocessor.fit(table: table, rows: split.train, labelColumns: ["target"],
                                                target: .multiclass)
        #expect(preprocessor.classNames == ["0", "1", "2"])
        #expect(preprocessor.inputSize == 13)
        let alcohol = try table.numbers(ofColumn: 0, rows: split.train)
        let mean = alcohol.reduce(0, +) / Double(alcohol.count)
        let deviation = (alcohol.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(alcohol.count)).squareRoot()
        #expect(abs(preprocessor.features[0].mean - mean) < 1e-12)
        #expect(abs(preprocessor.features[0].standardDeviation - deviation) < 1e-12)
        let all = try table.numbers(ofColumn: 0)
        #expect(abs(preprocessor.features[0].mean - all.reduce(0, +) / Double(all.count)) > 1e-6)

        let train = try preprocessor.transform(table, rows: split.train)
        let column = (0..<train.count).map { train.features[$0, 0] }
        let trainMean = column.reduce(0, +) / Float(column.count)
        let trainVariance = column.map { ($0 - trainMean) * ($0 - trainMean) }.reduce(0, +) / Float(column.count)
        #expect(abs(trainMean) < 1e-5)
        #expect(abs(trainVariance - 1) < 1e-4)
        guard case .classes(let classes) = train.targets else { Issue.record("expected classes"); return }
        #expect(classes.count == split.train.count)
    }

    @Test func roundTripsThroughJSON() throws {
        let table = try CSVReader.parse(text: """
        age,color,member,label
        30,red,true,yes
        40,blue,false,no
        ,red,true,yes
        50,green,,no
        """)
        let preprocessor = try Preprocessor.fit(table: table, labelColumns: ["label"], target: .binary)
        #expect(preprocessor.featureNames == ["age", "color=blue", "color=green", "color=red", "member"])
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("pre-\(UUID().uuidString).json")
        try preprocessor.write(to: url)
        let loaded = try Preprocessor.read(from: url)
        #expect(loaded == preprocessor)
        let before = try preprocessor.transform(table)
        let after = try loaded.transform(table)
        #expect(before.features.scalars == after.features.scalars)
        guard case .floats(let labels) = after.targets else { Issue.record("expected floats"); return }
        #expect(labels.scalars == [1, 0, 1, 0])
        // Missing age imputed with the mean (40) → 0 after standardising; missing boolean → mode (true).
        #expect(after.features[2, 0] == 0)
        #expect(after.features[3, 4] == 1)
    }
}

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

    @Test func realDatasetsHaveNumericFeaturesAndTheirTargets() throws {
        let cancer = try TestData.table("breast_cancer")
        #expect(try cancer.columnKinds().values.allSatisfy { $0 == .numeric })
        let binary = try Preprocessor.fit(table: cancer, labelColumns: ["target"], target: .binary)
        #expect(binary.inputSize == 30 && binary.outputSize == 1 && binary.classNames == ["0", "1"])
        let digits = try TestData.table("digits")
        let multiclass = try Preprocessor.fit(table: digits, labelColumns: ["target"], target: .multiclass)
        #expect(multiclass.classNames == (0...9).map(String.init))
        #expect(multiclass.inputSize == 64 && multiclass.outputSize == 10)
        let dataset = try multiclass.transform(digits, rows: [0, 1, 2])
        guard case .classes(let classes) = dataset.targets else { Issue.record("expected classes"); return }
        #expect(classes.indices == [0, 1, 2])
        let diabetes = try TestData.table("diabetes")
        let regression = try Preprocessor.fit(table: diabetes, labelColumns: ["target"], target: .regression)
        let values = try regression.transform(diabetes, rows: [0, 1])
        guard case .floats(let targets) = values.targets else { Issue.record("expected floats"); return }
        #expect(targets.shape == [2, 1] && targets.scalars == [151, 75])
    }

    @Test func unseenCategoriesAreAllZeroOrUnknownId() throws {
        let train = try CSVReader.parse(text: "c,x,y\nred,1,0\nblue,2,1\nred,3,0\n")
        let test = try CSVReader.parse(text: "c,x,y\ngreen,1,0\nblue,2,1\n,3,1\n")
        let oneHot = try Preprocessor.fit(table: train, labelColumns: ["y"], target: .binary)
        #expect(oneHot.featureNames == ["c=blue", "c=red", "x"])
        let dense = try oneHot.transform(test).features
        #expect(Array(dense.scalars[0..<2]) == [0, 0])
        #expect(Array(dense.scalars[3..<5]) == [1, 0])
        #expect(Array(dense.scalars[6..<8]) == [0, 1])  // missing → the mode, red
        let embedding = try Preprocessor.fit(table: train, labelColumns: ["y"], target: .binary, encoding: .embedding)
        #expect(embedding.featureNames == ["x"] && embedding.inputSize == 1)
        #expect(embedding.embeddingColumns == ["c"] && embedding.embeddingCardinalities == [3])
        let ids = try embedding.transform(test).categoricalIndices
        #expect(ids?.shape == [3, 1] && ids?.indices == [0, 1, 2])
        let batch = DataLoader(dataset: try embedding.transform(test), batchSize: 2, shuffle: false).makeBatch(rows: [2, 0])
        #expect(batch.categoricalIndices?.indices == [2, 0])
    }

    @Test func multilabelTargetsAreFloatColumns() throws {
        let table = try CSVReader.parse(text: "x,a,b\n1,1,0\n2,0,true\n3,false,1\n")
        let preprocessor = try Preprocessor.fit(table: table, labelColumns: ["a", "b"], target: .multilabel)
        #expect(preprocessor.classNames == ["a", "b"] && preprocessor.outputSize == 2 && preprocessor.featureNames == ["x"])
        guard case .floats(let targets) = try preprocessor.transform(table).targets else { Issue.record("floats"); return }
        #expect(targets.shape == [3, 2] && targets.scalars == [1, 0, 0, 1, 0, 1])
    }

    @Test func idColumnIsCarriedNotLearned() throws {
        let table = try CSVReader.parse(text: "id,x,y\nr1,1,a\nr2,2,b\n")
        let preprocessor = try Preprocessor.fit(table: table, labelColumns: ["y"], idColumn: "id", target: .binary)
        #expect(preprocessor.featureNames == ["x"])
        let dataset = try preprocessor.transform(table)
        #expect(dataset.ids == ["r1", "r2"] && dataset.lines == [2, 3])
        #expect(dataset.subset([1]).ids == ["r2"])
    }

    @Test func datesAndBooleansBecomeNumbers() throws {
        let table = try CSVReader.parse(text: "d,b,y\n2024-01-01,yes,0\n2024-01-03,no,1\n")
        let preprocessor = try Preprocessor.fit(table: table, labelColumns: ["y"], target: .binary, standardize: false)
        #expect(preprocessor.features.map(\.kind) == [.date, .boolean])
        #expect(try preprocessor.transform(table).features.scalars == [19723, 1, 19725, 0])
    }
}

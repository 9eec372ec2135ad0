import FledgeData
import FledgeTrain
import Foundation
import Testing
@testable import FledgeTune

/// Cross-validation on real data: folds partition the rows, stratify, keep groups together, and
/// the preprocessing of each fit sees only that fold's training rows.
struct CrossValidationTests {
    private func classCounts(_ rows: [Int], _ labels: [Int]) -> [Int: Int] {
        rows.reduce(into: [:]) { $0[labels[$1], default: 0] += 1 }
    }

    @Test func foldsPartitionTheRowsExactlyOncePerRepeat() throws {
        let config = try ExperimentFixtures.config(directory: ExperimentFixtures.scratchDirectory())
        let table = try TrainingData.readTable(config: config)
        let folds = try CrossValidationFold.make(table: table, config: config,
                                                 options: CrossValidationOptions(folds: 5, repeats: 2))
        #expect(folds.count == 10)
        for repetition in 0..<2 {
            let mine = folds.filter { $0.repeatIndex == repetition }
            #expect(mine.flatMap(\.test).sorted() == Array(0..<569))
            #expect(mine.map(\.test.count) == [114, 114, 114, 114, 113])    // KFold sizes
            for fold in mine {
                #expect((fold.train + fold.validation + fold.test).sorted() == Array(0..<569))
                #expect(fold.validation.count == Int((Double(569 - fold.test.count) * 0.15).rounded()))
            }
        }
        #expect(folds[0].test != folds[5].test)   // the second repetition reshuffles
        let again = try CrossValidationFold.make(table: table, config: config, options: CrossValidationOptions(folds: 5, repeats: 2))
        #expect(again == folds)
    }

    @Test func stratifiedFoldsKeepTheClassProportions() throws {
        let config = try ExperimentFixtures.config("wine", task: .multiclass, directory: ExperimentFixtures.scratchDirectory())
        let table = try TrainingData.readTable(config: config)
        let labels = try TrainingData.labelIndices(table, column: "target")
        let folds = try CrossValidationFold.make(table: table, config: config, options: CrossValidationOptions(folds: 4, stratified: true))
        let overall = classCounts(Array(0..<table.rowCount), labels)
        for fold in folds {
            let counts = classCounts(fold.test, labels)
            for (label, count) in overall {
                #expect(abs(Double(counts[label] ?? 0) - Double(count) / 4) < 1, "class \(label)")
            }
        }
    }

    @Test func groupedFoldsNeverSplitAGroup() throws {
        // Iris with a `plant` column: five consecutive rows per plant.
        let source = try String(contentsOfFile: ExperimentFixtures.dataPath("iris"), encoding: .utf8)
        let lines = source.split(separator: "\n")
        let text = (["\(lines[0]),plant"] + lines.dropFirst().enumerated().map { "\($1),p\($0 / 5)" }).joined(separator: "\n")
        let directory = ExperimentFixtures.scratchDirectory()
        let path = directory.appendingPathComponent("iris_plants.csv")
        try Data(text.utf8).write(to: path)
        let config = try ExperimentFixtures.config(task: .multiclass, directory: directory, overrides: ["data.train_path=\(path.path)"])
        let table = try TrainingData.readTable(config: config)
        let plants = try table.column(named: "plant").map { $0! }
        let folds = try CrossValidationFold.make(table: table, config: config,
                                                 options: CrossValidationOptions(folds: 4, groupColumn: "plant"))
        #expect(folds.flatMap(\.test).sorted() == Array(0..<150))
        for fold in folds {
            #expect(Set(fold.test.map { plants[$0] }).isDisjoint(with: (fold.train + fold.validation).map { plants[$0] }))
        }
        #expect(folds.map(\.test.count).sorted() == [35, 35, 40, 40])   // 30 plants of 5 over 4 folds
        #expect(throws: CrossValidationError.self) {
            try CrossValidationFold.make(table: table, config: config, options: CrossValidationOptions(folds: 4, groupColumn: "tree"))
        }
    }

    @Test func badRequestsAreTypedErrorsSayingWhatToDo() throws {
        let config = try ExperimentFixtures.config("diabetes", task: .regression, directory: ExperimentFixtures.scratchDirectory())
        let table = try TrainingData.readTable(config: config)
        let cases: [(CrossValidationOptions, String)] = [
            (CrossValidationOptions(folds: 1), "--folds is 1; cross-validation needs at least 2 folds"),
            (CrossValidationOptions(folds: 500), "--folds is 500 but \(table.source) has only 442 rows; use at most 442 folds"),
            (CrossValidationOptions(stratified: true), "--stratified needs a binary or multiclass task, not regression; leave it out"),
            (CrossValidationOptions(groupColumn: "sex", repeats: 1),
             "--group-column sex has 2 distinct values, fewer than the 5 folds; use fewer folds or another column"),
        ]
        for (options, message) in cases {
            #expect(throws: CrossValidationError(message)) { try CrossValidationFold.make(table: table, config: config, options: options) }
        }
    }

    @Test func eachFoldsPreprocessingIsFittedOnItsTrainingRowsOnlyAndOutOfFoldPredictionsCoverEveryRow() throws {
        let directory = ExperimentFixtures.scratchDirectory()
        let config = try ExperimentFixtures.config(directory: directory, epochs: 1)
        let result = try CrossValidator(config: config, options: CrossValidationOptions(folds: 3, stratified: true)).run()
        let table = try TrainingData.readTable(config: config)
        #expect(result.folds.count == 3 && result.preprocessors.count == 3)
        for (fold, preprocessor) in zip(result.folds, result.preprocessors) {
            func fitted(_ rows: [Int]) throws -> Preprocessor {
                try Preprocessor.fit(table: table, rows: rows, labelColumns: ["target"], target: .binary)
            }
            #expect(preprocessor == (try fitted(fold.train)))
            // The check can fail: statistics over the held-out rows too would differ.
            #expect(preprocessor != (try fitted(fold.train + fold.test)))
        }
        let report = result.report
        let heldOut = report.perFold.map { (fold: FoldResult) in fold.testRows }.reduce(0, +)
        #expect(report.perFold.count == 3 && heldOut == 569)
        let accuracy = try #require(report.summary["accuracy"])
        let perFold: [Double] = report.perFold.compactMap { (fold: FoldResult) -> Double? in fold.metrics["accuracy"] ?? nil }
        let mean = perFold.reduce(0, +) / 3
        #expect(accuracy.n == 3)
        #expect(abs(accuracy.mean - mean) < 1e-12)
        #expect(accuracy.mean > 0.8)
        let csv = try String(contentsOf: result.outOfFoldFile, encoding: .utf8).split(separator: "\n")
        #expect(csv[0] == "row,repeat,fold,probability,prediction,label")
        let rows = csv.dropFirst().map { Int($0.split(separator: ",")[0])! }
        #expect(rows.sorted() == Array(1...569))
        // Each line's fold is the fold that held that row out.
        for line in csv.dropFirst().prefix(50) {
            let fields = line.split(separator: ",")
            let row: Int = Int(fields[0])! - 1
            let fold: Int = Int(fields[2])! - 1
            #expect(result.folds[fold].test.contains(row))
        }
        let data = try Data(contentsOf: result.directory.appendingPathComponent("cv_report.json"))
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(json["per_fold"] != nil && json["summary"] != nil)
        let outOfFold = json["out_of_fold"] as? String
        #expect(outOfFold == "oof_predictions.csv")
    }
}

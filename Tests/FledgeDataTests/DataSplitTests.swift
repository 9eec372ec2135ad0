import FledgeData
import Testing

/// Splits are seeded, disjoint, exact in size and keep the class balance when stratified.
struct DataSplitTests {
    private func classCounts(_ rows: [Int], _ labels: [Int]) -> [Int: Int] {
        rows.reduce(into: [:]) { $0[labels[$1], default: 0] += 1 }
    }

    @Test(arguments: [(0.15, 0.15), (0.2, 0.2)])
    func stratifiedSplitKeepsProportions(validation: Double, test: Double) throws {
        let table = try TestData.table("breast_cancer")
        let labels = table.categoryCodes(ofColumn: try table.columnIndex(named: "target")).codes
        let split = DataSplit.split(count: table.rowCount, stratifyBy: labels, validationFraction: validation,
                                    testFraction: test, seed: 11)
        #expect(split.validation.count == Int((569 * validation).rounded()))
        #expect(split.test.count == Int((569 * test).rounded()))
        #expect(Set(split.train + split.validation + split.test).count == 569)
        #expect(split.train.count + split.validation.count + split.test.count == 569)
        let overall = Double(labels.filter { $0 == 0 }.count) / 569
        for part in [split.train, split.validation, split.test] {
            let share = Double(classCounts(part, labels)[0] ?? 0) / Double(part.count)
            #expect(abs(share - overall) < 0.02, "share \(share) vs \(overall)")
        }
    }

    @Test func multiclassStratificationOnDigits() throws {
        let table = try TestData.table("digits")
        let labels = table.categoryCodes(ofColumn: try table.columnIndex(named: "target")).codes
        let split = DataSplit.split(count: table.rowCount, stratifyBy: labels, validationFraction: 0.15,
                                    testFraction: 0.15, seed: 1)
        let all = classCounts(Array(0..<table.rowCount), labels)
        let test = classCounts(split.test, labels)
        for (label, count) in all {
            #expect(abs(Double(test[label] ?? 0) - Double(count) * 0.15) <= 1, "class \(label)")
        }
    }

    @Test func sameSeedSameSplitOtherSeedOtherSplit() {
        let a = DataSplit.split(count: 100, validationFraction: 0.2, testFraction: 0.1, seed: 5)
        let b = DataSplit.split(count: 100, validationFraction: 0.2, testFraction: 0.1, seed: 5)
        let c = DataSplit.split(count: 100, validationFraction: 0.2, testFraction: 0.1, seed: 6)
        #expect(a.train == b.train && a.validation == b.validation && a.test == b.test)
        #expect(a.validation != c.validation)
        #expect((a.train.count, a.validation.count, a.test.count) == (70, 20, 10))
        let none = DataSplit.split(count: 10, validationFraction: 0, seed: 1)
        #expect(none.train == Array(0..<10) && none.validation.isEmpty && none.test.isEmpty)
    }

    @Test func kFoldCoversEveryRowOnceAndStratifies() throws {
        let table = try TestData.table("iris")
        let labels = table.categoryCodes(ofColumn: try table.columnIndex(named: "target")).codes
        let folds = DataSplit.kFold(count: 150, k: 5, stratifyBy: labels, seed: 3)
        #expect(folds.count == 5)
        #expect(folds.flatMap(\.validation).sorted() == Array(0..<150))
        for fold in folds {
            #expect(fold.validation.count == 30)
            #expect(Set(fold.train).isDisjoint(with: fold.validation))
            #expect(fold.train.count == 120)
            #expect(classCounts(fold.validation, labels).values.sorted() == [10, 10, 10])
        }
        #expect(DataSplit.kFold(count: 150, k: 5, stratifyBy: labels, seed: 3).map(\.validation) == folds.map(\.validation))
    }
}

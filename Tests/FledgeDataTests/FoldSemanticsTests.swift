import FledgeData
import FledgeTestSupport
import Testing

/// k-fold, stratified and grouped folds partition the rows exactly once and match
/// scikit-learn's fold sizes and per-class counts (`scripts/reference/golden_folds.py`).
struct FoldSemanticsTests {
    static let golden = try! GoldenFile.load("folds")

    @Test(arguments: golden.cases(prefixed: "kfold_"))
    func kFoldSizesMatchScikitLearn(_ golden: GoldenCase) {
        let count = Int(golden.attributes["count"]!.number!), k = Int(golden.attributes["k"]!.number!)
        let folds = DataSplit.kFold(count: count, k: k, seed: 7)
        #expect(folds.map(\.validation.count) == golden.output("fold_sizes").indices, "\(golden.name)")
        #expect(folds.flatMap(\.validation).sorted() == Array(0..<count))
        for fold in folds { #expect((fold.train + fold.validation).sorted() == Array(0..<count)) }
    }

    @Test(arguments: golden.cases(prefixed: "stratified_"))
    func stratifiedCountsPerClassMatchScikitLearn(_ golden: GoldenCase) {
        let labels = golden.input("labels").indices
        let classes = golden.attributes["classes"]!.numbers!.map { Int($0) }
        let k = Int(golden.attributes["k"]!.number!)
        let folds = DataSplit.kFold(count: labels.count, k: k, stratifyBy: labels, seed: 7)
        let counts = folds.map { fold in classes.map { c in fold.validation.filter { labels[$0] == c }.count } }
        #expect(counts.flatMap { $0 } == golden.output("class_counts").indices, "\(golden.name)")
        #expect(folds.flatMap(\.validation).sorted() == Array(0..<labels.count))
    }

    @Test(arguments: golden.cases(prefixed: "group_"))
    func groupFoldsKeepGroupsTogetherWithScikitLearnSizes(_ golden: GoldenCase) {
        let groups = golden.input("groups").indices
        let k = Int(golden.attributes["k"]!.number!)
        let folds = DataSplit.groupKFold(groups: groups, k: k, seed: 7)
        #expect(folds.map(\.validation.count) == golden.output("fold_sizes").indices, "\(golden.name)")
        #expect(folds.flatMap(\.validation).sorted() == Array(0..<groups.count))
        for fold in folds {
            #expect(Set(fold.train.map { groups[$0] }).isDisjoint(with: fold.validation.map { groups[$0] }))
        }
    }

    @Test func foldsAreReproducibleBySeed() {
        let groups = (0..<200).map { $0 % 13 }
        #expect(DataSplit.kFold(count: 200, k: 5, seed: 1).map(\.validation) == DataSplit.kFold(count: 200, k: 5, seed: 1).map(\.validation))
        #expect(DataSplit.kFold(count: 200, k: 5, seed: 1).map(\.validation) != DataSplit.kFold(count: 200, k: 5, seed: 2).map(\.validation))
        let a = DataSplit.groupKFold(groups: groups, k: 4, seed: 1).map(\.validation)
        #expect(a == DataSplit.groupKFold(groups: groups, k: 4, seed: 1).map(\.validation))
        #expect(a != DataSplit.groupKFold(groups: groups, k: 4, seed: 3).map(\.validation))
    }
}

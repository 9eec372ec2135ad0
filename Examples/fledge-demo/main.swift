// Trains a small MLP on the Breast Cancer Wisconsin data through Fledge's Swift API and prints
// its validation accuracy. Uses only public API; run with `make demo`.
import FledgeNN
import FledgeOptim
import FledgeTensor
import Foundation

let path = CommandLine.arguments.dropFirst().first
    ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../Data/breast_cancer.csv").standardized.path
let table: NumericCSV
do { table = try NumericCSV(path: path) } catch {
    FileHandle.standardError.write(Data("fledge-demo: \(error)\n".utf8))
    exit(1)
}

// 80/20 split, seeded; features standardised with training statistics only.
var generator = SeededGenerator(seed: 42)
let rows = table.rows.shuffled(using: &generator)
let featureCount = table.columns.count - 1
let trainCount = rows.count * 4 / 5
let (train, validation) = (rows[..<trainCount], rows[trainCount...])
let means = (0..<featureCount).map { column in train.map { $0[column] }.reduce(0, +) / Float(train.count) }
let deviations = (0..<featureCount).map { column in
    (train.map { ($0[column] - means[column]) * ($0[column] - means[column]) }.reduce(0, +) / Float(train.count)).squareRoot()
}
func tensors(_ rows: ArraySlice<[Float]>) -> (features: Tensor, labels: Tensor) {
    let features = rows.flatMap { row in (0..<featureCount).map { (row[$0] - means[$0]) / Swift.max(deviations[$0], 1e-6) } }
    return (Tensor(shape: [rows.count, featureCount], values: features), Tensor(shape: [rows.count, 1], values: rows.map { $0[featureCount] }))
}
let (trainX, trainY) = tensors(train)
let (validationX, validationY) = tensors(validation)

let model = MLP(inputSize: featureCount, layers: [32, 16], outputSize: 1, activation: .relu, dropout: 0.1, seed: 0)
let optimizer = AdamW(model.namedParameters, learningRate: 3e-3, weightDecay: 1e-2)
let batchSize = 32
for epoch in 1...30 {
    let order = Array(0..<trainCount).shuffled(using: &generator)
    var epochLoss: Float = 0
    for start in stride(from: 0, to: trainCount, by: batchSize) {
        let batch = IndexTensor(Array(order[start..<Swift.min(trainCount, start + batchSize)]))
        optimizer.zeroGradients()
        let loss = binaryCrossEntropyWithLogits(
            model(trainX.indexSelected(axis: 0, indices: batch)), trainY.indexSelected(axis: 0, indices: batch))
        loss.backward()
        optimizer.step()
        epochLoss += loss.item * Float(batch.count)
    }
    if epoch % 10 == 0 { print("epoch \(epoch): training loss \(epochLoss / Float(trainCount))") }
}

model.eval()
let predictions = withoutGradients { model(validationX) }.isGreater(than: 0)
let correct = zip(predictions.scalars, validationY.scalars).filter { $0 == $1 }.count
print("validation accuracy: \(Float(correct) / Float(validation.count)) (\(correct)/\(validation.count) rows)")

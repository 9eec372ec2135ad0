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

// Features are every column but the last (`target`: 1 benign, 0 malignant).
let featureCount = table.columns.count - 1
let all = Tensor(table.rows)
let features = all.sliced(axis: 1, range: 0..<featureCount)
let labels = all.sliced(axis: 1, range: featureCount..<(featureCount + 1))

// Seeded 80/20 split; standardise with statistics of the training rows only.
var generator = SeededGenerator(seed: 42)
let order = Array(0..<table.rows.count).shuffled(using: &generator)
let trainCount = order.count * 4 / 5
let trainRows = IndexTensor(Array(order[..<trainCount]))
let validationRows = IndexTensor(Array(order[trainCount...]))
let rawTrainX = features.indexSelected(axis: 0, indices: trainRows)
let mean = rawTrainX.mean(axes: [0])
let deviation = rawTrainX.variance(axes: [0], correction: 0).sqrt() + 1e-6
let trainX = (rawTrainX - mean) / deviation
let trainY = labels.indexSelected(axis: 0, indices: trainRows)
let validationX = (features.indexSelected(axis: 0, indices: validationRows) - mean) / deviation
let validationY = labels.indexSelected(axis: 0, indices: validationRows)

let model = MLP(inputSize: featureCount, layers: [32, 16], outputSize: 1, activation: .relu, dropout: 0.1, seed: 0)
let optimizer = AdamW(model.namedParameters, learningRate: 3e-3, weightDecay: 1e-2)
let batchSize = 32
for epoch in 1...30 {
    let shuffled = Array(0..<trainCount).shuffled(using: &generator)
    var lossSum: Float = 0
    for start in stride(from: 0, to: trainCount, by: batchSize) {
        let batch = IndexTensor(Array(shuffled[start..<Swift.min(trainCount, start + batchSize)]))
        optimizer.zeroGradients()
        let logits = model(trainX.indexSelected(axis: 0, indices: batch))
        let loss = binaryCrossEntropyWithLogits(logits, trainY.indexSelected(axis: 0, indices: batch))
        loss.backward()
        optimizer.step()
        lossSum += loss.item * Float(batch.count)
    }
    if epoch % 10 == 0 { print("epoch \(epoch): training loss \(lossSum / Float(trainCount))") }
}

model.eval()
let predicted = withoutGradients { model(validationX) }.isGreater(than: 0)
let correct = predicted.isEqual(to: validationY).sum().item
print("validation accuracy: \(correct / Float(validationY.count)) (\(Int(correct))/\(validationY.count) rows)")

// The trained weights round-trip through a safetensors file (Python's `safetensors` reads it too).
let saved = FileManager.default.temporaryDirectory.appendingPathComponent("fledge-demo-model.safetensors")
do {
    try model.save(to: saved)
    let reloaded = MLP(inputSize: featureCount, layers: [32, 16], outputSize: 1, activation: .relu, dropout: 0.1, seed: 99)
    try reloaded.load(from: saved)
    reloaded.eval()
    let same = withoutGradients { reloaded(validationX) }.isClose(to: withoutGradients { model(validationX) })
    print("saved to \(saved.path); reloaded model predicts the same: \(same)")
} catch {
    FileHandle.standardError.write(Data("fledge-demo: \(error)\n".utf8))
    exit(1)
}

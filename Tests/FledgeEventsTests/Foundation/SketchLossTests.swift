import FledgeEvents
import FledgeTensor
import FledgeTestSupport
import Foundation
import Testing

/// The pretraining loss against PyTorch (scripts/reference/golden_sketch_loss.py) and finite differences.
struct SketchLossTests {
    @Test func matchesTorchCrossEntropyWithProbabilityTargetsSummedOverPartitions() throws {
        let file = try GoldenFile.load("sketch_loss")
        let cases = file.cases(prefixed: "sketch/")
        #expect(cases.count == 4)
        for golden in cases {
            let partitions = Int(golden.attributes["partitions"]!.number!)
            let logits = golden.input("logits").tensor.requiringGradient()
            let loss = sketchCrossEntropy(logits, targets: golden.input("targets").tensor, partitions: partitions)
            #expect(loss.isClose(to: golden.output("loss").tensor, relativeTolerance: 1e-5), "\(golden.name) value")
            loss.backward(seed: golden.input("upstream").tensor)
            #expect(logits.grad!.isClose(to: golden.output("grad_logits").tensor, relativeTolerance: 1e-4),
                    "\(golden.name) gradient \(logits.grad!) vs \(golden.output("grad_logits").tensor)")
        }
    }

    @Test func gradientMatchesFiniteDifferences() {
        var generator = SeededGenerator(seed: 3)
        let logits = Tensor.uniform([3, 12], lowerBound: -2, upperBound: 2, generator: &generator)
        // Three partitions of four buckets; the second row's middle partition is empty.
        var targets = Tensor.uniform([3, 12], lowerBound: 0, upperBound: 1, generator: &generator)
        targets.withUnsafeMutableBufferPointer { values in
            for row in 0..<3 {
                for partition in 0..<3 {
                    let base = row * 12 + partition * 4
                    let total = (0..<4).reduce(Float(0)) { $0 + values[base + $1] }
                    for bucket in 0..<4 { values[base + bucket] = row == 1 && partition == 1 ? 0 : values[base + bucket] / total }
                }
            }
        }
        let failure = gradientCheckFailure(inputs: [logits]) { sketchCrossEntropy($0[0], targets: targets, partitions: 3) }
        #expect(failure == nil, "\(failure ?? "")")
    }

    @Test func perfectPredictionCostsTheTargetsEntropy() {
        // Logits equal to log targets give the entropy of each partition's distribution.
        let targets = Tensor(shape: [1, 4], values: [0.5, 0.5, 0.25, 0.75])
        let logits = Tensor(shape: [1, 4], values: [Float(0.5), 0.5, 0.25, 0.75].map { log($0) })
        let loss = sketchCrossEntropy(logits, targets: targets, partitions: 2).item
        let entropy: Float = -(0.5 * log(0.5) * 2) - (0.25 * log(0.25) + 0.75 * log(0.75))
        #expect(abs(loss - entropy) < 1e-6)
        let probabilities = sketchProbabilities(logits, partitions: 2)
        #expect(probabilities.isClose(to: targets, relativeTolerance: 1e-6))
    }
}

import FledgeNN
import FledgeTensor
import FledgeTestSupport
import Testing

/// Losses against PyTorch (scripts/reference/golden_losses.py): value, and gradients for a
/// random upstream gradient, so every reduction's pullback scaling is checked.
struct LossGoldenTests {
    let file: GoldenFile

    init() throws { file = try GoldenFile.load("losses") }

    /// Runs `loss` on the case's inputs and compares value and gradients with PyTorch at 1e-5 relative.
    private func check(_ golden: GoldenCase, targetIsDifferentiable: Bool = true,
                       relativeTolerance: Float = 1e-5,
                       _ loss: (Tensor, Tensor, Reduction) -> Tensor) {
        let reduction = Reduction(rawValue: golden.attributes["reduction"]!.string!)!
        let prediction = golden.input("prediction").tensor.requiringGradient()
        let target = targetIsDifferentiable ? golden.input("target").tensor.requiringGradient()
                                            : golden.input("target").tensor
        let value = loss(prediction, target, reduction)
        #expect(value.isClose(to: golden.output("loss").tensor, relativeTolerance: relativeTolerance), "\(golden.name) value")
        // Without recording the loss skips its derivatives; the value must not change.
        let unrecorded = withoutGradients { loss(prediction.detached(), target.detached(), reduction) }
        #expect(unrecorded.scalars == value.scalars && !unrecorded.requiresGradient, "\(golden.name) unrecorded value")
        value.backward(seed: golden.input("upstream").tensor)
        #expect(prediction.grad!.isClose(to: golden.output("grad_prediction").tensor, relativeTolerance: relativeTolerance),
                "\(golden.name) prediction gradient \(prediction.grad!) vs \(golden.output("grad_prediction").tensor)")
        if targetIsDifferentiable {
            #expect(target.grad!.isClose(to: golden.output("grad_target").tensor, relativeTolerance: relativeTolerance),
                    "\(golden.name) target gradient")
        }
    }

    @Test func meanSquaredErrorMatchesPyTorch() {
        for golden in file.cases(prefixed: "mse/") { check(golden) { mseLoss($0, $1, reduction: $2) } }
    }

    @Test func l1MatchesPyTorch() {
        for golden in file.cases(prefixed: "l1/") { check(golden) { l1Loss($0, $1, reduction: $2) } }
    }

    @Test func huberMatchesPyTorchForEveryDelta() {
        let cases = file.cases(prefixed: "huber/")
        #expect(cases.count == 9)
        for golden in cases {
            let delta = Float(golden.attributes["delta"]!.number!)
            check(golden) { huberLoss($0, $1, delta: delta, reduction: $2) }
        }
    }

    @Test func binaryCrossEntropyWithLogitsMatchesPyTorch() {
        for golden in file.cases(prefixed: "bce/") {
            check(golden) { binaryCrossEntropyWithLogits($0, $1, reduction: $2) }
        }
        for golden in file.cases(prefixed: "bce_pos_weight/") {
            let posWeight = golden.input("pos_weight").tensor, weight = golden.input("weight").tensor
            check(golden) { binaryCrossEntropyWithLogits($0, $1, posWeight: posWeight, weight: weight, reduction: $2) }
        }
    }

    @Test func multilabelSoftMarginMatchesPyTorch() {
        for golden in file.cases(prefixed: "multilabel/") {
            check(golden) { multilabelSoftMarginLoss($0, $1, reduction: $2) }
        }
        for golden in file.cases(prefixed: "multilabel_weight/") {
            let weight = golden.input("weight").tensor
            check(golden) { multilabelSoftMarginLoss($0, $1, weight: weight, reduction: $2) }
        }
    }

    @Test func crossEntropyMatchesPyTorchWithWeightsAndSmoothing() {
        let cases = file.cases(prefixed: "cross_entropy")
        #expect(cases.count == 12)
        for golden in cases {
            let targets = IndexTensor(golden.input("target").indices)
            let smoothing = Float(golden.attributes["label_smoothing"]!.number!)
            let weight = golden.inputs["weight"]?.tensor
            check(golden, targetIsDifferentiable: false) { logits, _, reduction in
                crossEntropy(logits, targets: targets, weight: weight, labelSmoothing: smoothing, reduction: reduction)
            }
        }
    }
}

import FledgeNN
import FledgeTensor
import FledgeTestSupport
import Testing

/// Finite-difference checks of every loss's pullback, for each reduction.
struct LossGradientTests {
    let prediction = Tensor([[0.3, -1.2, 2.1], [0.7, 1.9, -0.4]])
    let target = Tensor([[0.0, 1.0, 1.5], [1.6, -0.2, 0.1]])
    let labels = Tensor([[0, 1, 0.3], [1, 0, 1]])

    @Test func regressionLossGradientsMatchFiniteDifferences() {
        for reduction in Reduction.allCases {
            #expect(gradientCheckFailure(inputs: [prediction, target]) { mseLoss($0[0], $0[1], reduction: reduction) } == nil)
            #expect(gradientCheckFailure(inputs: [prediction, target]) { l1Loss($0[0], $0[1], reduction: reduction) } == nil)
            #expect(gradientCheckFailure(inputs: [prediction, target]) {
                huberLoss($0[0], $0[1], delta: 0.8, reduction: reduction)
            } == nil)
        }
    }

    @Test func binaryCrossEntropyGradientsMatchFiniteDifferences() {
        let posWeight = Tensor([2, 0.5, 1])
        for reduction in Reduction.allCases {
            #expect(gradientCheckFailure(inputs: [prediction, labels]) {
                binaryCrossEntropyWithLogits($0[0], $0[1], posWeight: posWeight, reduction: reduction)
            } == nil)
            #expect(gradientCheckFailure(inputs: [prediction, labels]) {
                multilabelSoftMarginLoss($0[0], $0[1], weight: posWeight, reduction: reduction)
            } == nil)
        }
    }

    @Test func crossEntropyGradientMatchesFiniteDifferences() {
        let targets = IndexTensor([2, 0])
        let weight = Tensor([0.5, 2, 1])
        for reduction in Reduction.allCases {
            for smoothing: Float in [0, 0.2] {
                #expect(gradientCheckFailure(inputs: [prediction]) {
                    crossEntropy($0[0], targets: targets, labelSmoothing: smoothing, reduction: reduction)
                } == nil)
                #expect(gradientCheckFailure(inputs: [prediction]) {
                    crossEntropy($0[0], targets: targets, weight: weight, labelSmoothing: smoothing, reduction: reduction)
                } == nil)
            }
        }
    }

    @Test func crossEntropyStaysFiniteForHugeLogits() {
        let logits = Tensor([[1e4, -1e4, 0], [-3e4, 3e4, 3e4]])
        let loss = crossEntropy(logits, targets: IndexTensor([0, 1]))
        #expect(loss.item.isFinite)
        #expect(abs(loss.item - Float(0.6931472) / 2) < 1e-5)
    }

    @Test func lossesPropagateNaNAndInfinity() {
        let logits = Tensor([[1, .nan, 0], [1, 2, 3], [.infinity, 0, 0]])
        let perSample = crossEntropy(logits, targets: IndexTensor([0, 1, 1]), reduction: .none).scalars
        #expect(perSample[0].isNaN && perSample[1].isFinite && perSample[2].isNaN)
        // −∞ marks an impossible class (masking) and keeps the loss finite, as in PyTorch.
        #expect(crossEntropy(Tensor([[0, -.infinity]]), targets: IndexTensor([0])).item == 0)
        #expect(binaryCrossEntropyWithLogits(Tensor([.nan]), Tensor([1])).item.isNaN)
        #expect(mseLoss(Tensor([.nan]), Tensor([1])).item.isNaN)
    }

    @Test func crossEntropyTrapsOnOutOfRangeTarget() async {
        await #expect(processExitsWith: .failure) {
            _ = crossEntropy(Tensor([[1, 2]]), targets: IndexTensor([2]))
        }
    }
}

import FledgeNN
import FledgeTensor
import Testing

/// Initialisers follow PyTorch's bounds and variances and are reproducible from a seed.
struct InitializerTests {
    private func statistics(_ tensor: Tensor) -> (mean: Float, variance: Float, maximum: Float) {
        let values = tensor.scalars
        let mean = values.reduce(0, +) / Float(values.count)
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Float(values.count)
        return (mean, variance, values.map(abs).max()!)
    }

    @Test func fansFollowPyTorch() {
        #expect(Initializer.fans(of: [8, 4]) == (4, 8))
        #expect(Initializer.fans(of: [8, 4, 3, 3]) == (36, 72))
        #expect(Initializer.fans(of: [5]) == (5, 5))
    }

    @Test func kaimingUniformWithRootFiveGivesLinearDefaultBound() {
        var generator = SeededGenerator(seed: 1)
        let weight = Initializer.kaimingUniform([64, 100], a: Float(5).squareRoot(), generator: &generator)
        let stats = statistics(weight)
        #expect(stats.maximum <= 0.1)  // 1/√fan-in
        #expect(stats.maximum > 0.099)
        #expect(abs(stats.variance - 0.01 / 3) < 0.0004)
    }

    @Test func kaimingNormalHasHeVariance() {
        var generator = SeededGenerator(seed: 2)
        let weight = Initializer.kaimingNormal([200, 50], mode: .fanOut, nonlinearity: .relu, generator: &generator)
        #expect(abs(statistics(weight).variance - 2 / 200) < 0.001)
        #expect(abs(statistics(weight).mean) < 0.01)
    }

    @Test func xavierHasGlorotVariance() {
        var generator = SeededGenerator(seed: 3)
        let uniform = Initializer.xavierUniform([60, 40], gain: 2, generator: &generator)
        #expect(statistics(uniform).maximum <= 2 * (6 / Float(100)).squareRoot())
        #expect(abs(statistics(uniform).variance - 4 * 2 / 100) < 0.006)
        let normal = Initializer.xavierNormal([60, 40], generator: &generator)
        #expect(abs(statistics(normal).variance - 2 / 100) < 0.002)
    }

    @Test func sameSeedGivesSameWeights() {
        var first = SeededGenerator(seed: 9), second = SeededGenerator(seed: 9)
        #expect(Initializer.kaimingUniform([3, 4], generator: &first).scalars
            == Initializer.kaimingUniform([3, 4], generator: &second).scalars)
    }

    @Test func gainsMatchCalculateGain() {
        #expect(Nonlinearity.tanh.gain == Float(5) / 3)
        #expect(abs(Nonlinearity.leakyRelu(negativeSlope: Float(5).squareRoot()).gain - (1.0 / 3).squareRoot()) < 1e-7)
        #expect(Nonlinearity.relu.gain == Float(2).squareRoot())
    }
}

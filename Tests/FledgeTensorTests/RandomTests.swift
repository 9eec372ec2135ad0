import FledgeTensor
import Testing

@Test func sameSeedGivesTheSameBits() {
    var a = SeededGenerator(seed: 2024), b = SeededGenerator(seed: 2024)
    let first = (0..<100).map { _ in a.next() }
    #expect(first == (0..<100).map { _ in b.next() })
    var c = SeededGenerator(seed: 2025)
    #expect(first != (0..<100).map { _ in c.next() })
}

@Test func theStreamIsPinnedAcrossReleases() {
    // Checkpoints and seeded runs depend on these exact values; changing the generator breaks them.
    // Values from an independent Python implementation of SplitMix64 seeding + xoshiro256**.
    var again = SeededGenerator(seed: 0)
    #expect((0..<3).map { _ in again.next() } == [11_091_344_671_253_066_420, 13_793_997_310_169_335_082, 1_900_383_378_846_508_768])
    let tensor = Tensor.uniform([4], generator: &again)
    var replay = SeededGenerator(seed: 0)
    for _ in 0..<3 { _ = replay.next() }
    #expect(tensor.scalars == (0..<4).map { _ in replay.nextUniform() })
}

@Test func savedStateContinuesTheStream() {
    var generator = SeededGenerator(seed: 9)
    for _ in 0..<10 { _ = generator.next() }
    var restored = SeededGenerator(state: generator.state)
    #expect((0..<5).map { _ in generator.next() } == (0..<5).map { _ in restored.next() })
}

@Test func uniformNormalAndBernoulliHaveTheRightMoments() {
    var generator = SeededGenerator(seed: 1)
    let uniform = Tensor.uniform([20_000], lowerBound: -1, upperBound: 3, generator: &generator)
    #expect(abs(uniform.mean().item - 1) < 0.03)
    #expect(uniform.min().item >= -1 && uniform.max().item < 3)
    let normal = Tensor.normal([20_000], mean: 2, standardDeviation: 0.5, generator: &generator)
    #expect(abs(normal.mean().item - 2) < 0.01)
    #expect(abs(normal.variance().sqrt().item - 0.5) < 0.01)
    let coins = Tensor.bernoulli([20_000], probability: 0.3, generator: &generator)
    #expect(abs(coins.mean().item - 0.3) < 0.01)
    #expect(Set(coins.scalars) == [0, 1])
}

@Test func derivedStreamsAreIndependentOfTheParent() {
    let parent = SeededGenerator(seed: 5)
    var one = parent.derived(stream: 1), two = parent.derived(stream: 2)
    #expect(one.next() != two.next())
    var untouched = SeededGenerator(seed: 5)
    #expect(untouched == parent)
    _ = untouched.next()
}

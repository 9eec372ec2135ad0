import FledgeTensor
import Testing

@Test func backwardFillsGradientsOfLeavesOnly() {
    let x = Tensor([1, 2, 3]).requiringGradient()
    let y = Tensor([4, 5, 6]).requiringGradient()
    let product = x * y
    let loss = product.sum()
    loss.backward()
    #expect(x.grad?.scalars == [4, 5, 6])
    #expect(y.grad?.scalars == [1, 2, 3])
    #expect(product.grad == nil)  // interior results keep no gradient, as in PyTorch
}

@Test func gradientsAccumulateAcrossBackwardCallsUntilZeroed() {
    let x = Tensor([1, -2]).requiringGradient()
    (x * 3).sum().backward()
    (x * 3).sum().backward()
    #expect(x.grad?.scalars == [6, 6])
    x.zeroGradient()
    #expect(x.grad == nil)
    (x * x).sum().backward()
    #expect(x.grad?.scalars == [2, -4])
}

@Test func fanOutSumsTheGradientsOfEveryUse() {
    // loss = x·x + 2x + x: the tape reaches x three times.
    let x = Tensor([3]).requiringGradient()
    let loss = (x * x + x * 2 + x).sum()
    loss.backward()
    #expect(x.grad?.scalars == [2 * 3 + 2 + 1])
}

@Test func deepChainsDoNotOverflowTheStack() {
    let x = Tensor([1]).requiringGradient()
    var y = x
    for _ in 0..<20_000 { y = y + 0 }
    y.sum().backward()
    #expect(x.grad?.scalars == [1])
}

@Test func withoutGradientsRecordsNothing() {
    let x = Tensor([1, 2]).requiringGradient()
    let y = withoutGradients { x * 2 }
    #expect(!y.requiresGradient)
    #expect(GradientMode.isEnabled)
    #expect((x * 2).requiresGradient)
}

@Test func detachedTensorsStopTheGradient() {
    let x = Tensor([2]).requiringGradient()
    let loss = (x * x.detached()).sum()  // d/dx treats the detached copy as a constant
    loss.backward()
    #expect(x.grad?.scalars == [2])
}

@Test func retainedGraphsCanRunBackwardTwice() {
    let x = Tensor([1, 2]).requiringGradient()
    let loss = (x * x).sum()
    loss.backward(retainGraph: true)
    loss.backward()
    #expect(x.grad?.scalars == [4, 8])
}

@Test func backwardWithASeedScalesTheGradient() {
    let x = Tensor([1, 2]).requiringGradient()
    (x * 3).backward(seed: Tensor([1, 10]))
    #expect(x.grad?.scalars == [3, 30])
}

@Test func frozenLeafReceivesNoGradient() {
    var frozen = Tensor([1, 2])
    frozen.setRequiresGradient(false)
    let trained = Tensor([3, 4]).requiringGradient()
    (frozen * trained).sum().backward()
    #expect(frozen.grad == nil)
    #expect(trained.grad?.scalars == [1, 2])
}

@Test func backwardOnAFreedGraphTrapsWithAnExplanation() async {
    await #expect(processExitsWith: .failure) {
        let x = Tensor([1]).requiringGradient()
        let loss = (x * x).sum()
        loss.backward()
        loss.backward()
    }
}

@Test func backwardOnAConstantTraps() async {
    await #expect(processExitsWith: .failure) {
        Tensor([1]).sum().backward()
    }
}

@Test func writingIntoASharedTensorCopiesFirst() {
    let original = Tensor([1, 2, 3])
    var copy = original
    copy[1] = 20
    #expect(original.scalars == [1, 2, 3])
    #expect(copy.scalars == [1, 20, 3])
}

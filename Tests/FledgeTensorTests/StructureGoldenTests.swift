import FledgeTensor
import FledgeTestSupport
import Testing

/// Runs `function` on leaves made from the case's `names` inputs, back-propagates the case's
/// `dout`, and checks the output and every `d<name>` gradient against PyTorch.
private func expectMatchesGolden(_ golden: GoldenCase, inputs names: [String], output: String = "out",
                                 _ function: ([Tensor]) -> Tensor) {
    let leaves = names.map { golden.input($0).tensor.requiringGradient() }
    let result = function(leaves)
    #expect(result.isClose(to: golden.output(output).tensor), "\(golden.name): \(output)")
    result.backward(seed: golden.input("dout").tensor)
    for (name, leaf) in zip(names, leaves) {
        let expected = golden.output("d\(name)").tensor
        #expect(leaf.grad?.isClose(to: expected) == true, "\(golden.name): d\(name)")
    }
}

private func indices(_ golden: GoldenCase, _ key: String = "index") -> IndexTensor {
    let tensor = golden.input(key)
    return IndexTensor(shape: Shape(tensor.shape), indices: tensor.indices)
}

private func axis(_ golden: GoldenCase) -> Int { Int(golden.attributes["axis"]?.number ?? 0) }

@Test func matmulMatchesPyTorch() throws {
    let cases = try GoldenFile.load("structure_ops").cases(prefixed: "matmul_")
    #expect(cases.count == 10)
    for golden in cases {
        expectMatchesGolden(golden, inputs: ["a", "b"]) { $0[0].matmul($0[1]) }
    }
}

@Test func linearMatchesPyTorch() throws {
    let cases = try GoldenFile.load("structure_ops").cases(prefixed: "linear_")
    #expect(cases.count == 8)
    for golden in cases {
        let hasBias = golden.attributes["bias"]?.bool == true
        let activation: FusedActivation = golden.attributes["activation"]?.string == "relu" ? .relu : .identity
        expectMatchesGolden(golden, inputs: hasBias ? ["x", "w", "b"] : ["x", "w"]) { xs in
            Tensor.linear(xs[0], weight: xs[1], bias: hasBias ? xs[2] : nil, activation: activation)
        }
    }
}

@Test func gatherScatterAndIndexSelectMatchPyTorch() throws {
    let file = try GoldenFile.load("structure_ops")
    for golden in file.cases(prefixed: "gather_") {
        expectMatchesGolden(golden, inputs: ["x"]) { $0[0].gathered(axis: axis(golden), indices: indices(golden)) }
    }
    for golden in file.cases(prefixed: "scatter_add_") {
        expectMatchesGolden(golden, inputs: ["x", "source"]) { xs in
            xs[0].scatterAdding(axis: axis(golden), indices: indices(golden), source: xs[1])
        }
    }
    for golden in file.cases(prefixed: "index_select_") {
        expectMatchesGolden(golden, inputs: ["x"]) { $0[0].indexSelected(axis: axis(golden), indices: indices(golden)) }
    }
}

@Test func topKMatchesPyTorch() throws {
    let cases = try GoldenFile.load("structure_ops").cases(prefixed: "topk_")
    #expect(cases.count == 2)
    for golden in cases {
        let k = Int(golden.attributes["k"]?.number ?? 0), largest = golden.attributes["largest"]?.bool == true
        let positions = golden.input("x").tensor.topK(k, axis: axis(golden), largest: largest).indices
        #expect(positions.indices == golden.output("indices").indices, "\(golden.name): indices")
        expectMatchesGolden(golden, inputs: ["x"], output: "values") { xs in
            xs[0].topK(k, axis: axis(golden), largest: largest).values
        }
    }
}

@Test func whereConcatenateStackAndPermuteMatchPyTorch() throws {
    let file = try GoldenFile.load("structure_ops")
    for golden in file.cases(prefixed: "where_") {
        let condition = golden.input("condition").tensor
        expectMatchesGolden(golden, inputs: ["a", "b"]) { Tensor.where(condition, $0[0], $0[1]) }
    }
    for golden in file.cases(prefixed: "cat_") {
        expectMatchesGolden(golden, inputs: ["a", "b"]) { Tensor.concatenate($0, axis: axis(golden)) }
    }
    for golden in file.cases(prefixed: "stack_") {
        expectMatchesGolden(golden, inputs: ["a", "b"]) { Tensor.stack($0, axis: axis(golden)) }
    }
    let permutes = file.cases(prefixed: "permute_")
    #expect(permutes.count == 3)
    for golden in permutes {
        let axes = (golden.attributes["axes"]?.numbers ?? []).map { Int($0) }
        expectMatchesGolden(golden, inputs: ["x"]) { $0[0].permuted(axes) }
    }
}

import FledgeNN
import FledgeTensor
import Foundation
import Testing

/// A leaf module with a weight, a bias and a buffer, for tests that need no forward pass.
final class ToyLeaf: Module {
    let weight: Parameter
    let bias: Parameter
    let count = Buffer(Tensor(scalar: 0))
    var isTraining = true

    init(outputs: Int, inputs: Int, start: Float = 0) {
        weight = Parameter(Tensor(shape: [outputs, inputs], values: (0..<(outputs * inputs)).map { start + Float($0) }))
        bias = Parameter(Tensor.zeros([outputs]))
    }

    var directParameters: [(name: String, parameter: Parameter)] { [("weight", weight), ("bias", bias)] }
    var directBuffers: [(name: String, buffer: Buffer)] { [("count", count)] }
}

/// A two-level tree: `encoder.0`, `encoder.1`, `head`, plus a direct `scale` parameter.
final class ToyTree: Module {
    final class Stack: Module {
        let items: [ToyLeaf]
        var isTraining = true
        init(_ items: [ToyLeaf]) { self.items = items }
        var children: [(name: String, module: any Module)] { items.enumerated().map { (String($0.offset), $0.element) } }
    }

    let scale = Parameter(Tensor([1]))
    let encoder = Stack([ToyLeaf(outputs: 2, inputs: 3), ToyLeaf(outputs: 2, inputs: 2, start: 10)])
    let head = ToyLeaf(outputs: 1, inputs: 2, start: 100)
    var isTraining = true

    var directParameters: [(name: String, parameter: Parameter)] { [("scale", scale)] }
    var children: [(name: String, module: any Module)] { [("encoder", encoder), ("head", head)] }
}

struct ModuleTests {
    @Test func namedParametersUseDottedPathsInRegistrationOrder() {
        let tree = ToyTree()
        #expect(tree.namedParameters.map(\.name) == [
            "scale", "encoder.0.weight", "encoder.0.bias", "encoder.1.weight", "encoder.1.bias", "head.weight", "head.bias",
        ])
        #expect(tree.parameters.count == 7)
        #expect(tree.parameters[1] === tree.encoder.items[0].weight)
        #expect(tree.parameterCount == 1 + 6 + 2 + 4 + 2 + 2 + 1)
        #expect(tree.namedBuffers.map(\.name) == ["encoder.0.count", "encoder.1.count", "head.count"])
        #expect(tree.namedModules.map(\.name) == ["", "encoder", "encoder.0", "encoder.1", "head"])
    }

    @Test func trainAndEvalReachEveryChild() {
        let tree = ToyTree()
        tree.eval()
        #expect(tree.namedModules.allSatisfy { !$0.module.isTraining })
        tree.train()
        #expect(tree.namedModules.allSatisfy { $0.module.isTraining })
    }

    @Test func freezeMatchesWildcardsAndModulePrefixes() {
        let tree = ToyTree()
        #expect(tree.freeze(matching: "encoder.*") == 4)
        #expect(tree.namedParameters.filter { !$0.parameter.isTrainable }.map(\.name)
            == ["encoder.0.weight", "encoder.0.bias", "encoder.1.weight", "encoder.1.bias"])
        #expect(!tree.encoder.items[0].weight.value.requiresGradient)
        #expect(tree.unfreeze(matching: "*.bias") == 3)
        #expect(tree.encoder.items[1].bias.isTrainable)
        #expect(!tree.encoder.items[1].weight.isTrainable)
        tree.unfreeze()
        #expect(tree.freeze(matching: "head") == 2)
        #expect(tree.freeze(matching: "encoder.?.weight") == 2)
        #expect(tree.freeze(matching: "nothing.*") == 0)
        #expect(tree.trainableParameters.count == 3)
    }

    @Test func namePatternsMatchWholeNamesOnly() {
        #expect(NamePattern("*.bias").matches("layers.0.bias"))
        #expect(!NamePattern("*.bias").matches("layers.0.bias_scale"))
        #expect(NamePattern("enc*").matches("encoder.weight"))
        #expect(!NamePattern("encoder").matches("encoder2.weight"))
        #expect(NamePattern("a*b*c").matches("a.x.b.y.c"))
        #expect(!NamePattern("a*b*c").matches("a.x.c.y.b"))
    }

    @Test func stateDictHoldsParametersAndBuffersAndLoadsBack() throws {
        let source = ToyTree(), destination = ToyTree()
        source.head.weight.assign(Tensor([[7, 8]]))
        source.head.count.value = Tensor(scalar: 5)
        let state = source.stateDict()
        #expect(state.count == 10)
        #expect(!state["head.weight"]!.requiresGradient)
        let parameterBefore = destination.head.weight
        try destination.loadStateDict(state)
        #expect(destination.head.weight.value.scalars == [7, 8])
        #expect(destination.head.count.value.item == 5)
        #expect(destination.head.weight === parameterBefore)
        #expect(destination.head.weight.value.requiresGradient)
    }

    @Test func loadStateDictNamesMissingUnexpectedAndMismatchedKeys() {
        let tree = ToyTree()
        var state = tree.stateDict()
        state["head.bias"] = nil
        state["head.extra"] = Tensor([1])
        state["encoder.0.weight"] = Tensor.zeros([3, 2])
        let before = tree.encoder.items[1].weight.value.scalars
        state["encoder.1.weight"] = Tensor.zeros([2, 2])
        do {
            try tree.loadStateDict(state)
            Issue.record("loadStateDict accepted a bad state dict")
        } catch let error as StateDictError {
            #expect(error.missingKeys == ["head.bias"])
            #expect(error.unexpectedKeys == ["head.extra"])
            #expect(error.shapeMismatches == [.init(key: "encoder.0.weight", expected: [2, 3], found: [3, 2])])
            #expect(error.description.contains("missing keys: head.bias"))
            #expect(error.description.contains("shape mismatch for encoder.0.weight: the model has [2, 3], the state dict has [3, 2]"))
        } catch {
            Issue.record("unexpected error \(error)")
        }
        #expect(tree.encoder.items[1].weight.value.scalars == before, "a failed load must change nothing")
    }

    @Test func nonStrictLoadIgnoresMissingAndUnexpectedKeys() throws {
        let tree = ToyTree()
        try tree.loadStateDict(["head.weight": Tensor([[1, 2]]), "other": Tensor([3])], strict: false)
        #expect(tree.head.weight.value.scalars == [1, 2])
        #expect(throws: StateDictError.self) { try tree.loadStateDict(["head.weight": Tensor([1, 2])], strict: false) }
    }

    @Test func saveAndLoadRoundTripThroughSafeTensors() throws {
        let source = ToyTree(), destination = ToyTree()
        source.encoder.items[0].weight.assign(Tensor([[1, 2, 3], [4, 5, 6.5]]))
        let url = temporaryURL("module.safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        try source.save(to: url)
        try destination.load(from: url)
        #expect(destination.encoder.items[0].weight.value.scalars == [1, 2, 3, 4, 5, 6.5])
    }
}

import FledgeTensor

/// A building block of a model: it owns parameters, buffers and named child modules.
///
/// Conformers list only what they own directly (`directParameters`, `directBuffers`,
/// `children`); the extensions walk the tree and give every tensor a dotted path such as
/// `encoder.layers.0.weight`, the name state dicts, checkpoints and freezing use. Modules are
/// classes because their identity matters: an optimizer holds the very `Parameter` objects a
/// module updates.
public protocol Module: AnyObject {
    /// Parameters owned by this module itself (not its children), by local name.
    var directParameters: [(name: String, parameter: Parameter)] { get }
    /// Non-trainable state owned by this module itself (e.g. BatchNorm running statistics).
    var directBuffers: [(name: String, buffer: Buffer)] { get }
    /// Child modules by local name, in registration order.
    var children: [(name: String, module: any Module)] { get }
    /// True in training mode (dropout active, batch statistics); false in evaluation mode.
    var isTraining: Bool { get set }
}

extension Module {
    public var directParameters: [(name: String, parameter: Parameter)] { [] }
    public var directBuffers: [(name: String, buffer: Buffer)] { [] }
    public var children: [(name: String, module: any Module)] { [] }
}

/// A module that maps one float tensor to another; `model(x)` runs it.
public protocol Layer: Module {
    /// Runs the layer on `input`.
    func callAsFunction(_ input: Tensor) -> Tensor
}

/// A named, non-trainable tensor owned by a module and saved in its state dict
/// (like PyTorch's `register_buffer`). A class so the module and a state-dict loader share it.
public final class Buffer {
    /// The current values; never on the autodiff tape.
    public var value: Tensor

    /// Creates a buffer holding `value` (cut off the tape).
    public init(_ value: Tensor) { self.value = value.detached() }

    /// The shape of the value.
    public var shape: Shape { value.shape }
}

extension Module {
    /// Every module in the tree, depth first, with its dotted path ("" for this module).
    public var namedModules: [(name: String, module: any Module)] {
        var result: [(name: String, module: any Module)] = [("", self)]
        for (childName, child) in children {
            for (name, module) in child.namedModules {
                result.append((name.isEmpty ? childName : childName + "." + name, module))
            }
        }
        return result
    }

    /// Every parameter in the tree with its dotted path (`layers.0.weight`), in registration order.
    public var namedParameters: [(name: String, parameter: Parameter)] {
        collectNamed(prefix: "") { $0.directParameters }.map { (name: $0.name, parameter: $0.item) }
    }

    /// Every parameter in the tree, in the order of `namedParameters`.
    public var parameters: [Parameter] { namedParameters.map(\.parameter) }

    /// The parameters that currently receive gradients (not frozen).
    public var trainableParameters: [Parameter] { parameters.filter(\.isTrainable) }

    /// Every buffer in the tree with its dotted path (`norm.running_mean`).
    public var namedBuffers: [(name: String, buffer: Buffer)] {
        collectNamed(prefix: "") { $0.directBuffers }.map { (name: $0.name, buffer: $0.item) }
    }

    /// What `direct` lists for this module and every descendant, names prefixed by their path.
    private func collectNamed<Item>(
        prefix: String, _ direct: (any Module) -> [(name: String, Item)]
    ) -> [(name: String, item: Item)] {
        var result = direct(self).map { (name: prefix + $0.name, item: $0.1) }
        for (name, child) in children { result += child.collectNamed(prefix: prefix + name + ".", direct) }
        return result
    }

    /// The total number of scalar parameters.
    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.shape.count } }

    /// Switches this module and all its children to training mode.
    public func train() { setTraining(true) }

    /// Switches this module and all its children to evaluation mode.
    public func eval() { setTraining(false) }

    /// Sets training mode on this module and all its children.
    public func setTraining(_ training: Bool) {
        for (_, module) in namedModules { module.isTraining = training }
    }

    /// Forgets the accumulated gradients of every parameter.
    public func zeroGradients() { for parameter in parameters { parameter.zeroGradient() } }
}

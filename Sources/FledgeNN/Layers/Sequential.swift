import FledgeTensor

/// Runs layers one after another, as `torch.nn.Sequential`; children are named `0`, `1`, `2`, ...
/// so parameters read `0.weight`, `2.bias` as in PyTorch.
///
/// A `Linear` directly followed by `ReLU` runs as one fused `Tensor.linear(..., activation: .relu)`
/// (bias and relu in one pass after the GEMM, one tape node), with the same result and gradients.
public final class Sequential: Layer {
    /// The layers, in order.
    public private(set) var layers: [any Layer]
    public var isTraining = true

    /// One step of the forward pass, planned when layers change so `callAsFunction` does no type checks.
    private enum Step {
        case layer(any Layer)
        case linearReLU(Linear)
    }
    private var steps: [Step] = []

    /// Creates a container running `layers` in order.
    public init(_ layers: [any Layer]) {
        self.layers = layers
        plan()
    }

    /// Creates a container running `layers` in order.
    public convenience init(_ layers: any Layer...) { self.init(layers) }

    /// Adds a layer at the end.
    public func append(_ layer: any Layer) {
        layers.append(layer)
        plan()
    }

    /// The number of layers.
    public var count: Int { layers.count }

    /// The layer at `index`.
    public subscript(index: Int) -> any Layer { layers[index] }

    public var children: [(name: String, module: any Module)] {
        layers.enumerated().map { (String($0.offset), $0.element) }
    }

    public func callAsFunction(_ input: Tensor) -> Tensor {
        var output = input
        for step in steps {
            switch step {
            case .layer(let layer): output = layer(output)
            case .linearReLU(let linear): output = linear(output, activation: .relu)
            }
        }
        return output
    }

    private func plan() {
        steps = []
        var index = 0
        while index < layers.count {
            if let linear = layers[index] as? Linear, index + 1 < layers.count, layers[index + 1] is ReLU {
                steps.append(.linearReLU(linear))
                index += 2
            } else {
                steps.append(.layer(layers[index]))
                index += 1
            }
        }
    }
}

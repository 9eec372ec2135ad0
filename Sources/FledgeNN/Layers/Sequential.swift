import FledgeTensor

/// Runs layers one after another, as `torch.nn.Sequential`; children are named `0`, `1`, `2`, ...
/// so parameters read `0.weight`, `2.bias` as in PyTorch.
///
/// A `Linear` directly followed by `ReLU` runs as one fused `Tensor.linear(..., activation: .relu)`
/// (bias and relu in one pass after the GEMM, one tape node), with the same result and gradients.
///
/// With `checkpointSegments` set, training runs the layers as that many segments and all but the
/// last are checkpointed (`checkpointed(_:input:_:)`): only each segment's input is kept for
/// backward, which recomputes the segment — as `torch.utils.checkpoint.checkpoint_sequential`.
public final class Sequential: Layer {
    /// The layers, in order.
    public private(set) var layers: [any Layer]
    public var isTraining = true
    /// Gradient checkpointing: nil (default) keeps every activation for backward; `n` splits the
    /// layers into `n` segments of about equal length (a fused Linear → ReLU stays together) and
    /// recomputes all but the last in backward. `√(number of layers)` segments minimise the peak
    /// (see `useGradientCheckpointing()`).
    public var checkpointSegments: Int? {
        didSet {
            precondition(checkpointSegments.map { $0 >= 1 } ?? true,
                         "Sequential: checkpointSegments must be at least 1, got \(checkpointSegments!)")
        }
    }

    /// One step of the forward pass, planned when layers change so `callAsFunction` does no type checks.
    private enum Step {
        case layer(any Layer)
        case linearReLU(Linear)

        /// The module whose parameters the step uses (the ReLU of a pair has none).
        var layer: any Layer {
            switch self {
            case .layer(let layer): layer
            case .linearReLU(let linear): linear
            }
        }
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

    /// Turns gradient checkpointing on with `segments` segments, by default ⌈√steps⌉ where a
    /// step is a layer or a fused Linear → ReLU pair (4 segments for 16 hidden blocks).
    public func useGradientCheckpointing(segments: Int? = nil) {
        checkpointSegments = segments ?? Int(Double(steps.count).squareRoot().rounded(.up))
    }

    public func callAsFunction(_ input: Tensor) -> Tensor {
        guard let segments = checkpointSegments, segments > 1, GradientMode.isEnabled else {
            return Self.run(steps[...], input)
        }
        let count = Swift.min(segments, steps.count)
        var output = input
        for segment in 0..<count {
            let part = steps[(segment * steps.count / count)..<((segment + 1) * steps.count / count)]
            if segment == count - 1 {
                output = Self.run(part, output)  // its activations are needed right away
            } else {
                output = checkpointed(part.map(\.layer), input: output) { Self.run(part, $0) }
            }
        }
        return output
    }

    private static func run(_ steps: ArraySlice<Step>, _ input: Tensor) -> Tensor {
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

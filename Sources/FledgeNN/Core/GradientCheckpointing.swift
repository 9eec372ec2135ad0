import FledgeTensor

/// Runs `body` on `input` without keeping its activations for backward, as
/// `torch.utils.checkpoint.checkpoint`: the forward pass runs without recording, and the backward
/// pass runs it again with recording on, back-propagates through that recomputation, and hands
/// the input's gradient on. Gradients are the same as without checkpointing, bit for bit: the
/// recomputation replays the dropout generators of `modules` from their state before the forward
/// pass, and their buffers (BatchNorm running statistics) are put back afterwards so they are
/// updated once.
///
/// Memory: only `input` is kept until backward; the segment's activations live while its own
/// backward runs. The cost is one more forward pass of the segment. Parameters of `modules`
/// receive their gradients during the recomputation's backward, directly on their leaves.
///
/// - Parameters:
///   - modules: every module `body` runs (their parameters, generators and buffers).
///   - input: the segment's input.
///   - body: the segment's forward pass; it must compute the same function when run again.
public func checkpointed(_ modules: [any Module], input: Tensor, _ body: @escaping (Tensor) -> Tensor) -> Tensor {
    let parameters = modules.flatMap(\.trainableParameters).map(\.value)
    guard GradientMode.isEnabled, input.requiresGradient || !parameters.isEmpty else { return body(input) }
    let generatorsBefore = modules.map(\.generatorStates)
    let output = withoutGradients { body(input) }
    let savedInput = input.detached()
    return Tensor.record(output, op: "checkpoint", inputs: [input] + parameters) { gradient, needs in
        let generatorsNow = modules.map(\.generatorStates)
        let buffersNow = modules.map { $0.namedBuffers.map { ($0.buffer, $0.buffer.value) } }
        for (module, states) in zip(modules, generatorsBefore) { module.restoreGenerators(states) }
        let leaf = needs[0] ? savedInput.requiringGradient() : savedInput
        let recomputed = GradientMode.$isEnabled.withValue(true) { body(leaf) }
        for (module, states) in zip(modules, generatorsNow) { module.restoreGenerators(states) }
        for (buffer, value) in buffersNow.joined() { buffer.value = value }
        recomputed.backward(seed: gradient)
        return [needs[0] ? leaf.grad : nil] + parameters.map { _ in nil }
    }
}

/// Runs `layer` on `input` as a checkpointed segment (see `checkpointed(_:input:_:)`).
public func checkpointed(_ layer: any Layer, _ input: Tensor) -> Tensor {
    checkpointed([layer], input: input) { layer($0) }
}

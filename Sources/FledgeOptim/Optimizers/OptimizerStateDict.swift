import FledgeNN
import FledgeTensor

/// Why an optimizer state dict could not be loaded. Nothing is changed when loading throws.
public enum OptimizerStateError: Error, Equatable, CustomStringConvertible {
    /// A key the optimizer needs is absent (e.g. a hyper-parameter or one of a parameter's buffers).
    case missingKey(String)
    /// Keys that belong to no parameter or hyper-parameter of this optimizer.
    case unexpectedKeys([String])
    /// A tensor whose shape differs from what the optimizer holds.
    case shapeMismatch(key: String, expected: Shape, found: Shape)
    /// The state dict was saved from an optimizer with a different number of parameter groups.
    case groupCountMismatch(expected: Int, found: Int)
    /// A counter that is not a non-negative whole number.
    case invalidCounter(key: String, value: Float)
    /// The file was saved by a different optimizer type (e.g. SGD state loaded into Adam).
    case optimizerTypeMismatch(expected: String, found: String)

    public var description: String {
        switch self {
        case .missingKey(let key):
            "optimizer state dict has no '\(key)'; was it saved from the same optimizer type and parameters?"
        case .unexpectedKeys(let keys):
            "optimizer state dict has keys this optimizer does not know: \(keys.sorted().prefix(5).joined(separator: ", "))"
                + (keys.count > 5 ? " and \(keys.count - 5) more" : "")
                + "; check the parameter names and the optimizer type"
        case .shapeMismatch(let key, let expected, let found):
            "optimizer state dict entry '\(key)' has shape \(found) but the optimizer expects \(expected)"
        case .groupCountMismatch(let expected, let found):
            "optimizer state dict has \(found) parameter groups but the optimizer has \(expected)"
        case .invalidCounter(let key, let value):
            "optimizer state dict entry '\(key)' is \(value), not a non-negative whole number"
        case .optimizerTypeMismatch(let expected, let found):
            "optimizer state was saved by \(found) but is being loaded into \(expected); create a \(found) to resume"
        }
    }
}

extension Optimizer {
    /// The optimizer's state as named tensors, in the layout of PyTorch's `optimizer.state_dict()`
    /// flattened to names:
    /// - `state.<parameter name>.<buffer>` (e.g. `state.layers.0.weight.exp_avg`) and
    ///   `state.<parameter name>.step` for every parameter updated so far;
    /// - `param_groups.<group index>.<hyper-parameter>` (e.g. `param_groups.0.lr`);
    /// - `step_count`, the number of `step()` calls.
    ///
    /// Counters are stored as Float32 scalars, as torch stores Adam's `step`: exact up to 2^24 steps.
    /// Tensors are copies, so later steps do not change a saved dict.
    public func stateDict() -> [String: Tensor] {
        var result: [String: Tensor] = ["step_count": Tensor(scalar: Float(stepCount))]
        for (groupIndex, group) in groups.enumerated() {
            for (name, value) in group.hyperparameters.values {
                result["param_groups.\(groupIndex).\(name.rawValue)"] = Tensor(scalar: value)
            }
            for (index, (name, parameter)) in group.parameters.enumerated() {
                guard let state = group.states[index] else { continue }
                result["state.\(name).step"] = Tensor(scalar: Float(state.step))
                for (bufferName, storage) in zip(state.names, state.buffers) {
                    result["state.\(name).\(bufferName)"] = Tensor(shape: parameter.shape, storage: storage.copy())
                }
            }
        }
        return result
    }

    /// Restores a state saved by `stateDict()` from an optimizer of the same type over parameters
    /// with the same names and shapes, so training continues bit for bit. Hyper-parameters
    /// (including learning rates) are restored too, as in PyTorch. Throws `OptimizerStateError`
    /// and leaves the optimizer unchanged if anything does not fit.
    public func loadStateDict(_ dict: [String: Tensor]) throws {
        var unused = Set(dict.keys)
        func take(_ key: String) throws -> Tensor {
            guard let tensor = dict[key] else { throw OptimizerStateError.missingKey(key) }
            unused.remove(key)
            return tensor
        }
        func counter(_ key: String) throws -> Int {
            let tensor = try take(key)
            guard tensor.count == 1 else { throw OptimizerStateError.shapeMismatch(key: key, expected: [], found: tensor.shape) }
            let value = tensor.item
            guard value >= 0, value == value.rounded(), value <= 16_777_216 else {
                throw OptimizerStateError.invalidCounter(key: key, value: value)
            }
            return Int(value)
        }

        let savedGroups = Set(dict.keys.compactMap { key -> Int? in
            guard key.hasPrefix("param_groups.") else { return nil }
            return Int(key.dropFirst("param_groups.".count).prefix { $0 != "." })
        })
        guard savedGroups.count == groups.count else {
            throw OptimizerStateError.groupCountMismatch(expected: groups.count, found: savedGroups.count)
        }

        let newStepCount = try counter("step_count")
        var newGroups = groups
        for groupIndex in newGroups.indices {
            var hyperparameters = newGroups[groupIndex].hyperparameters
            for name in hyperparameters.names {
                let key = "param_groups.\(groupIndex).\(name.rawValue)"
                let tensor = try take(key)
                guard tensor.count == 1 else { throw OptimizerStateError.shapeMismatch(key: key, expected: [], found: tensor.shape) }
                hyperparameters[name] = tensor.item
            }
            newGroups[groupIndex].hyperparameters = hyperparameters
            for (index, (name, parameter)) in newGroups[groupIndex].parameters.enumerated() {
                let stepKey = "state.\(name).step"
                guard dict[stepKey] != nil else {
                    newGroups[groupIndex].states[index] = nil
                    continue
                }
                let state = newState(for: parameter, hyperparameters: hyperparameters)
                state.step = try counter(stepKey)
                for (bufferName, storage) in zip(state.names, state.buffers) {
                    let key = "state.\(name).\(bufferName)"
                    let tensor = try take(key)
                    guard tensor.shape == parameter.shape else {
                        throw OptimizerStateError.shapeMismatch(key: key, expected: parameter.shape, found: tensor.shape)
                    }
                    storage.base.update(from: tensor.storage.base, count: tensor.count)
                }
                newGroups[groupIndex].states[index] = state
            }
        }
        guard unused.isEmpty else { throw OptimizerStateError.unexpectedKeys(Array(unused)) }
        groups = newGroups
        stepCount = newStepCount
    }
}

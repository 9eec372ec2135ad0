import FledgeTensor

extension Module {
    /// The generators of every dropout layer, keyed `dropout:<module path>`, for checkpoints and
    /// for gradient checkpointing, which replays a segment with the same dropout masks.
    public var generatorStates: [String: SeededGenerator] {
        var result: [String: SeededGenerator] = [:]
        for (name, module) in namedModules {
            if let dropout = module as? Dropout { result["dropout:" + name] = dropout.generator }
        }
        return result
    }

    /// Restores the dropout generators saved by `generatorStates`; layers not listed keep theirs.
    public func restoreGenerators(_ states: [String: SeededGenerator]) {
        for (name, module) in namedModules {
            if let dropout = module as? Dropout, let state = states["dropout:" + name] { dropout.generator = state }
        }
    }
}

import FledgeTensor

/// Why `loadStateDict` refused a state dict; nothing is loaded when it throws.
public struct StateDictError: Error, Equatable, CustomStringConvertible {
    /// A key whose tensor has a different shape from the module's.
    public struct ShapeMismatch: Equatable, Sendable {
        /// The dotted name.
        public let key: String
        /// The module's shape.
        public let expected: Shape
        /// The state dict's shape.
        public let found: Shape

        /// Creates a mismatch record.
        public init(key: String, expected: Shape, found: Shape) {
            self.key = key
            self.expected = expected
            self.found = found
        }
    }

    /// Keys the module has but the state dict lacks (strict loading only).
    public let missingKeys: [String]
    /// Keys the state dict has but the module lacks (strict loading only).
    public let unexpectedKeys: [String]
    /// Keys present on both sides with different shapes.
    public let shapeMismatches: [ShapeMismatch]

    /// Creates an error from its parts.
    public init(missingKeys: [String], unexpectedKeys: [String], shapeMismatches: [ShapeMismatch]) {
        self.missingKeys = missingKeys
        self.unexpectedKeys = unexpectedKeys
        self.shapeMismatches = shapeMismatches
    }

    public var description: String {
        var parts: [String] = []
        if !missingKeys.isEmpty { parts.append("missing keys: " + missingKeys.joined(separator: ", ")) }
        if !unexpectedKeys.isEmpty { parts.append("unexpected keys: " + unexpectedKeys.joined(separator: ", ")) }
        for mismatch in shapeMismatches {
            parts.append("shape mismatch for \(mismatch.key): the model has \(mismatch.expected), "
                + "the state dict has \(mismatch.found)")
        }
        return "cannot load state dict: " + parts.joined(separator: "; ")
    }
}

extension Module {
    /// Every parameter and buffer by dotted name, detached from the tape (PyTorch's `state_dict()`).
    public func stateDict() -> [String: Tensor] {
        var result: [String: Tensor] = [:]
        for (name, parameter) in namedParameters { result[name] = parameter.value.detached() }
        for (name, buffer) in namedBuffers { result[name] = buffer.value.detached() }
        return result
    }

    /// Copies values from `stateDict` into the parameters and buffers with the same names.
    ///
    /// Everything is checked before anything is written, so a failed load leaves the module
    /// unchanged. With `strict` (the default) missing and unexpected keys are errors; shape
    /// mismatches always are. Parameters keep their identity, so optimizers stay attached.
    public func loadStateDict(_ stateDict: [String: Tensor], strict: Bool = true) throws {
        let parameters = namedParameters
        let buffers = namedBuffers
        var known: [String: Shape] = [:]
        for (name, parameter) in parameters { known[name] = parameter.shape }
        for (name, buffer) in buffers { known[name] = buffer.shape }

        let missing = known.keys.filter { stateDict[$0] == nil }.sorted()
        let unexpected = stateDict.keys.filter { known[$0] == nil }.sorted()
        let mismatches = known.keys.sorted().compactMap { key -> StateDictError.ShapeMismatch? in
            guard let tensor = stateDict[key], let expected = known[key], tensor.shape != expected else { return nil }
            return StateDictError.ShapeMismatch(key: key, expected: expected, found: tensor.shape)
        }
        if !mismatches.isEmpty || (strict && !(missing.isEmpty && unexpected.isEmpty)) {
            throw StateDictError(missingKeys: strict ? missing : [], unexpectedKeys: strict ? unexpected : [],
                                 shapeMismatches: mismatches)
        }
        for (name, parameter) in parameters {
            if let tensor = stateDict[name] { parameter.assign(tensor) }
        }
        for (name, buffer) in buffers {
            if let tensor = stateDict[name] { buffer.value = tensor.detached().copied() }
        }
    }
}

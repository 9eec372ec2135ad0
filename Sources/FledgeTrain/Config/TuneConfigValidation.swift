extension TuneConfig {
    /// Checks the study settings and every searched parameter before any trial runs: bounds in
    /// order, log scale with positive bounds, non-empty choices, known config keys, conditions on
    /// searched categorical parameters. Errors name the key path (`tune.params.training.learning_rate.low`).
    public func validate() throws {
        try require(nTrials > 0, "tune.n_trials", "tune.n_trials is \(nTrials); it must be positive")
        try require(workers > 0, "tune.workers", "tune.workers is \(workers); it must be at least 1")
        try require(heartbeatInterval > 0, "tune.heartbeat_interval", "tune.heartbeat_interval must be positive")
        try require(heartbeatTimeout > heartbeatInterval, "tune.heartbeat_timeout",
                    "tune.heartbeat_timeout \(heartbeatTimeout) must exceed tune.heartbeat_interval \(heartbeatInterval)")
        try require(sampler.nStartupTrials >= 0, "tune.sampler.n_startup_trials", "tune.sampler.n_startup_trials must be non-negative")
        try require(sampler.nEICandidates > 0, "tune.sampler.n_ei_candidates", "tune.sampler.n_ei_candidates must be positive")
        try require(sampler.gridPoints > 1, "tune.sampler.grid_points", "tune.sampler.grid_points must be at least 2")
        try require(pruner.nStartupTrials >= 0, "tune.pruner.n_startup_trials", "tune.pruner.n_startup_trials must be non-negative")
        try require(pruner.nWarmupSteps >= 0, "tune.pruner.n_warmup_steps", "tune.pruner.n_warmup_steps must be non-negative")
        try require(pruner.interval > 0, "tune.pruner.interval", "tune.pruner.interval must be positive")
        try require(pruner.minResource > 0, "tune.pruner.min_resource", "tune.pruner.min_resource must be positive")
        try require(pruner.reductionFactor >= 2, "tune.pruner.reduction_factor", "tune.pruner.reduction_factor must be at least 2")
        try require(!params.isEmpty, "tune.params", kind: .missingKey,
                    "tune.params is empty; name at least one config key to search, e.g. training.learning_rate: {type: float, low: 1e-4, high: 1e-1, log: true}")
        let leaves = Set(FledgeConfig.keyPaths(prefix: "").filter { path in
            FledgeConfig.section(at: path.split(separator: ".").map(String.init)[...]) == nil
        })
        for name in params.keys.sorted() {
            try validate(param: name, leaves: leaves)
        }
    }

    private func validate(param name: String, leaves: Set<String>) throws {
        let spec = params[name]!
        let path = "tune.params.\(name)"
        if !leaves.contains(name) || name.hasPrefix("tune.") {
            let key = name.split(separator: ".").last.map(String.init) ?? name
            let suggestion = KeySuggestion.nearest(to: name, among: leaves.sorted())
                ?? leaves.sorted().first { $0.hasSuffix(".\(key)") }
            throw ConfigError(kind: .unknownKey(suggestion: suggestion), keyPath: path,
                              message: "\(path): '\(name)' is not a config key that can be searched"
                                + (suggestion.map { "; did you mean \($0)?" } ?? "; write the full key path, e.g. training.learning_rate"))
        }
        switch spec.type {
        case .float, .int:
            guard let low = spec.low else {
                throw ConfigError(kind: .missingKey, keyPath: "\(path).low", message: "\(path).low is required for a \(spec.type.rawValue) parameter")
            }
            guard let high = spec.high else {
                throw ConfigError(kind: .missingKey, keyPath: "\(path).high", message: "\(path).high is required for a \(spec.type.rawValue) parameter")
            }
            try require(low.isFinite && high.isFinite, "\(path).low", "\(path): low and high must be finite numbers")
            try require(low <= high, "\(path).low", "\(path).low \(low) is greater than \(path).high \(high); swap them")
            try require(!spec.log || low > 0, "\(path).low",
                        "\(path).low is \(low) but log: true needs positive bounds; raise low above 0 or set log: false")
            try require(!(spec.log && spec.step != nil), "\(path).step", "\(path): step and log: true cannot be combined; drop one")
            if let step = spec.step {
                try require(step > 0, "\(path).step", "\(path).step \(step) must be positive")
            }
            if spec.type == .int {
                try require(low == low.rounded() && high == high.rounded(), "\(path).low",
                            "\(path): an int parameter needs whole-number bounds, got \(low) and \(high)")
                try require(spec.step.map { $0 == $0.rounded() } ?? true, "\(path).step", "\(path).step must be a whole number")
            }
            try require(spec.choices == nil, "\(path).choices", "\(path).choices is only for type categorical")
        case .categorical:
            guard let choices = spec.choices else {
                throw ConfigError(kind: .missingKey, keyPath: "\(path).choices",
                                  message: "\(path).choices is required for a categorical parameter, e.g. choices: [adam, sgd]")
            }
            try require(!choices.isEmpty, "\(path).choices", "\(path).choices is empty; list at least one value")
            try require(Set(choices).count == choices.count, "\(path).choices", "\(path).choices lists a value twice")
            try require(spec.low == nil && spec.high == nil && !spec.log && spec.step == nil, "\(path).type",
                        "\(path): low, high, log and step are for float and int parameters; a categorical one takes choices")
        }
        for (key, value) in spec.condition ?? [:] {
            let conditionPath = "\(path).condition.\(key)"
            guard let parent = params[key], key != name else {
                throw ConfigError(kind: .invalidValue, keyPath: conditionPath,
                                  message: "\(conditionPath): a condition must name another searched categorical parameter of tune.params")
            }
            try require(parent.type == .categorical && (parent.choices ?? []).contains(value), conditionPath,
                        "\(conditionPath): \(value) is not one of \(key)'s choices \((parent.choices ?? []).map(\.yamlText))")
            try require(parent.condition == nil, conditionPath, "\(conditionPath): \(key) is conditional itself; nest at most one level")
        }
    }
}

import Yams

extension FledgeConfig {
    /// This configuration with every default that depends on other keys made explicit:
    /// `eval_batch_size`, `metric_mode`, `momentum`, `epsilon`, `loss`, `metrics`, the early-stopping monitor
    /// and mode, and the scheduler interval. Training behaves identically with either.
    public func resolved() -> FledgeConfig {
        var config = self
        var t = config.training
        t.evalBatchSize = t.effectiveEvalBatchSize
        t.metricMode = t.effectiveMetricMode
        t.momentum = t.effectiveMomentum
        t.epsilon = t.effectiveEpsilon
        t.loss = t.loss ?? config.model.task.defaultLoss
        t.metrics = t.metrics ?? config.model.task.defaultMetrics
        if var stopping = t.earlyStopping {
            stopping.monitor = stopping.monitor ?? t.metricToMonitor
            stopping.mode = stopping.mode ?? .inferred(forMetric: stopping.monitor!)
            t.earlyStopping = stopping
        }
        if var scheduler = t.scheduler {
            scheduler.interval = scheduler.effectiveInterval
            t.scheduler = scheduler
        }
        config.training = t
        return config
    }

    /// The resolved configuration as YAML, every key in schema order with its effective value
    /// (`null` where a key is unset and has no default value); loading it gives `resolved()` back.
    /// The trainer saves it as `<run>/config.yaml`.
    public func resolvedYAML() -> String {
        do {
            let encoded = try Yams.compose(yaml: YAMLEncoder().encode(resolved())) ?? Node.Mapping([]).node
            let ordered = Self.ordered(encoded, section: FledgeConfig.self)
            let body = try Yams.serialize(node: ordered, sortKeys: false)
            return "# Fledge configuration, resolved: every key with the value this run used.\n" + body
        } catch {
            // Encoding plain Codable values to YAML cannot fail; a failure is a bug in this file.
            preconditionFailure("FledgeConfig.resolvedYAML: \(error)")
        }
    }

    /// `node` with one entry per key of `section`, in schema order, `null` for absent ones.
    private static func ordered(_ node: Node, section: any ConfigSection.Type) -> Node {
        let mapping = node.mapping ?? Node.Mapping([])
        var pairs: [(Node, Node)] = []
        for key in section.keyNames {
            var value = mapping[key] ?? Node("null", Tag(.null))
            if let subsection = section.subsections[key], value.mapping != nil {
                value = ordered(value, section: subsection)
            } else {
                value = readable(value)
            }
            pairs.append((Node(key), value))
        }
        return .mapping(Node.Mapping(pairs))
    }

    /// Numbers as people write them (`0.15`, not Yams' `1.5e-1`) and lists of scalars on one line.
    private static func readable(_ node: Node) -> Node {
        switch node {
        case .scalar(let scalar) where scalar.style == .plain:
            guard scalar.string.contains(where: { $0 == "e" || $0 == "." }), let number = Double(scalar.string) else {
                return node
            }
            return Node("\(number)")
        case .sequence(let sequence) where sequence.allSatisfy({ $0.scalar != nil }):
            return .sequence(Node.Sequence(sequence.map(readable), sequence.tag, .flow))
        default:
            return node
        }
    }
}

extension Node.Mapping {
    fileprivate var node: Node { .mapping(self) }
}

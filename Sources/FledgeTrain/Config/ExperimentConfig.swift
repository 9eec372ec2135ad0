/// `experiment:` — naming, seeding and where runs are written.
public struct ExperimentConfig: ConfigSection {
    /// A name for the experiment, shown in logs and reports. Default `fledge-experiment`.
    public var name = "fledge-experiment"
    /// The seed of every random choice (weights, dropout, shuffling, splits). Default `42`.
    public var seed: UInt64 = 42
    /// The folder that holds one folder per run. Default `runs`.
    public var experimentDir = "runs"
    /// The run's folder name under `experiment_dir`; default null: a timestamp chosen at start.
    public var runId: String?
    /// Prefer reproducibility over speed (single-threaded reductions, no nondeterministic kernels).
    /// Default `false`.
    public var deterministic = false

    /// A section with every default.
    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, seed
        case experimentDir = "experiment_dir"
        case runId = "run_id"
        case deterministic
    }

    public static let keyNames = CodingKeys.allCases.map(\.stringValue)

    public init(from decoder: Decoder) throws {
        try decoder.checkKeys(of: Self.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init()
        name = try c.value(.name, or: name)
        seed = try c.value(.seed, or: seed)
        experimentDir = try c.value(.experimentDir, or: experimentDir)
        runId = try c.decodeIfPresent(String.self, forKey: .runId)
        deterministic = try c.value(.deterministic, or: deterministic)
    }
}
